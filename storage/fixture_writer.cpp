#include "storage/fixture_writer.hpp"

#include "storage/configuration_set_store.hpp"
#include "storage/contact_store.hpp"
#include "storage/export_job_store.hpp"
#include "storage/identity_store.hpp"
#include "storage/import_job_store.hpp"
#include "storage/suppression_store.hpp"

namespace sesv2mock::storage {

void write_fixtures(Database& db, const FixtureSet& fixtures) {
  WriteTransaction tx(db);
  for (const auto& [job, failed] : fixtures.jobs)
    ImportJobStore::upsert(tx, job, failed);
  for (const auto& [partition, destination] : fixtures.suppressed) {
    SuppressionStore::put(tx, partition, destination);
  }
  for (const auto& fixture : fixtures.contact_lists) {
    ContactStore::upsert_list(tx, fixture.partition, fixture.list);
    for (const auto& contact : fixture.contacts) {
      ContactStore::put(tx, fixture.partition, fixture.list.contact_list_name, contact);
    }
  }
  for (const auto& [partition, set] : fixtures.configuration_sets) {
    ConfigurationSetStore::put(tx, partition, set);
  }
  for (const auto& [partition, identity] : fixtures.identities) {
    IdentityStore::put(tx, partition, identity);
  }
  for (const auto& [partition, t] : fixtures.templates)
    TemplateStore::upsert(tx, partition, t);
  for (const auto& job : fixtures.export_jobs)
    ExportJobStore::upsert(tx, job);
  tx.commit();
}

}  // namespace sesv2mock::storage
