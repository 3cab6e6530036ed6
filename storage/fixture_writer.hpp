#pragma once
// Writes a validated fixture document in one transaction: all of it lands or none does.
// Fixtures replace the records they name (a job by JobId, an address by address, a list by
// name, a contact by list and address) and leave everything else alone, so loading the same
// fixture twice changes nothing.
#include <utility>
#include <vector>

#include "server/core/export_job.hpp"
#include "server/core/model.hpp"
#include "server/core/sending_model.hpp"
#include "storage/database.hpp"
#include "storage/template_store.hpp"

namespace sesv2mock::storage {

struct FixtureJob {
  ImportJob job;
  std::vector<FailedRecord> failed_records;
};

struct FixtureContactList {
  Partition partition;
  ContactList list;
  std::vector<Contact> contacts;
};

struct FixtureSet {
  std::vector<FixtureJob> jobs;
  std::vector<std::pair<Partition, SuppressedDestination>> suppressed;
  std::vector<FixtureContactList> contact_lists;
  std::vector<std::pair<Partition, ConfigurationSet>> configuration_sets;
  std::vector<std::pair<Partition, EmailIdentity>> identities;
  std::vector<std::pair<Partition, StoredTemplate>> templates;
  std::vector<ExportJob> export_jobs;
};

void write_fixtures(Database& db, const FixtureSet& fixtures);

}  // namespace sesv2mock::storage
