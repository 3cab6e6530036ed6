#pragma once
// The /_mock control API's logic (SPEC §5): job control, processing mode, reset. Faults
// (fault_injector) and fixtures (fixtures) are their own classes in this module.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/control/fault_injector.hpp"
#include "server/core/model.hpp"
#include "server/core/page_token.hpp"
#include "server/core/settings.hpp"

namespace sesv2mock::storage {
class ContactStore;
class Database;
class ImportJobStore;
class SuppressionStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

class ImportWorker;

// What GET /_mock/config shows.
struct MockConfig {
  ProcessingMode mode = ProcessingMode::Immediate;
  int delay_ms = 0;
  Settings settings;
};

// POST /_mock/config: members left out keep their value.
struct ConfigUpdate {
  std::optional<ProcessingMode> mode;
  std::optional<int> delay_ms;
};

class ControlService {
 public:
  ControlService(storage::ImportJobStore& jobs, ImportWorker& worker, const Settings& settings)
      : jobs_(jobs), worker_(worker), settings_(settings) {}

  // Job control. Each throws ApiError: NotFoundException for an unknown job,
  // ConflictException (409) naming the states for a move the state machine forbids.
  ImportJob job(const std::string& job_id) const;
  ImportJob advance(const std::string& job_id);
  ImportJob cancel(const std::string& job_id);
  ImportJob fail(const std::string& job_id, const std::string& message);

  ProcessingMode mode() const;
  MockConfig config() const;
  void update_config(const ConfigUpdate& update);
  // Other job workers (export jobs) take the processing mode the import worker is given.
  void also_follow_mode(std::function<void(ProcessingMode, int)> follow) {
    mode_followers_.push_back(std::move(follow));
  }

 private:
  std::vector<std::function<void(ProcessingMode, int)>> mode_followers_;
  storage::ImportJobStore& jobs_;
  ImportWorker& worker_;
  const Settings& settings_;
};

// POST /_mock/reset: empties everything (or one partition) and, for a full reset, clears the
// faults and renews the NextToken key so outstanding tokens go stale.
class StateReset {
 public:
  StateReset(storage::Database& db, storage::ImportJobStore& jobs,
             storage::SuppressionStore& suppression, storage::ContactStore& contacts,
             FaultInjector& faults, PageTokenCodec& tokens)
      : db_(db),
        jobs_(jobs),
        suppression_(suppression),
        contacts_(contacts),
        faults_(faults),
        tokens_(tokens) {}

  void reset(const Partition* only);
  // More state to empty on reset (stores of other modules), called with reset's argument.
  void also_clear(std::function<void(const Partition*)> eraser) {
    erasers_.push_back(std::move(eraser));
  }

 private:
  std::vector<std::function<void(const Partition*)>> erasers_;
  storage::Database& db_;
  storage::ImportJobStore& jobs_;
  storage::SuppressionStore& suppression_;
  storage::ContactStore& contacts_;
  FaultInjector& faults_;
  PageTokenCodec& tokens_;
};

// The NextToken signing key kept in the database (created on first use), so tokens survive
// a restart.
std::string stored_page_token_key(storage::Database& db);

}  // namespace sesv2mock
