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
#include "storage/import_scratch.hpp"

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

  // Writes staged records merged in address order (import_scratch.hpp): puts, or deletes of
  // their addresses when `deletes`. False, writing nothing, when the list does not exist.
  static bool apply_staged(WriteTransaction& tx, const Partition& p, const std::string& list_name,
                           const std::vector<StagedContact>& records, bool deletes);
  // The stored form of a contact's topic preferences.
  static std::string preferences_json(const std::vector<TopicPreference>& prefs);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
