#include "server/core/export_job_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "server/core/enum_names.hpp"
#include "server/core/errors.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

constexpr EnumNames<ExportSourceType, 2> kSourceTypes{{
    {ExportSourceType::MetricsData, "METRICS_DATA"},
    {ExportSourceType::MessageInsights, "MESSAGE_INSIGHTS"},
}};

constexpr std::array<std::string_view, 3> kDimensions{"EMAIL_IDENTITY", "CONFIGURATION_SET", "ISP"};
constexpr std::array<std::string_view, 10> kMetrics{
    "SEND",  "COMPLAINT", "PERMANENT_BOUNCE", "TRANSIENT_BOUNCE", "OPEN",
    "CLICK", "DELIVERY",  "DELIVERY_OPEN",    "DELIVERY_CLICK",   "DELIVERY_COMPLAINT"};
constexpr std::array<std::string_view, 2> kAggregations{"RATE", "VOLUME"};
constexpr std::array<std::string_view, 6> kDeliveryEvents{
    "SEND", "DELIVERY", "TRANSIENT_BOUNCE", "PERMANENT_BOUNCE", "UNDETERMINED_BOUNCE", "COMPLAINT"};
constexpr std::array<std::string_view, 2> kEngagementEvents{"OPEN", "CLICK"};

template <std::size_t N>
std::string enum_set(const std::array<std::string_view, N>& names) {
  std::string out = "Member must satisfy enum value set: [";
  for (std::size_t i = 0; i < N; ++i) {
    if (i)
      out += ", ";
    out += names[i];
  }
  return out + "]";
}

template <std::size_t N>
void check_enum(const std::string& path, const std::string& value,
                const std::array<std::string_view, N>& names) {
  if (std::find(names.begin(), names.end(), value) == names.end())
    throw ApiError::validation(path, enum_set(names));
}

// A list of strings; `check` runs on each (its path is "<list>.<index>", 1-based like AWS).
template <typename Check>
std::vector<std::string> string_list(const JsonFields& f, std::string_view name, std::size_t max,
                                     Check check) {
  std::vector<std::string> out;
  const json::array* a = f.array(name);
  if (!a)
    return out;
  check_length(f.path(name), a->size(), 0, max);
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string path = f.path(name) + "." + std::to_string(i + 1);
    if (!(*a)[i].is_string())
      throw ApiError::validation(path, "Member must be a string");
    out.emplace_back((*a)[i].as_string());
    check(path, out.back());
  }
  return out;
}

MessageInsightsFilters parse_filters(const JsonFields& f) {
  auto text = [](std::size_t min, std::size_t max) {
    return [min, max](const std::string& path, const std::string& v) {
      check_length(path, v.size(), min, max);
    };
  };
  auto none = [](const std::string&, const std::string&) {};
  MessageInsightsFilters out;
  out.from_email_address =
      string_list(f, "FromEmailAddress", ExportLimits::kMaxAddressFilters, text(1, 320));
  out.destination = string_list(f, "Destination", ExportLimits::kMaxAddressFilters, text(1, 320));
  out.subject = string_list(f, "Subject", ExportLimits::kMaxSubjectFilters, text(1, 998));
  out.isp = string_list(f, "Isp", ExportLimits::kMaxIspFilters, none);
  out.last_delivery_event = string_list(
      f, "LastDeliveryEvent", ExportLimits::kMaxDeliveryEventFilters,
      [](const std::string& path, const std::string& v) { check_enum(path, v, kDeliveryEvents); });
  out.last_engagement_event =
      string_list(f, "LastEngagementEvent", ExportLimits::kMaxEngagementEventFilters,
                  [](const std::string& path, const std::string& v) {
                    check_enum(path, v, kEngagementEvents);
                  });
  return out;
}

MetricsDataSource parse_metrics(const JsonFields& f) {
  MetricsDataSource out;
  const json::object* dimensions = f.object("Dimensions");
  if (!dimensions)
    throw ApiError::missing_field(f.path("Dimensions"));
  check_length(f.path("Dimensions"), dimensions->size(), 1, ExportLimits::kMaxDimensions);
  JsonFields d = f.nested("Dimensions", *dimensions);
  for (const auto& [key, value] : *dimensions) {
    const std::string name(key);
    check_enum(f.path("Dimensions"), name, kDimensions);
    const std::string path = f.path("Dimensions") + "." + name;
    if (!value.is_array())
      throw ApiError::validation(path, "Member must be a list");
    check_length(path, value.as_array().size(), 1, ExportLimits::kMaxDimensionValues);
    auto& values = out.dimensions[name];
    for (const auto& v : value.as_array()) {
      if (!v.is_string())
        throw ApiError::validation(path, "Member must be a list of strings");
      values.emplace_back(v.as_string());
    }
  }
  auto ns = f.string("Namespace");
  if (!ns)
    throw ApiError::missing_field(f.path("Namespace"));
  check_enum(f.path("Namespace"), *ns, std::array<std::string_view, 1>{"VDM"});
  out.name_space = *ns;
  const json::array* metrics = f.array("Metrics");
  if (!metrics)
    throw ApiError::missing_field(f.path("Metrics"));
  check_length(f.path("Metrics"), metrics->size(), 1, ExportLimits::kMaxMetrics);
  for (std::size_t i = 0; i < metrics->size(); ++i) {
    const std::string path = f.path("Metrics") + "." + std::to_string(i + 1);
    if (!(*metrics)[i].is_object())
      throw ApiError::validation(path, "Member must be a structure");
    JsonFields m((*metrics)[i].as_object(), path);
    ExportMetric metric;
    metric.name = m.string("Name").value_or("");
    metric.aggregation = m.string("Aggregation").value_or("");
    // Both members are optional in the model, but a metric without them says nothing.
    if (metric.name.empty())
      throw ApiError::missing_field(m.path("Name"));
    if (metric.aggregation.empty())
      throw ApiError::missing_field(m.path("Aggregation"));
    check_enum(m.path("Name"), metric.name, kMetrics);
    check_enum(m.path("Aggregation"), metric.aggregation, kAggregations);
    out.metrics.push_back(std::move(metric));
  }
  out.start_date = f.required_timestamp("StartDate");
  out.end_date = f.required_timestamp("EndDate");
  return out;
}

MessageInsightsDataSource parse_insights(const JsonFields& f) {
  MessageInsightsDataSource out;
  out.start_date = f.required_timestamp("StartDate");
  out.end_date = f.required_timestamp("EndDate");
  if (const json::object* include = f.object("Include"))
    out.include = parse_filters(f.nested("Include", *include));
  if (const json::object* exclude = f.object("Exclude"))
    out.exclude = parse_filters(f.nested("Exclude", *exclude));
  out.max_results = f.integer("MaxResults");
  if (out.max_results && *out.max_results < 1) {
    throw ApiError::validation(f.path("MaxResults"),
                               "Member must have value greater than or equal to 1");
  }
  if (out.max_results && *out.max_results > ExportLimits::kMaxResults) {
    throw ApiError::validation(f.path("MaxResults"),
                               "Member must have value less than or equal to " +
                                   std::to_string(ExportLimits::kMaxResults));
  }
  return out;
}

json::array to_array(const std::vector<std::string>& values) {
  json::array a;
  for (const auto& v : values)
    a.emplace_back(v);
  return a;
}

json::object filters_to_json(const MessageInsightsFilters& f) {
  json::object o;
  auto put = [&o](const char* name, const std::vector<std::string>& values) {
    if (!values.empty())
      o[name] = to_array(values);
  };
  put("FromEmailAddress", f.from_email_address);
  put("Destination", f.destination);
  put("Subject", f.subject);
  put("Isp", f.isp);
  put("LastDeliveryEvent", f.last_delivery_event);
  put("LastEngagementEvent", f.last_engagement_event);
  return o;
}

}  // namespace

std::string_view to_string(ExportSourceType v) {
  return enum_name(kSourceTypes, v);
}

std::optional<ExportSourceType> parse_export_source_type(std::string_view s) {
  return enum_value(kSourceTypes, s);
}

ExportDataSource parse_export_data_source(const JsonFields& parent, const json::object& obj) {
  JsonFields f = parent.nested("ExportDataSource", obj);
  ExportDataSource out;
  if (const json::object* m = f.object("MetricsDataSource"))
    out.metrics = parse_metrics(f.nested("MetricsDataSource", *m));
  if (const json::object* m = f.object("MessageInsightsDataSource"))
    out.message_insights = parse_insights(f.nested("MessageInsightsDataSource", *m));
  return out;
}

ExportDestination parse_export_destination(const JsonFields& parent, const json::object& obj) {
  JsonFields f = parent.nested("ExportDestination", obj);
  ExportDestination out;
  auto format = f.string("DataFormat");
  if (!format)
    throw ApiError::missing_field(f.path("DataFormat"));
  auto parsed = parse_data_format(*format);
  if (!parsed)
    throw ApiError::validation(f.path("DataFormat"),
                               "Member must satisfy enum value set: [CSV, JSON]");
  out.data_format = *parsed;
  out.s3_url = f.string("S3Url");
  return out;
}

json::object export_data_source_to_json(const ExportDataSource& s) {
  json::object out;
  if (s.metrics) {
    json::object dimensions;
    for (const auto& [name, values] : s.metrics->dimensions)
      dimensions[name] = to_array(values);
    json::array metrics;
    for (const auto& m : s.metrics->metrics)
      metrics.push_back(json::object{{"Name", m.name}, {"Aggregation", m.aggregation}});
    out["MetricsDataSource"] = json::object{{"Dimensions", std::move(dimensions)},
                                            {"Namespace", s.metrics->name_space},
                                            {"Metrics", std::move(metrics)},
                                            {"StartDate", s.metrics->start_date},
                                            {"EndDate", s.metrics->end_date}};
  }
  if (s.message_insights) {
    const auto& m = *s.message_insights;
    json::object o{{"StartDate", m.start_date}, {"EndDate", m.end_date}};
    if (m.include)
      o["Include"] = filters_to_json(*m.include);
    if (m.exclude)
      o["Exclude"] = filters_to_json(*m.exclude);
    if (m.max_results)
      o["MaxResults"] = *m.max_results;
    out["MessageInsightsDataSource"] = std::move(o);
  }
  return out;
}

ExportDataSource export_data_source_from_text(const std::string& text) {
  static const json::object kTop;
  json::value v = json::parse(text);
  if (!v.is_object())
    throw std::runtime_error("a stored export data source is not a JSON object");
  return parse_export_data_source(JsonFields(kTop), v.as_object());
}

}  // namespace sesv2mock
