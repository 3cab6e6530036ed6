#pragma once
// JSON of the ImportDestination and ImportDataSource shapes (member names as in the sesv2
// model; errors name the member's AWS path). Used by the API codec and by fixture files.
#include <boost/json/object.hpp>

#include "server/core/json_fields.hpp"
#include "server/core/model.hpp"

namespace sesv2mock {

ImportDestination parse_import_destination(const JsonFields& parent,
                                           const boost::json::object& destination);
ImportDataSource parse_import_data_source(const JsonFields& parent,
                                          const boost::json::object& source);
boost::json::object import_destination_to_json(const ImportDestination& d);

}  // namespace sesv2mock
