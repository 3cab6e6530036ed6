#pragma once
// Export jobs (CreateExportJob, GetExportJob, ListExportJobs, CancelExportJob): their data
// sources as typed values and the job as stored. The data source is kept as its wire JSON
// (export_job_json) so GetExportJob answers exactly what was asked.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

enum class ExportSourceType { MetricsData, MessageInsights };
std::string_view to_string(ExportSourceType v);
std::optional<ExportSourceType> parse_export_source_type(std::string_view s);

// The model's limits (ExportDimensions, ExportDimensionValue, ExportMetrics,
// MessageInsightsExportMaxResults and the filter lists).
struct ExportLimits {
  static constexpr std::size_t kMaxDimensions = 3;
  static constexpr std::size_t kMaxDimensionValues = 10;
  static constexpr std::size_t kMaxMetrics = 10;
  static constexpr std::int64_t kMaxResults = 10'000;
  static constexpr std::size_t kMaxAddressFilters = 5;
  static constexpr std::size_t kMaxSubjectFilters = 1;
  static constexpr std::size_t kMaxIspFilters = 5;
  static constexpr std::size_t kMaxDeliveryEventFilters = 5;
  static constexpr std::size_t kMaxEngagementEventFilters = 2;
};

struct ExportMetric {
  std::string name;         // Metric enum wire name ("OPEN")
  std::string aggregation;  // "RATE" or "VOLUME"
};

struct MetricsDataSource {
  // Dimension wire name ("ISP") -> its values, in name order.
  std::map<std::string, std::vector<std::string>> dimensions;
  std::string name_space = "VDM";
  std::vector<ExportMetric> metrics;
  double start_date = 0;
  double end_date = 0;
};

// MessageInsightsFilters: every member is a list of alternatives; empty lists do not filter.
struct MessageInsightsFilters {
  std::vector<std::string> from_email_address;
  std::vector<std::string> destination;
  std::vector<std::string> subject;
  std::vector<std::string> isp;
  std::vector<std::string> last_delivery_event;    // DeliveryEventType wire names
  std::vector<std::string> last_engagement_event;  // "OPEN" or "CLICK"
  bool empty() const {
    return from_email_address.empty() && destination.empty() && subject.empty() && isp.empty() &&
           last_delivery_event.empty() && last_engagement_event.empty();
  }
};

struct MessageInsightsDataSource {
  double start_date = 0;
  double end_date = 0;
  std::optional<MessageInsightsFilters> include;
  std::optional<MessageInsightsFilters> exclude;
  std::optional<std::int64_t> max_results;
};

struct ExportDataSource {
  std::optional<MetricsDataSource> metrics;
  std::optional<MessageInsightsDataSource> message_insights;
};

struct ExportDestination {
  DataFormat data_format = DataFormat::Csv;
  std::optional<std::string> s3_url;  // as the request gave it
};

struct ExportJob {
  std::string job_id;
  Partition partition;
  ExportSourceType source_type = ExportSourceType::MessageInsights;
  std::string data_source_json;  // the ExportDataSource shape, as export_data_source_to_json
  ExportDestination destination;
  std::string file_url;  // s3://bucket/key the file is written to
  JobStatus status = JobStatus::Created;
  double created_timestamp = 0;
  std::optional<double> completed_timestamp;
  double status_changed_at = 0;
  std::int64_t processed_records = 0;
  std::int64_t exported_records = 0;
  std::optional<std::string> error_message;
  // Where a run resumes: the last message read (its seq) and the length of the partial file
  // holding every row written up to it.
  std::int64_t checkpoint_seq = 0;
  std::int64_t checkpoint_offset = 0;
  std::int64_t seq = 0;  // creation order
};

}  // namespace sesv2mock
