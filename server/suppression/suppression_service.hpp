#pragma once
// The account-level suppression list: Put/Get/Delete/ListSuppressedDestinations.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/core/model.hpp"
#include "server/control/services.hpp"

namespace sesv2mock {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct ListSuppressedDestinationsRequest {
  std::vector<SuppressionReason> reasons;
  std::optional<double> start_date;
  std::optional<double> end_date;
  std::optional<std::string> next_token;
  std::optional<std::int64_t> page_size;
};

struct ListSuppressedDestinationsResult {
  std::vector<SuppressedDestination> destinations;
  std::optional<std::string> next_token;
};

void put_suppressed_destination(Services& s, const RequestContext& ctx,
                                const std::string& email_address, SuppressionReason reason);
SuppressedDestination get_suppressed_destination(Services& s, const RequestContext& ctx,
                                                 const std::string& email_address);
void delete_suppressed_destination(Services& s, const RequestContext& ctx,
                                   const std::string& email_address);
ListSuppressedDestinationsResult list_suppressed_destinations(
    Services& s, const RequestContext& ctx, const ListSuppressedDestinationsRequest& request);

// Codec.
std::pair<std::string, SuppressionReason> parse_put_suppressed_destination(
    const boost::json::object& body);
ListSuppressedDestinationsRequest parse_list_suppressed_destinations(const QueryParams& query);
boost::json::object suppressed_destination_to_json(const SuppressedDestination& d);
boost::json::object list_suppressed_destinations_to_json(const ListSuppressedDestinationsResult& r);

}  // namespace sesv2mock
