#pragma once
// JSON <-> typed shapes of the import-job operations (rest-json, epoch-number timestamps).
#include <boost/json/object.hpp>

#include "server/imports/import_job_service.hpp"

namespace sesv2mock {

CreateImportJobRequest parse_create_import_job(const boost::json::object& body);
ListImportJobsRequest parse_list_import_jobs(const boost::json::object& body);

// GetImportJob output. `failed_records_url` is set when the job has failed records.
boost::json::object import_job_to_json(const ImportJob& job, const std::string& failed_records_url);
boost::json::object import_job_summary_to_json(const ImportJob& job);
// The /_mock view of a job (control answers, the inspector's listing): GetImportJob's shape
// plus Account, Region and, once a run has counted the file, TotalRecordsCount (the records
// ProcessedRecordsCount reaches at the end). Not part of the SES wire shapes.
boost::json::object mock_import_job_to_json(const ImportJob& job,
                                            const std::string& failed_records_url);
boost::json::object list_import_jobs_to_json(const ListImportJobsResult& r);

}  // namespace sesv2mock
