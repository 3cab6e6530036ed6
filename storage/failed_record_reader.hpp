#pragma once
// A job's failed records read page by page in line order, each page one short read, so a
// download of a million records never holds them all in memory (issue 12, defect 3).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

class FailedRecordReader {
 public:
  static constexpr std::size_t kDefaultPageSize = 1000;

  FailedRecordReader(Database& db, std::string job_id, std::size_t page_size = kDefaultPageSize);

  // The next page of records after the last one returned; empty once all were read.
  std::vector<FailedRecord> next_page();

 private:
  Database& db_;
  std::string job_id_;
  std::size_t page_size_;
  std::int64_t after_line_ = 0;
  bool done_ = false;
};

}  // namespace sesv2mock::storage
