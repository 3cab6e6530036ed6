#pragma once
// MESSAGE_INSIGHTS export rows: one per captured message and destination, the filters of
// MessageInsightsDataSource, and the row as a CSV line or a JSON line.
//
// The columns are OUR OWN: the files SES writes for message-insights exports are not
// documented in any source we could find (SES developer guide, API reference), so the
// columns are named after the API's members (GetMessageInsights, MessageInsightsFilters)
// and listed in the README ("Export jobs").
#include <optional>
#include <string>
#include <string_view>

#include "server/core/captured_message.hpp"
#include "server/core/export_job.hpp"

namespace sesv2mock {

// The file's columns, in order.
inline constexpr std::string_view kInsightColumns[] = {"MessageId",
                                                       "FromEmailAddress",
                                                       "Subject",
                                                       "Destination",
                                                       "Isp",
                                                       "SendTimestamp",
                                                       "LastDeliveryEvent",
                                                       "LastDeliveryEventTimestamp",
                                                       "LastEngagementEvent",
                                                       "LastEngagementEventTimestamp",
                                                       "ConfigurationSet",
                                                       "EmailTags"};

struct LastEvent {
  std::string type;  // DeliveryEventType or EngagementEventType wire name
  double timestamp = 0;
};

struct InsightRow {
  const StoredMessage* message = nullptr;
  const StoredRecipient* recipient = nullptr;
  std::string from_address;  // the From's addr-spec
  std::string isp;
  std::optional<LastEvent> last_delivery;    // SEND, DELIVERY, *_BOUNCE or COMPLAINT
  std::optional<LastEvent> last_engagement;  // OPEN or CLICK
};

InsightRow insight_row(const StoredMessage& m, const StoredRecipient& r);

// Include: every non-empty list must contain the row's value; Exclude: the row is left out
// when any non-empty list contains its value. Addresses and ISPs compare case-insensitively;
// Subject matches when the row's subject contains it (case-insensitively).
bool insight_wanted(const MessageInsightsDataSource& source, const InsightRow& row);

// "2026-11-30T01:02:03.456Z"
std::string iso_utc(double epoch_seconds);

// The header line (CSV only) and one row as a line, appended to `out`.
void append_insight_header(DataFormat format, std::string& out);
void append_insight_row(DataFormat format, const InsightRow& row, std::string& out);

}  // namespace sesv2mock
