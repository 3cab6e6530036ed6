#pragma once
// The failed-records file of an import job, produced chunk by chunk from storage for a
// streamed (chunked) HTTP answer: CSV for CSV jobs, JSON lines for JSON jobs.
#include <functional>
#include <string>

#include "server/core/model.hpp"

namespace sesv2mock::storage {
class Database;
}

namespace sesv2mock {

struct FailedRecordsDownload {
  std::string content_type;
  // Appends the next piece of the file to `chunk`; returns false once the file is complete.
  std::function<bool(std::string& chunk)> next_chunk;
};

FailedRecordsDownload failed_records_download(storage::Database& db, const ImportJob& job);

}  // namespace sesv2mock
