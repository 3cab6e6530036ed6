#include "server/sending/vdm_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "server/core/email_address.hpp"
#include "server/core/enum_names.hpp"
#include "server/sending/recipient_fate.hpp"
#include "server/sending/send_service.hpp"
#include "storage/message_store.hpp"

namespace sesv2mock {

namespace {

// Messages read from the store per batch: bounds memory whatever the number of messages.
constexpr int kScanBatch = 1000;
constexpr double kSecondsPerDay = 86400;

constexpr EnumNames<VdmMetric, 10> kMetricNames{{
    {VdmMetric::Send, "SEND"},
    {VdmMetric::Complaint, "COMPLAINT"},
    {VdmMetric::PermanentBounce, "PERMANENT_BOUNCE"},
    {VdmMetric::TransientBounce, "TRANSIENT_BOUNCE"},
    {VdmMetric::Open, "OPEN"},
    {VdmMetric::Click, "CLICK"},
    {VdmMetric::Delivery, "DELIVERY"},
    {VdmMetric::DeliveryOpen, "DELIVERY_OPEN"},
    {VdmMetric::DeliveryClick, "DELIVERY_CLICK"},
    {VdmMetric::DeliveryComplaint, "DELIVERY_COMPLAINT"},
}};

constexpr EnumNames<VdmDimension, 3> kDimensionNames{{
    {VdmDimension::EmailIdentity, "EMAIL_IDENTITY"},
    {VdmDimension::ConfigurationSet, "CONFIGURATION_SET"},
    {VdmDimension::Isp, "ISP"},
}};

constexpr std::size_t kMetricCount = kMetricNames.size();
using Hits = std::array<bool, kMetricCount>;

std::size_t index_of(VdmMetric m) {
  return static_cast<std::size_t>(m);
}

bool has_event(const StoredRecipient& r, const char* type) {
  return std::any_of(r.events.begin(), r.events.end(),
                     [&](const MessageEvent& e) { return e.type == type; });
}

bool has_bounce(const StoredRecipient& r, const char* bounce_type) {
  return std::any_of(r.events.begin(), r.events.end(), [&](const MessageEvent& e) {
    return e.type == event_type::kBounce && e.bounce_type == bounce_type;
  });
}

// What one counted recipient adds to each metric (0 or 1), from its events:
// - SEND: a SEND event (suppressed sends too: the model's InsightsEvent doc says SES counts
//   them as sends). A rendering failure has no SEND event and counts nowhere.
// - DELIVERY: a DELIVERY event.
// - PERMANENT_BOUNCE / TRANSIENT_BOUNCE: a BOUNCE of that BounceType; a permanent bounce of
//   a recipient on the account-level suppression list is left out.
// - COMPLAINT: a COMPLAINT event, except for a suppressed recipient.
// - OPEN / CLICK: an OPEN / CLICK event (unique: several count once).
// - DELIVERY_OPEN / DELIVERY_CLICK / DELIVERY_COMPLAINT: a DELIVERY event. The mock tracks
//   opens and clicks of every message and treats every ISP as having a feedback loop, so
//   these equal DELIVERY (SES leaves out messages without trackers / ISPs without one).
Hits hits_of(const StoredRecipient& r) {
  const bool suppressed = r.fate == fate::kSuppressed;
  const bool delivered = has_event(r, event_type::kDelivery);
  Hits h{};
  h[index_of(VdmMetric::Send)] = has_event(r, event_type::kSend);
  h[index_of(VdmMetric::Complaint)] = !suppressed && has_event(r, event_type::kComplaint);
  h[index_of(VdmMetric::PermanentBounce)] = !suppressed && has_bounce(r, "PERMANENT");
  h[index_of(VdmMetric::TransientBounce)] = has_bounce(r, "TRANSIENT");
  h[index_of(VdmMetric::Open)] = has_event(r, event_type::kOpen);
  h[index_of(VdmMetric::Click)] = has_event(r, event_type::kClick);
  h[index_of(VdmMetric::Delivery)] = delivered;
  h[index_of(VdmMetric::DeliveryOpen)] = delivered;
  h[index_of(VdmMetric::DeliveryClick)] = delivered;
  h[index_of(VdmMetric::DeliveryComplaint)] = delivered;
  return h;
}

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? address : address.substr(at + 1);
}

// The dimension values of one counted message (nullopt: it has none for that dimension).
class DimensionValues {
 public:
  DimensionValues(const StoredMessage& m, const SendingIdentityOf& identity_of,
                  std::unordered_map<std::string, std::string>& identity_cache)
      : m_(m), identity_of_(identity_of), identity_cache_(identity_cache) {}

  std::optional<std::string> value(VdmDimension d) {
    switch (d) {
      case VdmDimension::EmailIdentity:
        return identity();
      case VdmDimension::ConfigurationSet:
        return m_.configuration_set;
      case VdmDimension::Isp:
        return isp_of(m_.recipients.front().address);
    }
    return std::nullopt;
  }

 private:
  std::string identity() {
    std::string from = address_part(m_.source);
    if (auto normalized = normalize_email_address(from))
      from = *normalized;
    auto it = identity_cache_.find(from);
    if (it == identity_cache_.end()) {
      std::string id = identity_of_ ? identity_of_(m_.partition, from) : domain_of(from);
      it = identity_cache_.emplace(from, std::move(id)).first;
    }
    return it->second;
  }

  const StoredMessage& m_;
  const SendingIdentityOf& identity_of_;
  std::unordered_map<std::string, std::string>& identity_cache_;
};

bool passes(const VdmQuery& q, DimensionValues& values) {
  for (const auto& [dimension, allowed] : q.filter) {
    auto v = values.value(dimension);
    if (!v || std::find(allowed.begin(), allowed.end(), *v) == allowed.end())
      return false;
  }
  return true;
}

}  // namespace

std::optional<VdmMetric> vdm_metric_from_wire(std::string_view name) {
  return enum_value(kMetricNames, name);
}

std::string_view wire_name(VdmMetric m) {
  return enum_name(kMetricNames, m);
}

std::optional<VdmDimension> vdm_dimension_from_wire(std::string_view name) {
  return enum_value(kDimensionNames, name);
}

std::string_view wire_name(VdmDimension d) {
  return enum_name(kDimensionNames, d);
}

// "RATE - The rate for this metric relative to the SEND metric volume."
// (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_ExportMetric.html)
VdmMetric rate_denominator(VdmMetric) {
  return VdmMetric::Send;
}

namespace {

// One query's rows while the store is read, keyed by day, then group values: std::map keeps
// the output order the header promises.
using RowMap = std::map<std::pair<double, std::vector<std::string>>, std::vector<std::int64_t>>;

void count(const VdmQuery& q, const StoredMessage& m, DimensionValues& values, RowMap& rows) {
  if (m.created_timestamp < q.start || m.created_timestamp >= q.end || !passes(q, values))
    return;
  std::vector<std::string> group;
  for (auto d : q.group_by) {
    auto v = values.value(d);
    if (!v)
      return;
    group.push_back(std::move(*v));
  }
  const double day = std::floor(m.created_timestamp / kSecondsPerDay) * kSecondsPerDay;
  auto& counts = rows[{day, std::move(group)}];
  counts.resize(q.metrics.size());
  const Hits hits = hits_of(m.recipients.front());
  for (std::size_t i = 0; i < q.metrics.size(); ++i)
    counts[i] += hits[index_of(q.metrics[i])] ? 1 : 0;
}

}  // namespace

std::vector<VdmRow> VdmMetrics::run(const VdmQuery& q) const {
  return std::move(run_all({q}).front());
}

std::vector<std::vector<VdmRow>> VdmMetrics::run_all(const std::vector<VdmQuery>& qs) const {
  std::vector<std::vector<VdmRow>> out(qs.size());
  if (qs.empty())
    return out;
  // Queries of another partition than the first one's are answered by their own pass.
  std::vector<std::size_t> here;
  for (std::size_t i = 0; i < qs.size(); ++i) {
    if (qs[i].partition == qs.front().partition)
      here.push_back(i);
    else
      out[i] = run(qs[i]);
  }
  double start = qs.front().start, end = qs.front().end;
  for (auto i : here) {
    start = std::min(start, qs[i].start);
    end = std::max(end, qs[i].end);
  }
  std::vector<RowMap> rows(qs.size());
  std::unordered_map<std::string, std::string> identity_cache;
  std::int64_t after = 0;
  for (;;) {
    auto batch = store_.scan(qs.front().partition, start, end, after, kScanBatch);
    for (const auto& m : batch) {
      if (m.recipients.size() != 1 || simulator_address(m.recipients.front().address))
        continue;
      DimensionValues values(m, identity_of_, identity_cache);
      for (auto i : here)
        count(qs[i], m, values, rows[i]);
    }
    if (batch.size() < static_cast<std::size_t>(kScanBatch))
      break;
    after = batch.back().seq;
  }
  for (auto i : here) {
    out[i].reserve(rows[i].size());
    for (auto& [key, counts] : rows[i])
      out[i].push_back({key.first, key.second, std::move(counts)});
  }
  return out;
}

}  // namespace sesv2mock
