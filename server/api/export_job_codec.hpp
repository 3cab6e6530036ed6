#pragma once
// JSON <-> typed shapes of the export-job operations (rest-json, epoch-number timestamps).
#include <boost/json/object.hpp>

#include "server/exports/export_job_service.hpp"

namespace sesv2mock {

CreateExportJobRequest parse_create_export_job(const boost::json::object& body);
ListExportJobsRequest parse_list_export_jobs(const boost::json::object& body);

// GetExportJob output; `file_url` (the mock download URL) is set once the file is written.
boost::json::object export_job_to_json(const ExportJob& job, const std::string& file_url);
boost::json::object export_job_summary_to_json(const ExportJob& job);
boost::json::object list_export_jobs_to_json(const ExportJobPage& page);
// One job of GET /_mock/export-jobs.
boost::json::object export_job_control_summary(const ExportJob& job, const std::string& file_url);

}  // namespace sesv2mock
