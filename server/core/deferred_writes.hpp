#pragma once
// Group commit. A store may hold writes back instead of committing each one, so that one
// transaction (one WAL commit) carries those of many concurrent requests. The HTTP server
// turns holding on for its I/O threads; after handling a request it asks whether writes are
// pending on its thread and, if so, keeps the answers back until commit() made them durable
// (a failed commit answers 500 instead). So a client only ever sees an acknowledgement for
// what is in the database. Threads that never turn holding on (jobs, tests, fixtures) write at
// once, as before.
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
};

}  // namespace sesv2mock
