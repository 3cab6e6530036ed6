#pragma once
// Virtual Deliverability Manager (VDM) metrics counted from the captured mail: the numbers
// BatchGetMetricData answers and a METRICS_DATA export job writes, from one computation.
//
// Counting rules (BatchGetMetricData's Metric enum in the API reference,
// https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_BatchGetMetricDataQuery.html):
// every metric leaves out messages to the mailbox simulator and messages with more than one
// recipient; COMPLAINT and PERMANENT_BOUNCE also leave out recipients on the account-level
// suppression list; OPEN and CLICK count unique events. Each counted message adds at most 1
// to each metric (the per-metric rules are in vdm_metrics.cpp). A message is counted, with
// all its events, on the UTC day of its send; days are [midnight, next midnight).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// A RATE aggregation divides a metric's count by the count of this metric on the same row:
// SEND for every metric (ExportMetric's Aggregation: "the rate for this metric relative to
// the SEND metric volume"; source cited in the definition).
VdmMetric rate_denominator(VdmMetric m);

struct VdmQuery {
  Partition partition;
  double start = 0;  // epoch seconds, inclusive
  double end = 0;    // epoch seconds, exclusive
  // Each dimension present must have one of its listed values (exact match); absent
  // dimensions do not filter. A message without a configuration set matches no
  // CONFIGURATION_SET value.
  std::map<VdmDimension, std::vector<std::string>> filter;
  // Rows are split by these dimensions' values, in this order (empty: one row per day). A
  // message without a configuration set is left out when CONFIGURATION_SET is grouped by.
  std::vector<VdmDimension> group_by;
  std::vector<VdmMetric> metrics;
};

struct VdmRow {
  double day_start = 0;                   // UTC midnight, epoch seconds
  std::vector<std::string> group_values;  // one per VdmQuery::group_by
  std::vector<std::int64_t> counts;       // one per VdmQuery::metrics
};

// The EMAIL_IDENTITY of a message: the identity its From address (addr-spec) sent as. The
// default (no function) is the address's domain.
using SendingIdentityOf =
    std::function<std::string(const Partition&, const std::string& from_address)>;

class VdmMetrics {
 public:
  explicit VdmMetrics(storage::MessageStore& store, SendingIdentityOf identity_of = {})
      : store_(store), identity_of_(std::move(identity_of)) {}
  // One row per UTC day and value combination holding at least one counted message, days
  // ascending, then group values ascending. Memory is bounded by the number of rows, not of
  // messages: the store is read in batches.
  std::vector<VdmRow> run(const VdmQuery& q) const;
  // Several queries in one pass over the store (BatchGetMetricData's batch): out[i] is what
  // run(qs[i]) gives.
  std::vector<std::vector<VdmRow>> run_all(const std::vector<VdmQuery>& qs) const;

 private:
  storage::MessageStore& store_;
  SendingIdentityOf identity_of_;
};

}  // namespace sesv2mock
