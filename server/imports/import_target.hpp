#pragma once
// What an import job writes to. The worker reads records; an ImportTarget says what each
// record means for its destination (suppression list or contact list), collects the
// writes of one batch, and commits them with the batch's progress in one transaction.
#include <memory>
#include <stdexcept>
#include <string>

#include "server/core/model.hpp"
#include "server/imports/record_readers.hpp"
#include "storage/database.hpp"
#include "storage/import_batch_writer.hpp"

namespace sesv2mock {

// Thrown when the job as a whole cannot go on; the message becomes FailureInfo.ErrorMessage.
class JobFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class RecordOutcome {
  Header,  // a header line: neither counted nor applied
  Applied, // added to the batch
  Failed,  // counted as failed; `reason` says why
};

class ImportTarget {
 public:
  virtual ~ImportTarget() = default;
  // Called once before reading. `resuming` is true when a checkpoint will be used; the
  // target may read the file's header from `reader` (positioned at the start).
  virtual void begin(RecordReader& reader, bool resuming) = 0;
  virtual RecordOutcome take(const RecordItem& item, std::string& reason) = 0;
  // The most records one file may hold for this destination and action.
  virtual std::int64_t record_limit() const = 0;
  virtual std::string limit_message() const = 0;
  // Commits the collected writes with `progress` and clears them.
  virtual storage::BatchOutcome flush(storage::ImportBatchWriter& writer,
                                      const storage::BatchProgress& progress) = 0;
};

std::unique_ptr<ImportTarget> make_suppression_target(const ImportJob& job);
std::unique_ptr<ImportTarget> make_contact_target(const ImportJob& job, storage::Database& db);

}  // namespace sesv2mock
