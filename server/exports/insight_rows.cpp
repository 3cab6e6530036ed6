#include "server/exports/insight_rows.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>

#include "server/core/csv_field.hpp"
#include "server/sending/recipient_fate.hpp"
#include "server/sending/send_service.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The DeliveryEventType of a stored event, or nullopt when it is not a delivery event.
std::optional<std::string> delivery_type(const MessageEvent& e) {
  if (e.type == event_type::kSend || e.type == event_type::kDelivery ||
      e.type == event_type::kComplaint)
    return e.type;
  if (e.type == event_type::kBounce) {
    const std::string kind = e.bounce_type.value_or("UNDETERMINED");
    if (kind == "PERMANENT")
      return "PERMANENT_BOUNCE";
    if (kind == "TRANSIENT")
      return "TRANSIENT_BOUNCE";
    return "UNDETERMINED_BOUNCE";
  }
  return std::nullopt;
}

bool contains_ci(const std::vector<std::string>& list, const std::string& value) {
  const std::string v = lower(value);
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return lower(s) == v; });
}

bool subject_matches(const std::vector<std::string>& list, const std::string& subject) {
  const std::string s = lower(subject);
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& f) { return s.find(lower(f)) != std::string::npos; });
}

bool event_in(const std::vector<std::string>& list, const std::optional<LastEvent>& e) {
  return e && std::find(list.begin(), list.end(), e->type) != list.end();
}

// Whether the row matches each non-empty list: `all` (Include) asks every list to match,
// otherwise (Exclude) one matching list is enough.
bool filters_match(const MessageInsightsFilters& f, const InsightRow& row, bool all) {
  int asked = 0;
  int matched = 0;
  auto check = [&](bool present, bool matches) {
    if (!present)
      return;
    ++asked;
    if (matches)
      ++matched;
  };
  check(!f.from_email_address.empty(), contains_ci(f.from_email_address, row.from_address));
  check(!f.destination.empty(), contains_ci(f.destination, row.recipient->address));
  check(!f.subject.empty(), subject_matches(f.subject, row.message->subject));
  check(!f.isp.empty(), contains_ci(f.isp, row.isp));
  check(!f.last_delivery_event.empty(), event_in(f.last_delivery_event, row.last_delivery));
  check(!f.last_engagement_event.empty(), event_in(f.last_engagement_event, row.last_engagement));
  return all ? matched == asked : matched > 0;
}

std::string tags_text(const std::vector<Tag>& tags) {
  json::object o;
  for (const auto& t : tags)
    o[t.key] = t.value;
  return json::serialize(o);
}

}  // namespace

InsightRow insight_row(const StoredMessage& m, const StoredRecipient& r) {
  InsightRow row;
  row.message = &m;
  row.recipient = &r;
  row.from_address = address_part(m.source);
  row.isp = isp_of(r.address);
  for (const auto& e : r.events) {  // ascending timestamps: the last one wins
    if (auto type = delivery_type(e)) {
      row.last_delivery = LastEvent{*type, e.timestamp};
    } else if (e.type == event_type::kOpen || e.type == event_type::kClick) {
      row.last_engagement = LastEvent{e.type, e.timestamp};
    }
  }
  return row;
}

bool insight_wanted(const MessageInsightsDataSource& source, const InsightRow& row) {
  if (source.include && !filters_match(*source.include, row, true))
    return false;
  if (source.exclude && !source.exclude->empty() && filters_match(*source.exclude, row, false))
    return false;
  return true;
}

std::string iso_utc(double epoch_seconds) {
  const double whole = std::floor(epoch_seconds);
  const auto seconds = static_cast<std::time_t>(whole);
  int millis = static_cast<int>(std::lround((epoch_seconds - whole) * 1000));
  std::time_t shown = seconds;
  if (millis >= 1000) {
    millis -= 1000;
    ++shown;
  }
  std::tm tm{};
  gmtime_r(&shown, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return text;
}

void append_insight_header(DataFormat format, std::string& out) {
  if (format != DataFormat::Csv)
    return;
  bool first = true;
  for (auto column : kInsightColumns) {
    if (!first)
      out.push_back(',');
    first = false;
    out += column;
  }
  out.push_back('\n');
}

void append_insight_row(DataFormat format, const InsightRow& row, std::string& out) {
  const StoredMessage& m = *row.message;
  const std::string delivery = row.last_delivery ? row.last_delivery->type : "";
  const std::string delivery_at = row.last_delivery ? iso_utc(row.last_delivery->timestamp) : "";
  const std::string engagement = row.last_engagement ? row.last_engagement->type : "";
  const std::string engagement_at =
      row.last_engagement ? iso_utc(row.last_engagement->timestamp) : "";
  if (format == DataFormat::Csv) {
    const std::string fields[] = {m.message_id,
                                  row.from_address,
                                  m.subject,
                                  row.recipient->address,
                                  row.isp,
                                  iso_utc(m.created_timestamp),
                                  delivery,
                                  delivery_at,
                                  engagement,
                                  engagement_at,
                                  m.configuration_set.value_or(""),
                                  tags_text(m.tags)};
    bool first = true;
    for (const auto& f : fields) {
      if (!first)
        out.push_back(',');
      first = false;
      out += csv_field(f);
    }
    out.push_back('\n');
    return;
  }
  // JSON lines: absent values are null, so every line has every column.
  auto text_or_null = [](const std::string& s) -> json::value {
    return s.empty() ? json::value(nullptr) : json::value(s);
  };
  json::object tags;
  for (const auto& t : m.tags)
    tags[t.key] = t.value;
  json::object o{{"MessageId", m.message_id},
                 {"FromEmailAddress", row.from_address},
                 {"Subject", m.subject},
                 {"Destination", row.recipient->address},
                 {"Isp", row.isp},
                 {"SendTimestamp", iso_utc(m.created_timestamp)},
                 {"LastDeliveryEvent", text_or_null(delivery)},
                 {"LastDeliveryEventTimestamp", text_or_null(delivery_at)},
                 {"LastEngagementEvent", text_or_null(engagement)},
                 {"LastEngagementEventTimestamp", text_or_null(engagement_at)},
                 {"ConfigurationSet", text_or_null(m.configuration_set.value_or(""))},
                 {"EmailTags", std::move(tags)}};
  out += json::serialize(o);
  out.push_back('\n');
}

}  // namespace sesv2mock
