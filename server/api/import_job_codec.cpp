#include "server/api/import_job_codec.hpp"

#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

template <typename E>
E required_enum(const JsonFields& f, std::string_view name,
                std::optional<E> (*parse)(std::string_view), const char* allowed) {
  auto text = f.string(name);
  if (!text) throw ApiError::missing_field(f.path(name));
  auto value = parse(*text);
  if (!value) {
    throw ApiError::validation(f.path(name),
                               std::string("Member must satisfy enum value set: ") + allowed);
  }
  return *value;
}

}  // namespace

ImportDestination parse_import_destination(const JsonFields& parent, const json::object& obj) {
  JsonFields f = parent.nested("ImportDestination", obj);
  const json::object* suppression = f.object("SuppressionListDestination");
  const json::object* contacts = f.object("ContactListDestination");
  if ((suppression == nullptr) == (contacts == nullptr)) {
    throw ApiError::bad_request(
        "1 validation error detected: Value at 'importDestination' failed to satisfy "
        "constraint: Member must have exactly one of SuppressionListDestination or "
        "ContactListDestination");
  }
  ImportDestination d;
  if (suppression) {
    JsonFields s = f.nested("SuppressionListDestination", *suppression);
    d.type = DestinationType::SuppressionList;
    d.action = required_enum<ImportAction>(s, "SuppressionListImportAction", parse_import_action,
                                           "[DELETE, PUT]");
  } else {
    JsonFields c = f.nested("ContactListDestination", *contacts);
    d.type = DestinationType::ContactList;
    d.contact_list_name = c.required_string("ContactListName");
    d.action = required_enum<ImportAction>(c, "ContactListImportAction", parse_import_action,
                                           "[DELETE, PUT]");
  }
  return d;
}

ImportDataSource parse_import_data_source(const JsonFields& parent, const json::object& obj) {
  JsonFields f = parent.nested("ImportDataSource", obj);
  ImportDataSource source;
  source.s3_url = f.required_string("S3Url");
  source.data_format = required_enum<DataFormat>(f, "DataFormat", parse_data_format, "[CSV, JSON]");
  return source;
}

CreateImportJobRequest parse_create_import_job(const json::object& body) {
  JsonFields f(body);
  const json::object* destination = f.object("ImportDestination");
  if (!destination) throw ApiError::missing_field(f.path("ImportDestination"));
  const json::object* source = f.object("ImportDataSource");
  if (!source) throw ApiError::missing_field(f.path("ImportDataSource"));
  return {parse_import_destination(f, *destination), parse_import_data_source(f, *source)};
}

ListImportJobsRequest parse_list_import_jobs(const json::object& body) {
  JsonFields f(body);
  ListImportJobsRequest r;
  if (auto type = f.string("ImportDestinationType")) {
    r.destination_type = parse_destination_type(*type);
    if (!r.destination_type) {
      throw ApiError::validation(f.path("ImportDestinationType"),
                                 "Member must satisfy enum value set: [SUPPRESSION_LIST, "
                                 "CONTACT_LIST]");
    }
  }
  r.page_size = f.integer("PageSize");
  r.next_token = f.string("NextToken");
  return r;
}

json::object import_destination_to_json(const ImportDestination& d) {
  if (d.type == DestinationType::SuppressionList) {
    return {{"SuppressionListDestination",
             {{"SuppressionListImportAction", to_string(d.action)}}}};
  }
  return {{"ContactListDestination",
           {{"ContactListName", d.contact_list_name},
            {"ContactListImportAction", to_string(d.action)}}}};
}

json::object import_job_summary_to_json(const ImportJob& job) {
  return {{"JobId", job.job_id},
          {"ImportDestination", import_destination_to_json(job.destination)},
          {"JobStatus", to_string(job.status)},
          {"CreatedTimestamp", job.created_timestamp},
          {"ProcessedRecordsCount", job.processed_records},
          {"FailedRecordsCount", job.failed_records}};
}

json::object import_job_to_json(const ImportJob& job, const std::string& failed_records_url) {
  json::object out = import_job_summary_to_json(job);
  out["ImportDataSource"] = {{"S3Url", job.source.s3_url},
                             {"DataFormat", to_string(job.source.data_format)}};
  if (job.completed_timestamp) out["CompletedTimestamp"] = *job.completed_timestamp;
  json::object failure;
  if (job.error_message) failure["ErrorMessage"] = *job.error_message;
  if (!failed_records_url.empty()) failure["FailedRecordsS3Url"] = failed_records_url;
  if (!failure.empty()) out["FailureInfo"] = std::move(failure);
  return out;
}

}  // namespace sesv2mock
