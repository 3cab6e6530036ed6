#pragma once
// Domain types of the SES v2 import-jobs API, named the way the API names them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sesv2mock {

// State is partitioned by account and region (SPEC §1).
struct Partition {
  std::string account = "000000000000";
  std::string region = "us-east-1";
  bool operator==(const Partition&) const = default;
};

enum class ImportAction { Put, Delete };
enum class DataFormat { Csv, Json };
enum class DestinationType { SuppressionList, ContactList };
enum class JobStatus { Created, Processing, Completed, Failed, Cancelled };
enum class SuppressionReason { Bounce, Complaint };
enum class SubscriptionStatus { OptIn, OptOut };

// Wire names ("PUT", "CSV", "SUPPRESSION_LIST", ...) and back; parse_* return nullopt
// for a name outside the enum.
std::string_view to_string(ImportAction v);
std::string_view to_string(DataFormat v);
std::string_view to_string(DestinationType v);
std::string_view to_string(JobStatus v);
std::string_view to_string(SuppressionReason v);
std::string_view to_string(SubscriptionStatus v);
std::optional<ImportAction> parse_import_action(std::string_view s);
std::optional<DataFormat> parse_data_format(std::string_view s);
std::optional<DestinationType> parse_destination_type(std::string_view s);
std::optional<JobStatus> parse_job_status(std::string_view s);
std::optional<SuppressionReason> parse_suppression_reason(std::string_view s);
std::optional<SubscriptionStatus> parse_subscription_status(std::string_view s);

// The lifecycle: CREATED -> PROCESSING -> COMPLETED | FAILED, and CANCELLED from
// CREATED or PROCESSING. Nothing else is legal.
bool is_legal_transition(JobStatus from, JobStatus to);
bool is_final(JobStatus s);

struct ImportDestination {
  DestinationType type = DestinationType::SuppressionList;
  ImportAction action = ImportAction::Put;
  std::string contact_list_name;  // only for ContactList
};

struct ImportDataSource {
  std::string s3_url;
  DataFormat data_format = DataFormat::Csv;
};

struct ImportJob {
  std::string job_id;
  Partition partition;
  ImportDestination destination;
  ImportDataSource source;
  JobStatus status = JobStatus::Created;
  double created_timestamp = 0;
  std::optional<double> completed_timestamp;
  std::int64_t processed_records = 0;
  std::int64_t failed_records = 0;
  std::optional<std::string> error_message;
  // Where processing resumes after a restart: the byte offset and line number just
  // past the last record whose effect is committed.
  std::int64_t checkpoint_offset = 0;
  std::int64_t checkpoint_line = 0;
  double status_changed_at = 0;  // for the delayed processing mode
  std::int64_t seq = 0;          // creation order, newest first in listings
  // Records in the source file (headers not counted), known once a run has counted them;
  // the inspector's progress bar. Not an SES member.
  std::optional<std::int64_t> total_records;
};

struct SuppressedDestination {
  std::string email_address;
  SuppressionReason reason = SuppressionReason::Bounce;
  double last_update_time = 0;
};

struct Topic {
  std::string topic_name;
  std::string display_name;
  std::string description;
  SubscriptionStatus default_subscription_status = SubscriptionStatus::OptOut;
};

struct Tag {
  std::string key;
  std::string value;
};

struct ContactList {
  std::string contact_list_name;
  std::vector<Topic> topics;
  std::optional<std::string> description;
  std::vector<Tag> tags;
  double created_timestamp = 0;
  double last_updated_timestamp = 0;
};

struct TopicPreference {
  std::string topic_name;
  SubscriptionStatus subscription_status = SubscriptionStatus::OptIn;
};

struct Contact {
  std::string email_address;
  std::vector<TopicPreference> topic_preferences;
  bool unsubscribe_all = false;
  std::optional<std::string> attributes_data;
  double created_timestamp = 0;
  double last_updated_timestamp = 0;
};

// A record the worker could not apply: its 1-based line, the raw text and why.
struct FailedRecord {
  std::int64_t line = 0;
  std::string record;
  std::string reason;
};

// Seconds since the epoch, with millisecond precision.
double now_epoch_seconds();

}  // namespace sesv2mock
