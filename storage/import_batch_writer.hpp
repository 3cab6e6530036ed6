#pragma once
// Writes one batch of an import job atomically: the records' effect, the failed records,
// the job's counters and its resume checkpoint all land in one transaction, or none do.
// That is what makes a crash harmless: on restart the job continues from the checkpoint.
#include <cstdint>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

struct BatchProgress {
  std::vector<FailedRecord> failures;
  std::int64_t processed = 0;  // records read in this batch, failed ones included
  std::int64_t checkpoint_offset = 0;
  std::int64_t checkpoint_line = 0;
};

struct SuppressionBatch {
  std::vector<SuppressedDestination> puts;
  std::vector<std::string> deletes;
};

struct ContactBatch {
  std::vector<Contact> puts;
  std::vector<std::string> deletes;
};

enum class BatchOutcome {
  Committed,
  JobNotProcessing,    // cancelled or failed meanwhile: nothing written
  ContactListMissing,  // the destination list was deleted: nothing written
};

class ImportBatchWriter {
 public:
  explicit ImportBatchWriter(Database& db) : db_(db) {}

  BatchOutcome commit(const ImportJob& job, const SuppressionBatch& batch,
                      const BatchProgress& progress);
  BatchOutcome commit(const ImportJob& job, const ContactBatch& batch,
                      const BatchProgress& progress);

 private:
  template <typename Apply>
  BatchOutcome commit_with(const ImportJob& job, const BatchProgress& progress, Apply apply);

  Database& db_;
};

}  // namespace sesv2mock::storage
