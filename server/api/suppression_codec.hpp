#pragma once
// JSON <-> typed shapes of the suppression-list operations.
#include <boost/json/object.hpp>

#include <string>
#include <utility>

#include "server/core/request_context.hpp"
#include "server/suppression/suppression_service.hpp"

namespace sesv2mock {

std::pair<std::string, SuppressionReason> parse_put_suppressed_destination(
    const boost::json::object& body);
ListSuppressedDestinationsRequest parse_list_suppressed_destinations(const QueryParams& query);
boost::json::object suppressed_destination_to_json(const SuppressedDestination& d);
boost::json::object list_suppressed_destinations_to_json(const ListSuppressedDestinationsResult& r);

}  // namespace sesv2mock
