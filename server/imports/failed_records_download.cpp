#include "server/imports/failed_records_download.hpp"

#include <boost/json/serialize.hpp>

#include <memory>

#include "server/core/csv_field.hpp"
#include "storage/import_job_store.hpp"

namespace sesv2mock {

namespace {

constexpr int kPageRecords = 1000;

}  // namespace

FailedRecordsDownload failed_records_download(storage::ImportJobStore& jobs, const ImportJob& job) {
  FailedRecordsDownload out;
  const bool csv = job.source.data_format == DataFormat::Csv;
  out.content_type = csv ? "text/csv" : "application/x-ndjson";
  auto after_line = std::make_shared<std::int64_t>(0);
  auto header_sent = std::make_shared<bool>(!csv);
  out.next_chunk = [&jobs, job_id = job.job_id, after_line, header_sent, csv](std::string& chunk) {
    if (!*header_sent) {
      chunk += "lineNumber,failureReason,record\n";
      *header_sent = true;
    }
    const auto page = jobs.failed_records_page(job_id, *after_line, kPageRecords);
    if (!page.empty())
      *after_line = page.back().line;
    for (const auto& r : page) {
      if (csv) {
        chunk +=
            std::to_string(r.line) + "," + csv_field(r.reason) + "," + csv_field(r.record) + "\n";
      } else {
        chunk += boost::json::serialize(boost::json::object{
            {"lineNumber", r.line}, {"failureReason", r.reason}, {"record", r.record}});
        chunk.push_back('\n');
      }
    }
    return page.size() == static_cast<std::size_t>(kPageRecords);
  };
  return out;
}

}  // namespace sesv2mock
