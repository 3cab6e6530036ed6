#pragma once
// Contact lists and their contacts in SQLite.
//
// Threading: methods that write open one WriteTransaction, or take the caller's (import
// batches, fixtures); plain reads use a pooled read connection, so GetContact and
// ListContacts never wait for an import batch. Callbacks handed to the write methods run
// inside the transaction: they must not call back into a store.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

enum class ListCreateOutcome { Created, AlreadyExists, LimitReached };
enum class ContactWriteOutcome { Written, ListMissing, ContactExists, ContactMissing };

// Runs inside a contact write, against the list as stored at that moment, so a concurrent
// UpdateContactList cannot slip between the check and the write. Throws to refuse; the
// transaction then rolls back and the exception goes on to the caller.
using ContactCheck = std::function<void(const ContactList& list, Contact& contact)>;

// The writes of one import batch to one list.
struct ContactBatch {
  std::vector<Contact> puts;
  std::vector<std::string> deletes;
  bool empty() const { return puts.empty() && deletes.empty(); }
  void clear() {
    puts.clear();
    deletes.clear();
  }
};

class ContactStore {
 public:
  explicit ContactStore(Database& db) : db_(db) {}

  // Contact lists. `max_lists` is per partition.
  ListCreateOutcome create_list(const Partition& p, const ContactList& list,
                                std::int64_t max_lists);
  std::optional<ContactList> find_list(const Partition& p, const std::string& list_name);
  // Replaces topics and description (UpdateContactList is a complete replacement); tags and
  // creation time stay. False when the list does not exist.
  bool update_list(const Partition& p, const std::string& list_name,
                   const std::vector<Topic>& topics, const std::optional<std::string>& description,
                   double now);
  // Deletes the list and all its contacts. False when it did not exist.
  bool erase_list(const Partition& p, const std::string& list_name);
  // Ordered by name, starting after `after_name` ("" = from the start).
  std::vector<ContactList> lists(const Partition& p, const std::string& after_name, int limit);

  // Contacts.
  // Inserts `contact` unless the list is missing or already has that address; `check`
  // (may be empty) sees the list and may adjust or refuse the contact first.
  ContactWriteOutcome create_contact(const Partition& p, const std::string& list_name,
                                     Contact contact, const ContactCheck& check);
  // Reads the stored contact, lets `change` edit it (against the list), writes it back.
  ContactWriteOutcome update_contact(const Partition& p, const std::string& list_name,
                                     const std::string& email, const ContactCheck& change);
  std::optional<Contact> find_contact(const Partition& p, const std::string& list_name,
                                      const std::string& email);
  bool erase_contact(const Partition& p, const std::string& list_name, const std::string& email);
  // Contacts in address order after `after_email` for which `keep` returns true, at most
  // `limit` of them. `keep` may be empty (keep all).
  std::vector<Contact> contacts(const Partition& p, const std::string& list_name,
                                const std::string& after_email, int limit,
                                const std::function<bool(const Contact&)>& keep);

  bool exists(const Partition& p, const std::string& list_name);
  // Everything of one partition, or of all when null.
  void erase_all(const Partition* p);

  // Inside a caller's transaction (import batches, fixtures).
  static bool exists(WriteTransaction& tx, const Partition& p, const std::string& list_name);
  // Inserts or replaces a list as given (fixtures); its contacts are left alone.
  static void upsert_list(WriteTransaction& tx, const Partition& p, const ContactList& list);
  // PUT semantics of an import: the record replaces the whole contact. The creation time
  // of a contact that already exists is kept.
  static void put(WriteTransaction& tx, const Partition& p, const std::string& list_name,
                  const Contact& c);
  static bool erase(WriteTransaction& tx, const Partition& p, const std::string& list_name,
                    const std::string& email);
  // Applies an import batch (puts, then deletes); false, writing nothing, when the list
  // does not exist (deleted while its import ran).
  static bool apply(WriteTransaction& tx, const Partition& p, const std::string& list_name,
                    const ContactBatch& batch);

  // Staging, for imports whose addresses come in random order: writing those straight into
  // the contacts B-tree touches a different page per record, so a batch is instead appended
  // to a staging area (in file order) and the whole import is merged once, sorted, at its
  // end. Same result as apply() batch after batch; false when the list does not exist.
  static bool stage(WriteTransaction& tx, const std::string& job_id, const Partition& p,
                    const std::string& list_name, const ContactBatch& batch);
  // Applies what `job_id` staged (puts, or deletes when `deletes`) and empties its staging,
  // all in the caller's transaction (":memory:" databases; files use StagedMerge).
  static bool merge_staged(WriteTransaction& tx, const std::string& job_id, const Partition& p,
                           const std::string& list_name, bool deletes);
  bool has_staged(const std::string& job_id);

 private:
  Database& db_;
};

// Where a StagedMerge has got to, kept in the meta table under this prefix and the job id
// (the job store drops it with the job's staging).
inline constexpr const char* kMergeProgressKeyPrefix = "import-merge:";

// The merge of a staged import a bounded piece at a time, so no other write waits long for
// the writer lock (one merge of a million records held it ~6 s). The sort runs once, outside
// the writer lock, on a connection of the merge's own into a TEMP table; each piece is
// written in its own transaction together with the merge's progress, so a job resumed after
// a crash goes on after its last piece (rewriting a piece is harmless: later records still
// win). Then the staging is emptied a piece at a time too. File databases only (see
// Database::in_memory).
class StagedMerge {
 public:
  StagedMerge(Database& db, std::string job_id);
  ~StagedMerge();
  StagedMerge(const StagedMerge&) = delete;
  StagedMerge& operator=(const StagedMerge&) = delete;

  // Readies the next piece of at most `limit` records, outside the writer lock. False when
  // nothing is left to do.
  bool next(std::size_t limit);
  // Writes the piece next() readied; false, writing nothing, when the list is gone.
  bool write(WriteTransaction& tx, const Partition& p, const std::string& list_name, bool deletes);

 private:
  struct Row {
    std::int64_t rowid = 0;
    std::string email;
    bool unsubscribe_all = false;
    std::optional<std::string> attributes_data;
    std::string preferences_json;
    double updated_at = 0;
  };
  // Reads the progress of an earlier run and sorts what is left into the TEMP table.
  void sort();
  bool only_stager(WriteTransaction& tx) const;
  void forget_progress(WriteTransaction& tx) const;

  Database& db_;
  std::string job_id_;
  std::string progress_key_;
  std::unique_ptr<Connection> sorter_;  // holds the sorted TEMP table until all is read
  std::int64_t last_sorted_ = 0;        // rowid in that table of the last record read
  std::vector<Row> rows_;
  std::size_t clear_limit_ = 0;  // > 0: the piece empties the staging instead
  bool merged_ = false;          // every staged record has been written
  bool done_ = false;            // and the staging is empty
  std::string after_email_;      // the last record read, in (address, rowid) order
  std::int64_t after_rowid_ = 0;
};

}  // namespace sesv2mock::storage
