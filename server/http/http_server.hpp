#pragma once
// The network side: accepts connections and feeds requests to the Router.
//
// Threading: each of the `threads` I/O threads runs its own io_context, and a connection lives
// on one of them for its whole life (round robin at accept), so a session's handlers never
// run concurrently and need no strand or cross-thread locking. Handlers run the Router
// synchronously on the I/O thread (the operations are short). With `deferred` set, a request
// that left writes held on its thread gets its answer after a commit posted behind the
// handlers already queued on that thread, so requests that arrived together share it.
// SIGINT/SIGTERM stop accepting, let in-flight requests finish within the grace period, then stop
// the threads.
//
// File descriptors: the soft RLIMIT_NOFILE is raised to the hard limit at start, and open
// connections are capped (max_connections, default: the limit less a reserve for the
// database and files). At the cap, or when accept() runs out of descriptors, the oldest
// connection still waiting for a request head is closed; with none idle the new one is
// closed at once. So a flood of idle connections never keeps a real request waiting.
#include <functional>
#include <memory>
#include <string>

#include "server/http/router.hpp"

namespace sesv2mock {
class DeferredWrites;
}

namespace sesv2mock::auth {
class Verifier;
}

namespace sesv2mock::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 4579;
  int threads = 2;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  int read_timeout_ms = 30'000;
  int shutdown_grace_ms = 5'000;
  int max_connections = 0;  // 0: derived from the file-descriptor limit
  // Strict SigV4 for /v2/ routes when set (owned by the caller, outlives the server).
  const auth::Verifier* verifier = nullptr;
  // Group commit (owned by the caller): writes of the requests handled in one turn of an I/O
  // thread are committed together, and their answers go out after that commit.
  DeferredWrites* deferred = nullptr;
};

// Raises the soft open-file limit to the hard limit; returns the soft limit now in force.
long raise_open_file_limit();

class HttpServer {
 public:
  HttpServer(ServerOptions options, Router& router);
  ~HttpServer();

  // Binds and listens; returns the bound port (useful with port 0). Throws on failure.
  int listen();
  // The connection cap in force (after listen()).
  int max_connections() const;
  // Called once, on an I/O thread, when shutdown begins (e.g. to stop running imports).
  void on_shutdown(std::function<void()> callback);
  // Runs until a signal (or stop()) ends it.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sesv2mock::http
