#pragma once
// BatchGetMetricData (POST /v2/email/metrics/batch): VDM metrics of the captured mail, one
// daily series per query, counted by VdmMetrics (the same numbers a METRICS_DATA export
// writes).
#include <boost/json/object.hpp>

#include <vector>

#include "server/api/api.hpp"
#include "server/sending/vdm_metrics.hpp"

namespace sesv2mock::api {

struct MetricsLimits {
  // BatchGetMetricDataQueries: 1..10; QueryIdentifier: 1..255 characters; Dimensions: 1..3.
  static constexpr std::size_t kMinQueries = 1, kMaxQueries = 10;
  static constexpr std::size_t kMinIdLength = 1, kMaxIdLength = 255;
  static constexpr std::size_t kMinDimensions = 1, kMaxDimensions = 3;
};

struct MetricDataQuery {
  std::string id;
  VdmQuery query;  // one metric; filter holds one value per dimension
};

// Reads and checks a BatchGetMetricData body (BadRequestException naming the field).
std::vector<MetricDataQuery> parse_batch_get_metric_data(const boost::json::object& body,
                                                         const Partition& partition);

class MetricsApi {
 public:
  explicit MetricsApi(const VdmMetrics& metrics) : metrics_(metrics) {}
  RouteTable routes();

 private:
  ApiResponse batch_get_metric_data(const ApiRequest& r);

  const VdmMetrics& metrics_;
};

}  // namespace sesv2mock::api
