#include "storage/failed_record_reader.hpp"

namespace sesv2mock::storage {

FailedRecordReader::FailedRecordReader(Database& db, std::string job_id, std::size_t page_size)
    : db_(db), job_id_(std::move(job_id)), page_size_(page_size) {}

std::vector<FailedRecord> FailedRecordReader::next_page() {
  std::vector<FailedRecord> out;
  if (done_)
    return out;
  out.reserve(page_size_);
  {
    // Keyset paging on the primary key (job_id, line): each page is an index range scan.
    auto lock = db_.read_lock();
    auto q = db_.read_query(
        "SELECT line, record, reason FROM failed_records WHERE job_id = ?1 AND line > ?2 "
        "ORDER BY line LIMIT ?3");
    q->bind(1, job_id_).bind(2, after_line_).bind(3, static_cast<std::int64_t>(page_size_));
    while (q->step())
      out.push_back({q->column_int64(0), q->column_text(1), q->column_text(2)});
  }
  if (out.size() < page_size_)
    done_ = true;
  if (!out.empty())
    after_line_ = out.back().line;
  return out;
}

}  // namespace sesv2mock::storage
