#include "server/core/model.hpp"

#include <array>
#include <chrono>
#include <cmath>

#include "server/core/enum_names.hpp"

namespace sesv2mock {
namespace {

constexpr std::array<std::pair<ImportAction, std::string_view>, 2> kActions{
    {{ImportAction::Put, "PUT"}, {ImportAction::Delete, "DELETE"}}};
constexpr std::array<std::pair<DataFormat, std::string_view>, 2> kFormats{
    {{DataFormat::Csv, "CSV"}, {DataFormat::Json, "JSON"}}};
constexpr std::array<std::pair<DestinationType, std::string_view>, 2> kDestinations{
    {{DestinationType::SuppressionList, "SUPPRESSION_LIST"},
     {DestinationType::ContactList, "CONTACT_LIST"}}};
constexpr std::array<std::pair<JobStatus, std::string_view>, 5> kStatuses{
    {{JobStatus::Created, "CREATED"},
     {JobStatus::Processing, "PROCESSING"},
     {JobStatus::Completed, "COMPLETED"},
     {JobStatus::Failed, "FAILED"},
     {JobStatus::Cancelled, "CANCELLED"}}};
constexpr std::array<std::pair<SuppressionReason, std::string_view>, 2> kReasons{
    {{SuppressionReason::Bounce, "BOUNCE"}, {SuppressionReason::Complaint, "COMPLAINT"}}};
constexpr std::array<std::pair<SubscriptionStatus, std::string_view>, 2> kSubscriptions{
    {{SubscriptionStatus::OptIn, "OPT_IN"}, {SubscriptionStatus::OptOut, "OPT_OUT"}}};

}  // namespace

std::string_view to_string(ImportAction v) {
  return enum_name(kActions, v);
}
std::string_view to_string(DataFormat v) {
  return enum_name(kFormats, v);
}
std::string_view to_string(DestinationType v) {
  return enum_name(kDestinations, v);
}
std::string_view to_string(JobStatus v) {
  return enum_name(kStatuses, v);
}
std::string_view to_string(SuppressionReason v) {
  return enum_name(kReasons, v);
}
std::string_view to_string(SubscriptionStatus v) {
  return enum_name(kSubscriptions, v);
}

std::optional<ImportAction> parse_import_action(std::string_view s) {
  return enum_value(kActions, s);
}
std::optional<DataFormat> parse_data_format(std::string_view s) {
  return enum_value(kFormats, s);
}
std::optional<DestinationType> parse_destination_type(std::string_view s) {
  return enum_value(kDestinations, s);
}
std::optional<JobStatus> parse_job_status(std::string_view s) {
  return enum_value(kStatuses, s);
}
std::optional<SuppressionReason> parse_suppression_reason(std::string_view s) {
  return enum_value(kReasons, s);
}
std::optional<SubscriptionStatus> parse_subscription_status(std::string_view s) {
  return enum_value(kSubscriptions, s);
}

bool is_final(JobStatus s) {
  return s == JobStatus::Completed || s == JobStatus::Failed || s == JobStatus::Cancelled;
}

bool is_legal_transition(JobStatus from, JobStatus to) {
  switch (from) {
    case JobStatus::Created:
      return to == JobStatus::Processing || to == JobStatus::Cancelled;
    case JobStatus::Processing:
      return to == JobStatus::Completed || to == JobStatus::Failed || to == JobStatus::Cancelled;
    default:
      return false;
  }
}

double now_epoch_seconds() {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return static_cast<double>(ms) / 1000.0;
}

}  // namespace sesv2mock
