#pragma once
// Virtual Deliverability Manager (VDM) metrics counted from the captured mail: the numbers
// BatchGetMetricData answers and a METRICS_DATA export job writes, from one computation.
//
// Counting rules (SES developer guide, VDM metrics and BatchGetMetricData's Metric enum):
// every metric leaves out messages to the mailbox simulator and messages with more than one
// recipient; COMPLAINT and PERMANENT_BOUNCE also leave out recipients on the account-level
// suppression list; OPEN and CLICK count unique events (one per message and recipient).
// A message is counted on the UTC day of its send; days are [midnight, next midnight).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {
namespace storage {
class MessageStore;
}

enum class VdmMetric {
  Send,
  Complaint,
  PermanentBounce,
  TransientBounce,
  Open,
  Click,
  Delivery,
  DeliveryOpen,
  DeliveryClick,
  DeliveryComplaint,
};

enum class VdmDimension { EmailIdentity, ConfigurationSet, Isp };

// Wire names ("PERMANENT_BOUNCE", "EMAIL_IDENTITY"); nullopt for an unknown name.
std::optional<VdmMetric> vdm_metric_from_wire(std::string_view name);
std::string_view wire_name(VdmMetric m);
std::optional<VdmDimension> vdm_dimension_from_wire(std::string_view name);
std::string_view wire_name(VdmDimension d);

// A RATE aggregation divides a metric's count by the count of this metric on the same row
// (for example OPEN by DELIVERY_OPEN); see the definition for the table and its source.
VdmMetric rate_denominator(VdmMetric m);

struct VdmQuery {
  Partition partition;
  double start = 0;  // epoch seconds, inclusive
  double end = 0;    // epoch seconds, exclusive
  // Each dimension present must have one of its listed values; absent dimensions do not filter.
  std::map<VdmDimension, std::vector<std::string>> filter;
  // Rows are split by these dimensions' values, in this order (empty: one row per day).
  std::vector<VdmDimension> group_by;
  std::vector<VdmMetric> metrics;
};

struct VdmRow {
  double day_start = 0;                   // UTC midnight, epoch seconds
  std::vector<std::string> group_values;  // one per VdmQuery::group_by
  std::vector<std::int64_t> counts;       // one per VdmQuery::metrics
};

class VdmMetrics {
 public:
  explicit VdmMetrics(storage::MessageStore& store) : store_(store) {}
  // One row per UTC day and value combination holding at least one counted message, days
  // ascending, then group values ascending. Memory is bounded by the number of rows, not of
  // messages: the store is read in batches.
  std::vector<VdmRow> run(const VdmQuery& q) const;

 private:
  storage::MessageStore& store_;
};

}  // namespace sesv2mock
