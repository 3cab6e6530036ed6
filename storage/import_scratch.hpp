#pragma once
// The scratch file of a contact import whose addresses come in random order: an external
// sort. Writing such records straight into the contacts B-tree touches a different page per
// record, and staging them in an SQLite table cost an insert per record, an SQLite sort and
// a read of the sorted rows (~45 % of a million-record import). Instead each batch, sorted
// in memory, is appended to a file beside the database as one sorted run of binary records;
// at the end a k-way merge of the runs writes the contacts in address order, a bounded
// piece per transaction.
//
// Durability, as an export's partial file: the batch's transaction records how long the
// file is once its run is in (the meta table, key kScratchLengthKeyPrefix + job id). A run
// resumed after a crash cuts the file back to that length (runs appended by batches that
// never committed go); a file shorter than that (lost, cut) cannot resume and the job reads
// its file again from the top (its staged records were not applied yet). The merge stores
// the last address it wrote (kMergeProgressKeyPrefix + job id) with each piece; a resumed
// merge skips every record up to it. The file is never synced: the WAL is not synced at
// each commit either (synchronous = NORMAL), and a kill -9 loses neither.
//
// Files are named after the database file ("<db>.import-<job>.runs"; a ":memory:" database
// uses the temp directory), removed when their job ends and swept when no unfinished job
// owns them (sweep_import_scratch).
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

inline constexpr const char* kScratchLengthKeyPrefix = "import-scratch:";
inline constexpr const char* kMergeProgressKeyPrefix = "import-merge:";

// One staged contact record (a DELETE import uses the address only).
struct StagedContact {
  std::string email;
  bool unsubscribe_all = false;
  std::optional<std::string> attributes_data;
  std::string preferences_json;
  double updated_at = 0;
};

std::string import_scratch_path(const Database& db, const std::string& job_id);
// The length of `job_id`'s scratch file that committed batches count; nullopt when it staged
// nothing (what a resumed run goes on from).
std::optional<std::int64_t> committed_scratch_length(Database& db, const std::string& job_id);
// Records, in a batch's transaction, that the file's first `length` bytes count.
void save_scratch_length(WriteTransaction& tx, const std::string& job_id, std::int64_t length);
// Removes scratch files whose job is not CREATED or PROCESSING any more (ended, cancelled
// while paused, deleted by a reset, or left by a crash between the last commit and the
// removal).
void sweep_import_scratch(Database& db);

// Appends sorted runs to a job's scratch file.
class ScratchWriter {
 public:
  ScratchWriter(const Database& db, const std::string& job_id);
  ~ScratchWriter();
  ScratchWriter(const ScratchWriter&) = delete;
  ScratchWriter& operator=(const ScratchWriter&) = delete;

  // Continues a file whose first `committed` bytes a committed batch counts, cutting off
  // anything after them; false (the file untouched) when it is shorter than that.
  bool resume(std::int64_t committed);
  // Appends `records` (in address order, of one address in file order) as one run; returns
  // the length of the file with it. Throws std::runtime_error when the file cannot be written.
  std::int64_t append_run(const std::vector<StagedContact>& records);
  void remove();

 private:
  void open(const char* mode);

  std::string path_;
  std::FILE* file_ = nullptr;
  std::int64_t length_ = 0;
  std::string buffer_;
};

// Reads the staged records of a job back in address order, a piece at a time (a k-way merge
// of its runs, each read through a small buffer: memory stays flat however many records).
class ScratchMerge {
 public:
  ScratchMerge(Database& db, std::string job_id);
  ~ScratchMerge();
  ScratchMerge(const ScratchMerge&) = delete;
  ScratchMerge& operator=(const ScratchMerge&) = delete;

  // Fills `piece` with the next piece of about `limit` addresses, one record each (the last
  // of the address in file order: later records win), outside the writer lock. The first
  // call skips what an earlier run of the job merged. False when nothing is left. Throws
  // StorageError when the file cannot be read.
  bool next(std::size_t limit, std::vector<StagedContact>& piece);
  // Records, in the piece's transaction, that everything up to the end of `piece` is merged.
  static void save_progress(WriteTransaction& tx, const std::string& job_id,
                            const std::vector<StagedContact>& piece);

 private:
  struct Run;
  void open();
  bool later(std::size_t a, std::size_t b) const;  // the heap's order

  Database& db_;
  std::string job_id_;
  std::FILE* file_ = nullptr;
  std::vector<Run> runs_;
  std::vector<std::size_t> heap_;  // runs with a current record, the smallest on top
  std::string after_email_;        // every address up to it was merged by an earlier run ("" none)
};

}  // namespace sesv2mock::storage
