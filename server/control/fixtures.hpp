#pragma once
// Fixture documents: a known starting state (import jobs in any state, suppressed
// addresses, contact lists with contacts, S3 objects) loaded at start or over the control
// API. The format is described by fixtures/fixture.schema.json and the README.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <string>

#include "server/core/model.hpp"  // Partition
#include "server/core/settings.hpp"
#include "server/s3/s3_location.hpp"  // S3Uploader

namespace sesv2mock::storage {
class ContactStore;
class Database;
struct FixtureSet;
}  // namespace sesv2mock::storage

namespace sesv2mock::fixture {
class Node;
}  // namespace sesv2mock::fixture

namespace sesv2mock {

class ImportWorker;

class FixtureLoader {
 public:
  // `worker` is woken for loaded jobs and asked whether a job's file is being imported.
  FixtureLoader(storage::Database& db, storage::ContactStore& contacts, const Settings& settings,
                ImportWorker& worker)
      : db_(db), contacts_(contacts), settings_(settings), worker_(worker) {}

  // Set (by main) when an S3 endpoint is configured: S3Objects are uploaded through it
  // instead of being written under the s3 directory.
  void set_uploader(S3Uploader uploader) { uploader_ = std::move(uploader); }
  // Set (by main): tells the export job worker that loaded export jobs wait.
  void set_export_wake(std::function<void()> wake) { export_wake_ = std::move(wake); }

  // Loads one fixture document, all or nothing: it is validated whole before anything is
  // written. A bad document is a BadRequestException naming the offending field's path, e.g.
  // "Fixture rejected at ImportJobs[1].JobStatus: ...". Returns counts of what was loaded.
  boost::json::object load(const boost::json::value& document);

  // A fixture file, or every *.json file of a folder in name order (each all or nothing).
  // Returns a one-line summary.
  std::string load_path(const std::string& path);

 private:
  void load_sending_sections(const fixture::Node& root, const Partition& fallback, double now,
                             storage::FixtureSet& set);

  storage::Database& db_;
  storage::ContactStore& contacts_;
  const Settings& settings_;
  ImportWorker& worker_;
  S3Uploader uploader_;
  std::function<void()> export_wake_;
};

}  // namespace sesv2mock
