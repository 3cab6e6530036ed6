#pragma once
// The stores, the worker and the settings an operation may use, bundled so an operation is
// a plain function of (context, typed request, services) -> typed result.
#include <string>

#include "server/control/fault_injector.hpp"
#include "server/jobs/import_worker.hpp"
#include "server/core/page_token.hpp"
#include "server/s3/s3_location.hpp"
#include "server/core/settings.hpp"
#include "storage/contact_store.hpp"
#include "storage/database.hpp"
#include "storage/import_job_store.hpp"
#include "storage/suppression_store.hpp"

namespace sesv2mock {

// Who is asking: the partition from the SigV4 credential scope, and the Host the client
// used (for URLs handed back, such as the failed-records download).
struct RequestContext {
  Partition partition;
  std::string host;
  std::string request_id;
};

struct Services {
  Services(Settings& settings, storage::Database& db, ImportWorker& worker);

  Settings& settings;
  storage::Database& db;
  ImportWorker& worker;
  storage::ImportJobStore jobs;
  storage::SuppressionStore suppression;
  storage::ContactStore contacts;
  PageTokenCodec tokens;
  FaultInjector faults;
  // Set (by main) when an S3 endpoint is configured: fixtures upload their S3Objects through
  // it instead of writing files under the s3 directory.
  S3Uploader s3_uploader;

  // Empties everything (or one partition) and makes outstanding NextTokens stale.
  void reset(const Partition* only);
};

}  // namespace sesv2mock
