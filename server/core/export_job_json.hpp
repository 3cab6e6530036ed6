#pragma once
// JSON of the ExportDataSource and ExportDestination shapes (member names as in the sesv2
// model). Parsing checks what the model itself constrains (enums, list lengths, ranges) and
// names the member's AWS path in its BadRequestException; the rules between members (one
// data source, dates in order) are the export service's.
#include <boost/json/object.hpp>

#include "server/core/export_job.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

ExportDataSource parse_export_data_source(const JsonFields& parent,
                                          const boost::json::object& source);
ExportDestination parse_export_destination(const JsonFields& parent,
                                           const boost::json::object& destination);

// Timestamps as epoch seconds, as rest-json writes them; lists in request order.
boost::json::object export_data_source_to_json(const ExportDataSource& s);
// A stored data source (written by export_data_source_to_json).
ExportDataSource export_data_source_from_text(const std::string& text);

}  // namespace sesv2mock
