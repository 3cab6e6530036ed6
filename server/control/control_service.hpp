#pragma once
// The /_mock control API's logic (SPEC §5): job control, processing mode, faults.
#include <boost/json/object.hpp>

#include <string>

#include "server/control/services.hpp"

namespace sesv2mock {

// Job control. Each throws ApiError: NotFoundException for an unknown job,
// ConflictException (409) naming the states for a move the state machine forbids.
ImportJob advance_import_job(Services& s, const std::string& job_id);
ImportJob cancel_import_job(Services& s, const std::string& job_id);
ImportJob fail_import_job(Services& s, const std::string& job_id, const std::string& message);

// {"processingMode": "manual", "processingDelayMs": 500}; either member may be left out.
void update_config(Services& s, const boost::json::object& body);
boost::json::object config_to_json(Services& s);

// {"operation": "GetImportJob", "errorCode": "TooManyRequestsException", "message": "...",
//  "count": 2 | "durationMs": 5000, "status": 429}
Fault parse_fault(const boost::json::object& body);
boost::json::object fault_to_json(const Fault& f);

}  // namespace sesv2mock
