#pragma once
// Group commit. A store may hold writes back instead of committing each one, so that one
// transaction (one WAL commit) carries those of many concurrent requests. The HTTP server
// turns holding on for its I/O threads; after handling a request it asks whether writes are
// pending on its thread and, if so, keeps the answers back until commit() made them durable
// (a failed commit answers 500 instead). So a client only ever sees an acknowledgement for
// what is in the database. Threads that never turn holding on (jobs, tests, fixtures) write at
// once, as before.
#include <functional>
#include <string>

namespace sesv2mock {

class DeferredWrites {
 public:
  virtual ~DeferredWrites() = default;
  // From now on (until called with false) writes made on the calling thread may be held
  // until that thread calls commit().
  virtual void hold_on_this_thread(bool on) = 0;
  // The calling thread holds writes not yet committed.
  virtual bool pending() const = 0;
  // Commits the calling thread's held writes in one transaction. Throws on failure; the held
  // writes are dropped either way.
  virtual void commit() = 0;
  // Hands the calling thread's held writes to a committer thread shared by all threads, which
  // commits what every thread handed over meanwhile in one transaction, then calls `done` on
  // its own thread: with nullptr once they are durable, else with the error (the writes are
  // dropped). The I/O threads go on with other requests instead of waiting for the writer.
  using Done = std::function<void(const std::string* failure)>;
  virtual void commit_async(Done done) = 0;
  // Returns once every write handed to commit_async is committed and its `done` has run.
  virtual void drain() = 0;
};

}  // namespace sesv2mock
