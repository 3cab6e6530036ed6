#pragma once
// METRICS_DATA export rows, counted by VdmMetrics (the numbers BatchGetMetricData answers):
// one row per UTC day and combination of the requested dimensions' values.
//
// The columns are OUR OWN (SES does not document its export files): `Date` (YYYY-MM-DD),
// one column per requested dimension (its wire name, in name order: CONFIGURATION_SET,
// EMAIL_IDENTITY, ISP), then one column per requested metric named `<METRIC>_<AGGREGATION>`
// in request order. VOLUME is the count; RATE is the count divided by the row's SEND count
// (vdm_metrics' rate_denominator), 0 when that is 0.
#include <string>
#include <vector>

#include "server/core/export_job.hpp"
#include "server/sending/vdm_metrics.hpp"

namespace sesv2mock {

// Writes the whole file (header for CSV) into `out`; returns the number of rows.
std::int64_t write_metrics_file(const VdmMetrics& vdm, const Partition& partition,
                                const MetricsDataSource& source, DataFormat format,
                                std::string& out);

}  // namespace sesv2mock
