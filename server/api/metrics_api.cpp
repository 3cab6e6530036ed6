#include "server/api/metrics_api.hpp"

#include <boost/json.hpp>

#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

namespace {

constexpr const char* kMetricEnum =
    "Member must satisfy enum value set: [SEND, COMPLAINT, PERMANENT_BOUNCE, TRANSIENT_BOUNCE, "
    "OPEN, CLICK, DELIVERY, DELIVERY_OPEN, DELIVERY_CLICK, DELIVERY_COMPLAINT]";
constexpr const char* kDimensionEnum =
    "Member must satisfy enum value set: [EMAIL_IDENTITY, CONFIGURATION_SET, ISP]";

MetricDataQuery parse_query(const JsonFields& f, const Partition& partition) {
  MetricDataQuery out;
  out.id = f.required_string("Id");
  check_length(f.path("Id"), out.id.size(), MetricsLimits::kMinIdLength,
               MetricsLimits::kMaxIdLength);
  if (f.required_string("Namespace") != "VDM")
    throw ApiError::validation(f.path("Namespace"), "Member must satisfy enum value set: [VDM]");
  auto metric = vdm_metric_from_wire(f.required_string("Metric"));
  if (!metric)
    throw ApiError::validation(f.path("Metric"), kMetricEnum);
  VdmQuery& q = out.query;
  q.partition = partition;
  q.metrics = {*metric};
  if (const json::object* dims = f.object("Dimensions")) {
    const std::string path = f.path("Dimensions");
    check_length(path, dims->size(), MetricsLimits::kMinDimensions, MetricsLimits::kMaxDimensions);
    for (const auto& [name, value] : *dims) {
      auto dimension = vdm_dimension_from_wire(name);
      if (!dimension)
        throw ApiError::validation(path, kDimensionEnum);
      if (!value.is_string())
        throw ApiError::validation(path, "Member must be a map of strings");
      q.filter[*dimension] = {std::string(value.as_string())};
    }
  }
  q.start = f.required_timestamp("StartDate");
  q.end = f.required_timestamp("EndDate");
  // Our wording: SES's message for a reversed range is not documented.
  if (q.start >= q.end)
    throw ApiError::bad_request("The StartDate of query " + out.id +
                                " must be before its EndDate.");
  return out;
}

}  // namespace

std::vector<MetricDataQuery> parse_batch_get_metric_data(const json::object& body,
                                                         const Partition& partition) {
  JsonFields f(body);
  const json::array* queries = f.array("Queries");
  if (!queries)
    throw ApiError::missing_field(f.path("Queries"));
  check_length(f.path("Queries"), queries->size(), MetricsLimits::kMinQueries,
               MetricsLimits::kMaxQueries);
  std::vector<MetricDataQuery> out;
  for (const auto& v : *queries) {
    if (!v.is_object())
      throw ApiError::validation(f.path("Queries"), "Member must be a BatchGetMetricDataQuery");
    out.push_back(parse_query(f.nested("Queries", v.as_object()), partition));
  }
  return out;
}

// Each query's series holds the UTC days with at least one counted message, ascending.
// Every query is answered (Errors stays empty: the mock has no access or internal failures).
ApiResponse MetricsApi::batch_get_metric_data(const ApiRequest& r) {
  auto queries = parse_batch_get_metric_data(parse_json_body(r.body), r.context.partition);
  std::vector<VdmQuery> vdm_queries;
  for (const auto& mq : queries)
    vdm_queries.push_back(mq.query);
  auto series = metrics_.run_all(vdm_queries);
  json::array results;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const auto& mq = queries[i];
    json::array timestamps, values;
    for (const auto& row : series[i]) {
      timestamps.push_back(row.day_start);
      values.push_back(row.counts.front());
    }
    results.push_back(json::object{
        {"Id", mq.id}, {"Timestamps", std::move(timestamps)}, {"Values", std::move(values)}});
  }
  return json_response(json::object{{"Results", std::move(results)}, {"Errors", json::array()}});
}

RouteTable MetricsApi::routes() {
  return {{"POST", "/v2/email/metrics/batch", "BatchGetMetricData",
           bind_handler(this, &MetricsApi::batch_get_metric_data)}};
}

}  // namespace sesv2mock::api
