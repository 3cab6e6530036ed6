#include "server/control/services.hpp"

#include "storage/meta_store.hpp"

namespace sesv2mock {
namespace {

constexpr const char* kTokenKeyName = "page_token_key";

std::string load_or_create_token_key(storage::Database& db) {
  storage::MetaStore meta(db);
  if (auto key = meta.get(kTokenKeyName)) return *key;
  std::string key = random_token_key();
  meta.set(kTokenKeyName, key);
  return key;
}

}  // namespace

Services::Services(Settings& s, storage::Database& d, ImportWorker& w)
    : settings(s),
      db(d),
      worker(w),
      jobs(d),
      suppression(d),
      contacts(d),
      tokens(load_or_create_token_key(d)) {}

void Services::reset(const Partition* only) {
  jobs.erase_all(only);
  suppression.erase_all(only);
  contacts.erase_all(only);
  if (!only) {
    faults.clear();
    std::string key = random_token_key();
    storage::MetaStore(db).set(kTokenKeyName, key);
    tokens.set_key(key);
  }
}

}  // namespace sesv2mock
