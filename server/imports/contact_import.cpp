// The contact-list destination of import jobs: CSV with a header naming the columns, or
// JSON objects (SPEC §3.1). The list's topics are read once when the job starts; a list
// deleted meanwhile is noticed by the batch writer and fails the job. Records in random
// address order are staged in a scratch file and merged at the end (import_scratch.hpp).
#include <algorithm>
#include <memory>

#include "server/contacts/contact_records.hpp"
#include "server/core/settings.hpp"
#include "server/imports/import_target.hpp"
#include "storage/contact_store.hpp"

namespace sesv2mock {
namespace {

class ContactTarget : public ImportTarget {
 public:
  ContactTarget(const ImportJob& job, ContactList list, storage::Database& db)
      : job_(job),
        parser_(std::move(list), job.destination.action),
        db_(db),
        scratch_(db, job.job_id) {}

  bool begin(RecordReader& reader, bool resuming) override {
    if (job_.source.data_format == DataFormat::Csv)
      read_header(reader);
    // A resumed job that staged records must go on staging: its staged records are merged
    // at the end, after anything written directly. Staged records lost with their file were
    // not applied yet: the job reads its file again from the top.
    if (resuming) {
      if (auto committed = storage::committed_scratch_length(db_, job_.job_id)) {
        if (!scratch_.resume(*committed))
          return false;
        staging_ = true;
      }
    }
    return true;
  }

  void read_header(RecordReader& reader) {
    // The header is needed even when resuming: it says what the columns mean. Reading it
    // here also keeps it out of the worker's record loop and counts.
    RecordItem header;
    if (!reader.next(header)) {
      throw JobFailure(
          "The CSV file is empty; a contact list import needs a header line "
          "with an emailAddress column.");
    }
    if (!header.error.empty()) {
      throw JobFailure("The CSV header line cannot be read: " + header.error);
    }
    std::string why;
    auto columns = parse_contact_csv_header(header.fields, why);
    if (!columns)
      throw JobFailure(why);
    columns_ = std::move(*columns);
  }

  RecordOutcome take(const RecordItem& item, std::string& reason) override {
    if (!item.error.empty()) {
      reason = item.error;
      return RecordOutcome::Failed;
    }
    const double now = now_epoch_seconds();
    bool ok = job_.source.data_format == DataFormat::Csv
                  ? parser_.parse_csv(item.fields, columns_, now, contact_, reason)
                  : parser_.parse_json(item.object, now, contact_, reason);
    if (!ok)
      return RecordOutcome::Failed;
    if (job_.destination.action == ImportAction::Delete) {
      reading_.batch.deletes.push_back(std::move(contact_.email_address));
    } else {
      reading_.batch.puts.push_back(std::move(contact_));
    }
    return RecordOutcome::Applied;
  }

  void seal() override {
    // A file whose addresses come in random order writes each record to a different B-tree
    // page: from the first batch that looks like that on, stage (see import_scratch.hpp).
    // Files in (roughly) address order are written directly.
    if (!staging_ && looks_random())
      staging_ = true;
    // The batch keeps the decision: apply() may write it while the next batch is read.
    reading_.staged = staging_;
    // Writing a batch in address order touches each page once, in order, instead of hopping
    // around the table. Stable, so of two records for one address the later still wins.
    auto& batch = reading_.batch;
    std::stable_sort(batch.puts.begin(), batch.puts.end(), [](const Contact& a, const Contact& b) {
      return a.email_address < b.email_address;
    });
    std::sort(batch.deletes.begin(), batch.deletes.end());
    to_records();
    if (staging_)
      reading_.scratch_length = scratch_.append_run(reading_.records);
  }

  void hand_over() override {
    std::swap(reading_, handed_);
    reading_.batch.clear();
    reading_.records.clear();
    std::swap(piece_reading_, piece_handed_);
  }

  bool apply(storage::WriteTransaction& tx) override {
    const auto& list = job_.destination.contact_list_name;
    if (!handed_.staged) {
      return storage::ContactStore::apply_staged(tx, job_.partition, list, handed_.records,
                                                 job_.destination.action == ImportAction::Delete);
    }
    // The run is in the file already (seal); the batch says it counts.
    if (!storage::ContactStore::exists(tx, job_.partition, list))
      return false;
    storage::save_scratch_length(tx, job_.job_id, handed_.scratch_length);
    return true;
  }

  bool prepare_piece() override {
    if (!staging_)
      return false;
    if (!merge_)
      merge_ = std::make_unique<storage::ScratchMerge>(db_, job_.job_id);
    return merge_->next(kMergePieceRecords, piece_reading_);
  }

  bool apply_piece(storage::WriteTransaction& tx) override {
    if (!storage::ContactStore::apply_staged(tx, job_.partition, job_.destination.contact_list_name,
                                             piece_handed_,
                                             job_.destination.action == ImportAction::Delete)) {
      return false;
    }
    storage::ScratchMerge::save_progress(tx, job_.job_id, piece_handed_);
    return true;
  }

  bool finish(storage::WriteTransaction& tx) override {
    return storage::ContactStore::exists(tx, job_.partition, job_.destination.contact_list_name);
  }

  void job_ended() override {
    merge_.reset();
    scratch_.remove();
  }

  void clear() override { handed_.records.clear(); }

 protected:
  std::int64_t record_limit() const override { return Limits::kContactRecords; }

  std::string limit_message() const override {
    return "The file has more than " + std::to_string(Limits::kContactRecords) +
           " records, the limit for a contact list import.";
  }

  // A contact CSV always starts with the header naming its columns; JSON has none.
  bool is_header(const RecordItem&) const override { return is_csv(); }

 private:
  // Random order: more than one address in kRandomShare (in file order) is lower than the
  // one before it; a file in address order has almost none (user9 -> user10 is one).
  static constexpr std::size_t kRandomShare = 8;
  // Records merged per piece: a piece holds the writer lock for a few tens of milliseconds.
  static constexpr std::size_t kMergePieceRecords = 10'000;
  bool looks_random() const {
    const auto& batch = reading_.batch;
    std::size_t descents = 0;
    std::size_t n = batch.puts.empty() ? batch.deletes.size() : batch.puts.size();
    for (std::size_t i = 1; i < n; ++i) {
      const std::string& a =
          batch.puts.empty() ? batch.deletes[i - 1] : batch.puts[i - 1].email_address;
      const std::string& b = batch.puts.empty() ? batch.deletes[i] : batch.puts[i].email_address;
      if (b < a)
        ++descents;
    }
    return n >= kRandomShare && descents * kRandomShare > n;
  }

  bool is_csv() const { return job_.source.data_format == DataFormat::Csv; }

  // The sorted batch being read in the form it is written (to the contacts or to the
  // scratch file), made on the reading thread so the job's thread only writes.
  void to_records() {
    auto& records = reading_.records;
    records.clear();
    for (auto& c : reading_.batch.puts) {
      records.push_back(
          {std::move(c.email_address), c.unsubscribe_all, std::move(c.attributes_data),
           storage::ContactStore::preferences_json(c.topic_preferences), c.last_updated_timestamp});
    }
    for (auto& e : reading_.batch.deletes)
      records.push_back({std::move(e), false, std::nullopt, "[]", 0.0});
    reading_.batch.clear();
  }

  const ImportJob& job_;
  ContactRecordParser parser_;
  ContactCsvColumns columns_;
  Contact contact_;  // reused between records
  // One batch is read (take, seal) while the one before it is written (apply).
  struct Slot {
    storage::ContactBatch batch;                  // take() fills it
    std::vector<storage::StagedContact> records;  // seal() makes them of the batch
    bool staged = false;              // written to the scratch file rather than the contacts
    std::int64_t scratch_length = 0;  // staged: the file's length with this batch's run
  };
  Slot reading_;
  Slot handed_;
  storage::Database& db_;
  bool staging_ = false;  // set by seal(); read by the finish once every batch is read
  storage::ScratchWriter scratch_;
  std::unique_ptr<storage::ScratchMerge> merge_;
  std::vector<storage::StagedContact> piece_reading_;  // prepare_piece() fills it
  std::vector<storage::StagedContact> piece_handed_;   // apply_piece() writes it
};

}  // namespace

std::unique_ptr<ImportTarget> make_contact_target(const ImportJob& job, storage::Database& db) {
  auto list = storage::ContactStore(db).find_list(job.partition, job.destination.contact_list_name);
  if (!list) {
    throw JobFailure("The contact list " + job.destination.contact_list_name +
                     " does not exist any more.");
  }
  return std::make_unique<ContactTarget>(job, std::move(*list), db);
}

}  // namespace sesv2mock
