#include "server/core/messages.hpp"

namespace sesv2mock::errors {

ApiError job_not_found(const std::string& noun, const std::string& job_id) {
  return ApiError::not_found(noun + " " + job_id + " does not exist.");
}
ApiError import_job_not_found(const std::string& job_id) {
  return job_not_found("Import job", job_id);
}
ApiError import_list_not_found(const std::string& list_name) {
  return ApiError::not_found("ContactList " + list_name + " doesn't exist");
}
ApiError import_jobs_limit(std::int64_t max_unfinished) {
  return ApiError::limit_exceeded("You have reached the limit of " +
                                  std::to_string(max_unfinished) +
                                  " import jobs that are not finished.");
}
ApiError export_job_not_found(const std::string& job_id) {
  return job_not_found("Export job", job_id);
}
ApiError export_jobs_limit(std::int64_t max_unfinished) {
  return ApiError::limit_exceeded("You have reached the limit of " +
                                  std::to_string(max_unfinished) +
                                  " export jobs that are not finished.");
}
ApiError export_data_source_count() {
  return ApiError::bad_request(
      "1 validation error detected: Value at 'exportDataSource' failed to satisfy constraint: "
      "Member must have exactly one of MetricsDataSource or MessageInsightsDataSource");
}
ApiError export_dates_out_of_order(const std::string& source_member) {
  return ApiError::bad_request("The StartDate of " + source_member +
                               " must be earlier than its EndDate.");
}
ApiError export_metrics_not_midnight() {
  return ApiError::bad_request(
      "The StartDate and EndDate of MetricsDataSource must be at midnight UTC: metrics are "
      "exported per UTC day.");
}
ApiError export_s3_url_pattern() {
  return ApiError::validation("exportDestination.s3Url",
                              "Member must satisfy regular expression pattern: "
                              "^s3:\\/\\/([^\\/]+)\\/(.*?([^\\/]+)\\/?)$");
}
ApiError export_cancel_finished(const std::string& job_id, const std::string& status) {
  return ApiError::bad_request("Export job " + job_id + " is " + status +
                               " and can no longer be cancelled.");
}
ApiError s3_url_pattern() {
  return ApiError::validation("importDataSource.s3Url",
                              "Member must satisfy regular expression pattern: "
                              "^s3:\\/\\/([^\\/]+)\\/(.*?([^\\/]+)\\/?)$");
}

ApiError page_size_range(std::int64_t min, std::int64_t max) {
  return ApiError::validation(
      "pageSize", "Member must be between " + std::to_string(min) + " and " + std::to_string(max));
}
ApiError invalid_next_token(bool as_invalid_next_token_exception) {
  const std::string message = "The NextToken is not valid for this listing.";
  return as_invalid_next_token_exception ? ApiError::invalid_next_token(message)
                                         : ApiError::bad_request(message);
}

ApiError list_not_found(const std::string& list_name) {
  return ApiError::not_found("List with name: " + list_name + " doesn't exist.");
}
ApiError list_exists(const std::string& list_name) {
  return ApiError::already_exists("ContactList " + list_name + " already exists");
}
ApiError lists_limit(std::int64_t max_lists) {
  return ApiError::limit_exceeded("You have reached the limit of " + std::to_string(max_lists) +
                                  " contact list" + (max_lists == 1 ? "" : "s") +
                                  " per account and region.");
}
ApiError list_name_rules() {
  return ApiError::bad_request(
      "ContactListName can contain up to 64 characters. Only alphanumeric characters, "
      "underscores(_) and hyphens(-) are allowed.");
}
ApiError description_too_long() {
  return ApiError::bad_request("List description can contain up to 500 characters.");
}
ApiError too_many_topics(std::size_t max_topics) {
  return ApiError::bad_request("Maximum of <" + std::to_string(max_topics) +
                               "> topics allowed per ContactList");
}
ApiError duplicate_topics() {
  return ApiError::bad_request("Duplicate topic names are not allowed within a List.");
}
ApiError topic_not_in_list(const std::string& list_name, const std::string& topic) {
  return ApiError::bad_request("List: " + list_name + " doesn't contain Topic: " + topic);
}
ApiError contact_not_found(const std::string& email) {
  return ApiError::not_found(email + " doesn't exist in List.");
}
ApiError contact_exists(const std::string& email) {
  return ApiError::already_exists(email + " already exists in List.");
}
ApiError email_invalid(const std::string& email) {
  if (email.find_first_not_of(" \t\r\n") == std::string::npos) {
    return ApiError::bad_request("EmailAddress can't be blank.");
  }
  return ApiError::bad_request("EmailAddress " + email + " is invalid");
}
ApiError duplicate_topic_preference(const std::string& topic) {
  return ApiError::bad_request("The topic " + topic +
                               " appears more than once in TopicPreferences.");
}
ApiError attributes_not_object(const std::string& why) {
  return ApiError::bad_request("AttributesData must be a JSON object; " + why);
}

ApiError too_many_tags(std::size_t max_tags) {
  return ApiError::bad_request("A resource can have at most " + std::to_string(max_tags) +
                               " tags.");
}
ApiError tag_key_length(std::size_t max_length) {
  return ApiError::bad_request("A tag key must be 1 to " + std::to_string(max_length) +
                               " characters long.");
}
ApiError tag_value_length(std::size_t max_length) {
  return ApiError::bad_request("A tag value can be at most " + std::to_string(max_length) +
                               " characters long.");
}
ApiError tag_characters(const std::string& which) {
  return ApiError::bad_request("A tag " + which +
                               " can contain only Unicode letters, digits, white space and "
                               "_ . : / = + -");
}
ApiError duplicate_tag_key(const std::string& key) {
  return ApiError::bad_request("The tag key " + key + " appears more than once.");
}
ApiError reserved_tag_prefix() {
  return ApiError::bad_request(
      "The aws: prefix is reserved for AWS; tag keys and values cannot use it.");
}

ApiError suppressed_not_found(const std::string& email) {
  return ApiError::not_found("Email address " + email +
                             " does not exist on your suppression list.");
}
ApiError suppression_email_invalid(const std::string& why) {
  return ApiError::bad_request("Invalid EmailAddress: " + why);
}

ApiError illegal_job_move(const std::string& job_id, const std::string& from, const std::string& to,
                          const std::string& noun) {
  return ApiError::conflict(noun + " " + job_id + " is " + from + "; it cannot move to " + to +
                            ".");
}
ApiError fault_not_found(const std::string& fault_id) {
  return ApiError::not_found("Fault " + fault_id + " does not exist.");
}

}  // namespace sesv2mock::errors
