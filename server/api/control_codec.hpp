#pragma once
// JSON of the /_mock control API (SPEC §5).
#include <boost/json/object.hpp>

#include <optional>

#include "server/control/control_service.hpp"
#include "server/control/fault_injector.hpp"

namespace sesv2mock {

// {"processingMode": "manual", "processingDelayMs": 500}; either member may be left out.
ConfigUpdate parse_config_update(const boost::json::object& body);
boost::json::object config_to_json(const MockConfig& config);

// {"operation": "GetImportJob", "errorCode": "TooManyRequestsException", "message": "...",
//  "count": 2 | "durationMs": 5000, "status": 429}
Fault parse_fault(const boost::json::object& body);
boost::json::object fault_to_json(const Fault& f);

// {"account": "...", "region": "..."}: the partition to reset, nullopt for everything.
std::optional<Partition> parse_reset(const boost::json::object& body);

}  // namespace sesv2mock
