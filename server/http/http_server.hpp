#pragma once
// The network side: accepts connections and feeds requests to the Router.
//
// Threading: `threads` I/O threads run one io_context; each connection has its own strand,
// so a session's handlers never run concurrently. Handlers run the Router synchronously on
// the I/O thread (the operations are short). SIGINT/SIGTERM stop accepting, let in-flight
// requests finish within the grace period, then stop the I/O threads.
#include <functional>
#include <memory>
#include <string>

#include "server/http/router.hpp"

namespace sesv2mock::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 4579;
  int threads = 2;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  int read_timeout_ms = 30'000;
  int shutdown_grace_ms = 5'000;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, Router& router);
  ~HttpServer();

  // Binds and listens; returns the bound port (useful with port 0). Throws on failure.
  int listen();
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
