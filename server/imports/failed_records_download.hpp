#pragma once
// The failed-records file of an import job, produced chunk by chunk from storage for a
// streamed (chunked) HTTP answer: CSV for CSV jobs, JSON lines for JSON jobs.
#include <functional>
#include <string>

#include "server/core/model.hpp"

namespace sesv2mock::storage {
class ImportJobStore;
}

namespace sesv2mock {

struct FailedRecordsDownload {
  std::string content_type;
  // Appends the next piece of the file to `chunk`; returns false once the file is complete.
  std::function<bool(std::string& chunk)> next_chunk;
};

// CSV: header `lineNumber,failureReason,record`, one RFC 4180 row per failed record;
// JSON: one {"lineNumber", "failureReason", "record"} object per line.
FailedRecordsDownload failed_records_download(storage::ImportJobStore& jobs, const ImportJob& job);

}  // namespace sesv2mock
