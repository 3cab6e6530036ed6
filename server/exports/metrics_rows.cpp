#include "server/exports/metrics_rows.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "server/core/csv_field.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

std::string day_text(double day_start) {
  const auto t = static_cast<std::time_t>(day_start);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return text;
}

std::string rate_text(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", rate);
  return text;
}

// Where each requested metric's count and its rate denominator sit in VdmQuery::metrics.
struct Column {
  std::string name;
  bool rate = false;
  std::size_t count = 0;
  std::size_t denominator = 0;
};

std::size_t index_of(std::vector<VdmMetric>& metrics, VdmMetric m) {
  auto it = std::find(metrics.begin(), metrics.end(), m);
  if (it != metrics.end())
    return static_cast<std::size_t>(it - metrics.begin());
  metrics.push_back(m);
  return metrics.size() - 1;
}

}  // namespace

std::int64_t write_metrics_file(const VdmMetrics& vdm, const Partition& partition,
                                const MetricsDataSource& source, DataFormat format,
                                std::string& out) {
  VdmQuery q;
  q.partition = partition;
  q.start = source.start_date;
  q.end = source.end_date;
  std::vector<std::string> dimension_names;
  for (const auto& [name, values] : source.dimensions) {
    auto d = vdm_dimension_from_wire(name);
    if (!d)
      continue;  // checked when the job was created
    q.filter[*d] = values;
    q.group_by.push_back(*d);
    dimension_names.push_back(name);
  }
  std::vector<Column> columns;
  for (const auto& m : source.metrics) {
    auto metric = vdm_metric_from_wire(m.name);
    if (!metric)
      continue;
    Column c;
    c.name = m.name + "_" + m.aggregation;
    c.rate = m.aggregation == "RATE";
    c.count = index_of(q.metrics, *metric);
    c.denominator = index_of(q.metrics, rate_denominator(*metric));
    columns.push_back(std::move(c));
  }
  const auto rows = vdm.run(q);
  if (format == DataFormat::Csv) {
    std::string header = "Date";
    for (const auto& d : dimension_names)
      header += "," + d;
    for (const auto& c : columns)
      header += "," + c.name;
    out += header + "\n";
  }
  for (const auto& row : rows) {
    const std::string date = day_text(row.day_start);
    if (format == DataFormat::Csv) {
      out += date;
      for (const auto& v : row.group_values)
        out += "," + csv_field(v);
      for (const auto& c : columns) {
        out.push_back(',');
        const std::int64_t count = row.counts[c.count];
        if (!c.rate) {
          out += std::to_string(count);
        } else {
          const std::int64_t base = row.counts[c.denominator];
          out += rate_text(base == 0 ? 0.0 : static_cast<double>(count) / base);
        }
      }
      out.push_back('\n');
      continue;
    }
    json::object o{{"Date", date}};
    for (std::size_t i = 0; i < dimension_names.size(); ++i)
      o[dimension_names[i]] = row.group_values[i];
    for (const auto& c : columns) {
      const std::int64_t count = row.counts[c.count];
      const std::int64_t base = row.counts[c.denominator];
      if (c.rate)
        o[c.name] = base == 0 ? 0.0 : static_cast<double>(count) / base;
      else
        o[c.name] = count;
    }
    out += json::serialize(o);
    out.push_back('\n');
  }
  return static_cast<std::int64_t>(rows.size());
}

}  // namespace sesv2mock
