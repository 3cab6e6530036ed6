#include "server/http/http_server.hpp"

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/auth/verifier.hpp"
#include "server/core/deferred_writes.hpp"
#include "server/core/log.hpp"

namespace sesv2mock::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Executors are concrete (one io_context per thread), which spares the type-erased
// any_io_executor and strand wrappers on every handler.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Response = bhttp::response<bhttp::string_body>;

constexpr auto kShutdownPoll = std::chrono::milliseconds(10);
// After a failed accept that closing an idle connection could not cure, wait before
// trying again instead of spinning.
constexpr auto kAcceptRetry = std::chrono::milliseconds(10);
// Descriptors kept free for the database, import files, fixtures and the S3 client.
constexpr long kReservedDescriptors = 64;
constexpr int kMinConnections = 16;
constexpr std::string_view kSesRoutePrefix = "/v2/";
// The sweep that closes connections past their I/O deadline runs this many times per
// --read-timeout-ms (so one closes at most a quarter late), within these bounds.
constexpr int kSweepsPerTimeout = 4;
constexpr auto kMinSweep = std::chrono::milliseconds(10);
constexpr auto kMaxSweep = std::chrono::milliseconds(1000);
constexpr std::int64_t kNoDeadline = std::numeric_limits<std::int64_t>::max();

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class Session;

// Every open connection, oldest first, so the oldest idle one can be closed at the cap.
struct Registry {
  std::mutex mutex;
  std::list<Session*> sessions;
};

struct Shared {
  Router& router;
  ServerOptions options;
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  Registry registry{};
};

void fill_response(Response& res, HttpResponse r, unsigned version, bool keep_alive) {
  res = Response{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::server, "sesv2-mock");
  res.set(bhttp::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers)
    res.set(name, value);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
}

// One connection: read a request, answer it, repeat while keep-alive holds.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    std::lock_guard lock(shared_.registry.mutex);
    shared_.registry.sessions.push_back(this);
    position_ = std::prev(shared_.registry.sessions.end());
  }

  ~Session() {
    std::lock_guard lock(shared_.registry.mutex);
    shared_.registry.sessions.erase(position_);
  }

  void start() { read(); }

  // Waiting for (the rest of) a request head: safe to close without losing a request.
  bool idle() const { return idle_.load(std::memory_order_relaxed); }
  // Claims the session for closing (once); false when it is busy or already claimed.
  bool claim_for_close() {
    bool expected = true;
    return idle_.compare_exchange_strong(expected, false);
  }
  Executor executor() { return stream_.get_executor(); }
  void close() {
    beast::error_code ignored;
    stream_.shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close(ignored);
  }
  // Waiting on the client (for a request, or for it to take an answer) past its deadline.
  // Read on any thread by the sweep; re-checked on the session's own thread before closing.
  bool overdue(std::int64_t now) const { return now >= deadline_.load(std::memory_order_relaxed); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(shared_.options.max_body_bytes);
    arm();
    idle_.store(true, std::memory_order_relaxed);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                               self->on_header(ec, n);
                             });
  }

  // curl and others send `Expect: 100-continue` before a large body and wait for the go-ahead.
  void on_header(beast::error_code ec, std::size_t bytes) {
    disarm();
    // A session claimed for closing has idle_ false already; it is closed by its claimer.
    bool was_idle = true;
    if (!idle_.compare_exchange_strong(was_idle, false))
      return close();
    if (ec)
      return on_read(ec, bytes);
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      auto go_ahead = std::make_shared<bhttp::response<bhttp::empty_body>>(
          bhttp::status::continue_, parser_->get().version());
      auto self = shared_from_this();
      arm();
      bhttp::async_write(stream_, *go_ahead, [self, go_ahead](beast::error_code wec, std::size_t) {
        self->disarm();
        if (wec)
          return self->close();
        self->read_body();
      });
      return;
    }
    // A request without a body (every GET) is complete with its header: answer it now
    // rather than through one more composed read that only posts its completion.
    if (parser_->is_done())
      return on_read(ec, bytes);
    read_body();
  }

  void read_body() {
    arm();
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(beast::error_code ec, std::size_t) {
    disarm();
    if (ec == bhttp::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == asio::error::eof || ec == asio::error::operation_aborted ||
        ec == asio::error::bad_descriptor) {
      return close();
    }
    if (ec == bhttp::error::body_limit) {
      return reply_error(413, "RequestEntityTooLargeException",
                         "The request body is larger than " +
                             std::to_string(shared_.options.max_body_bytes) + " bytes.");
    }
    if (ec == bhttp::error::partial_message)
      return close();
    if (ec) {
      return reply_error(400, "BadRequestException",
                         "The HTTP request is malformed: " + ec.message() + ".");
    }

    auto& req = parser_->get();
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.host = std::string(req[bhttp::field::host]);
    request.authorization = std::string(req[bhttp::field::authorization]);
    request.if_none_match = std::string(req[bhttp::field::if_none_match]);
    request.body = std::move(req.body());
    const bool keep_alive = req.keep_alive() && !shared_.stopping;
    const unsigned version = req.version();

    ++shared_.in_flight;
    if (shared_.options.verifier != nullptr &&
        std::string_view(request.target).substr(0, kSesRoutePrefix.size()) == kSesRoutePrefix) {
      for (const auto& field : req) {
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      const auto verdict = shared_.options.verifier->verify(
          {request.method, request.target, request.headers, request.body},
          std::chrono::system_clock::now());
      if (!verdict.accepted()) {
        HttpResponse refusal =
            error_response(ApiError(verdict.code, auth::kRefusalStatus, verdict.message));
        refusal.headers.emplace_back("x-amzn-RequestId", new_request_id());
        fill_response(response_, std::move(refusal), version, keep_alive);
        return write();
      }
      request.verified_account = verdict.credential->account;
    }
    HttpResponse response = shared_.router.handle(request);
    DeferredWrites* deferred = shared_.options.deferred;
    const bool held = deferred != nullptr && deferred->pending();
    if (response.body_stream) {
      if (held)
        commit_now(response);
      if (response.body_stream)
        return write_streamed(std::move(response), version, keep_alive);
    }
    fill_response(response_, std::move(response), version, keep_alive);
    if (held)
      return await_commit();
    write();
  }

  // Group commit: the answer waits for the commit of the writes held on this thread. The
  // first waiter posts the hand-over, which runs after the handlers already queued here; the
  // store's committer commits it (with what the other I/O threads handed over meanwhile) and
  // the answers go out back on this thread. This thread never waits for the writer.
  void await_commit() {
    auto& waiting = awaiting_commit();
    waiting.push_back(shared_from_this());
    if (waiting.size() == 1)
      asio::post(stream_.get_executor(),
                 [&shared = shared_, ex = stream_.get_executor()] { hand_over(shared, ex); });
  }

  static std::vector<std::shared_ptr<Session>>& awaiting_commit() {
    thread_local std::vector<std::shared_ptr<Session>> waiting;
    return waiting;
  }

  template <typename Executor>
  static void hand_over(Shared& shared, Executor ex) {
    std::vector<std::shared_ptr<Session>> waiting;
    waiting.swap(awaiting_commit());
    shared.options.deferred->commit_async(
        [ex, waiting = std::move(waiting)](const std::string* failure) mutable {
          std::optional<std::string> what;
          if (failure) {
            what = *failure;
            log::write(log::Level::Error, "group commit of %zu answer(s) failed: %s",
                       waiting.size(), failure->c_str());
          }
          asio::post(ex, [waiting = std::move(waiting), what] {
            for (auto& session : waiting) {
              if (what)
                session->answer_failure(*what);
              session->write();
            }
          });
        });
  }

  // A streamed answer cannot wait: its writes are committed here and now.
  // The held writes are this thread's, so they may include those of answers already waiting
  // for the hand-over: a failure fails them too (the hand-over then finds nothing held).
  void commit_now(HttpResponse& response) {
    try {
      shared_.options.deferred->commit();
    } catch (const std::exception& e) {
      response = failure_response(e.what());
      for (auto& session : awaiting_commit())
        session->answer_failure(e.what());
    }
  }

  static HttpResponse failure_response(const std::string& what) {
    HttpResponse r = error_response(ApiError::internal("Internal error: " + what));
    r.headers.emplace_back("x-amzn-RequestId", new_request_id());
    return r;
  }

  // The held writes were not committed: the prepared answer becomes a 500.
  void answer_failure(const std::string& what) {
    const unsigned version = response_.version();
    const bool keep_alive = response_.keep_alive();
    fill_response(response_, failure_response(what), version, keep_alive);
  }

  // Chunked transfer: the head, then one chunk per call of the producer, then the last chunk.
  // A producer that throws midway ends the connection (the status is already sent).
  void write_streamed(HttpResponse r, unsigned version, bool keep_alive) {
    stream_head_.emplace(static_cast<bhttp::status>(r.status), version);
    stream_head_->set(bhttp::field::server, "sesv2-mock");
    stream_head_->set(bhttp::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers)
      stream_head_->set(name, value);
    stream_head_->keep_alive(keep_alive);
    stream_head_->chunked(true);
    producer_ = std::move(r.body_stream);
    stream_serializer_.emplace(*stream_head_);
    arm();
    bhttp::async_write_header(stream_, *stream_serializer_,
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                self->disarm();
                                if (ec)
                                  return self->end_stream(ec);
                                self->write_next_chunk();
                              });
  }

  void write_next_chunk() {
    chunk_.clear();
    bool more = false;
    try {
      more = producer_(chunk_);
    } catch (const std::exception& e) {
      log::write(log::Level::Error, "streamed answer broke off: %s", e.what());
      return end_stream(asio::error::operation_aborted);
    }
    auto self = shared_from_this();
    if (chunk_.empty()) {
      if (more)
        return asio::post(stream_.get_executor(), [self] { self->write_next_chunk(); });
      arm();
      return asio::async_write(stream_, bhttp::make_chunk_last(),
                               [self](beast::error_code ec, std::size_t) { self->end_stream(ec); });
    }
    arm();
    asio::async_write(stream_, bhttp::make_chunk(asio::buffer(chunk_)),
                      [self, more](beast::error_code ec, std::size_t) {
                        self->disarm();
                        if (ec)
                          return self->end_stream(ec);
                        if (more)
                          return self->write_next_chunk();
                        self->arm();
                        asio::async_write(self->stream_, bhttp::make_chunk_last(),
                                          [self](beast::error_code last_ec, std::size_t) {
                                            self->end_stream(last_ec);
                                          });
                      });
  }

  void end_stream(beast::error_code ec) {
    disarm();
    --shared_.in_flight;
    const bool keep_alive = stream_head_ && stream_head_->keep_alive();
    producer_ = nullptr;
    stream_serializer_.reset();
    stream_head_.reset();
    chunk_ = std::string();
    if (ec || !keep_alive)
      return close();
    read();
  }

  void reply_error(unsigned status, const std::string& code, const std::string& message) {
    ++shared_.in_flight;
    HttpResponse response = error_response(ApiError(code, status, message));
    response.headers.emplace_back("x-amzn-RequestId", new_request_id());
    fill_response(response_, std::move(response), 11, false);
    write();
  }

  void write() {
    arm();
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         self->disarm();
                         --self->shared_.in_flight;
                         if (ec || !self->response_.keep_alive())
                           return self->close();
                         self->response_ = {};
                         self->read();
                       });
  }

  // The I/O deadline: a client that has not sent its request, or not taken its answer, by
  // then is closed by the sweep (HttpServer::Impl::sweep). One clock read per operation
  // instead of a timer armed and cancelled per operation (Beast's basic_stream), which was
  // 2.7 % of the server's CPU under GetImportJob load.
  void arm() {
    deadline_.store(steady_ns() + std::int64_t{shared_.options.read_timeout_ms} * 1'000'000,
                    std::memory_order_relaxed);
  }
  void disarm() { deadline_.store(kNoDeadline, std::memory_order_relaxed); }

  Socket stream_;
  std::atomic<std::int64_t> deadline_{kNoDeadline};
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Response response_;
  // Streamed answers (HttpResponse::body_stream).
  std::optional<bhttp::response<bhttp::empty_body>> stream_head_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> stream_serializer_;
  std::function<bool(std::string&)> producer_;
  std::string chunk_;
  Shared& shared_;
  std::atomic<bool> idle_{false};
  std::list<Session*>::iterator position_;
};

}  // namespace

long raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
      limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<long>(limit.rlim_cur);
}

struct HttpServer::Impl {
  Impl(ServerOptions options, Router& router)
      : shared{router, std::move(options)},
        contexts(make_contexts(std::max(1, shared.options.threads))),
        acceptor(contexts.front()->get_executor()),
        signals(*contexts.front(), SIGINT, SIGTERM),
        shutdown_timer(*contexts.front()),
        accept_retry_timer(*contexts.front()),
        sweep_timer(*contexts.front()) {}

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int n) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < n; ++i)
      out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  asio::io_context& next_context() {
    next = (next + 1) % contexts.size();
    return *contexts[next];
  }

  // Closes the oldest connection waiting for a request head; false when every one is busy.
  bool close_oldest_idle() {
    std::shared_ptr<Session> victim;
    {
      std::lock_guard lock(shared.registry.mutex);
      for (Session* s : shared.registry.sessions) {
        if (!s->idle())
          continue;
        auto alive = s->weak_from_this().lock();
        if (alive && alive->claim_for_close()) {
          victim = std::move(alive);
          break;
        }
      }
    }
    if (!victim)
      return false;
    asio::post(victim->executor(), [victim] { victim->close(); });
    return true;
  }

  // Closes the connections past their I/O deadline (Session::arm), each on its own thread.
  void sweep() {
    const auto period =
        std::clamp(std::chrono::milliseconds(shared.options.read_timeout_ms / kSweepsPerTimeout),
                   kMinSweep, kMaxSweep);
    sweep_timer.expires_after(period);
    sweep_timer.async_wait([this](beast::error_code ec) {
      if (ec)
        return;
      const std::int64_t now = steady_ns();
      std::vector<std::shared_ptr<Session>> late;
      {
        std::lock_guard lock(shared.registry.mutex);
        for (Session* s : shared.registry.sessions) {
          if (!s->overdue(now))
            continue;
          if (auto alive = s->weak_from_this().lock())
            late.push_back(std::move(alive));
        }
      }
      for (auto& s : late) {
        asio::post(s->executor(), [s, now] {
          if (s->overdue(now))  // it may have gone on meanwhile
            s->close();
        });
      }
      sweep();
    });
  }

  std::size_t open_connections() {
    std::lock_guard lock(shared.registry.mutex);
    return shared.registry.sessions.size();
  }

  void accept() {
    acceptor.async_accept(next_context(), [this](beast::error_code ec, Socket socket) {
      if (ec) {
        if (!acceptor.is_open() || ec == asio::error::operation_aborted)
          return;
        // Out of descriptors (or another transient failure): make room, then retry.
        if (close_oldest_idle())
          return accept();
        accept_retry_timer.expires_after(kAcceptRetry);
        accept_retry_timer.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec && acceptor.is_open())
            accept();
        });
        return;
      }
      if (open_connections() >= static_cast<std::size_t>(cap) && !close_oldest_idle()) {
        beast::error_code ignored;
        socket.close(ignored);  // every connection is busy: refuse at once
        return accept();
      }
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), shared)->start();
      accept();
    });
  }

  void begin_shutdown() {
    if (shared.stopping.exchange(true))
      return;
    if (shutdown_callback)
      shutdown_callback();
    beast::error_code ignored;
    acceptor.close(ignored);
    deadline = std::chrono::steady_clock::now() +
               std::chrono::milliseconds(shared.options.shutdown_grace_ms);
    poll_shutdown();
  }

  // Stops once no request is being handled, or when the grace period is over.
  void poll_shutdown() {
    if (shared.in_flight == 0 || std::chrono::steady_clock::now() >= deadline) {
      for (auto& c : contexts)
        c->stop();
      return;
    }
    shutdown_timer.expires_after(kShutdownPoll);
    shutdown_timer.async_wait([this](beast::error_code) { poll_shutdown(); });
  }

  Shared shared;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::size_t next = 0;
  int cap = 0;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer shutdown_timer;
  asio::steady_timer accept_retry_timer;
  asio::steady_timer sweep_timer;
  std::function<void()> shutdown_callback;
  std::chrono::steady_clock::time_point deadline;
};

HttpServer::HttpServer(ServerOptions options, Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() = default;

int HttpServer::listen() {
  const long limit = raise_open_file_limit();
  int cap = impl_->shared.options.max_connections;
  if (limit > 0) {
    const long fitting = std::max<long>(kMinConnections, limit - kReservedDescriptors);
    if (cap <= 0 || cap > fitting)
      cap = static_cast<int>(fitting);
  } else if (cap <= 0) {
    cap = std::numeric_limits<int>::max();
  }
  impl_->cap = cap;
  auto& a = impl_->acceptor;
  tcp::endpoint endpoint(asio::ip::make_address(impl_->shared.options.host),
                         static_cast<unsigned short>(impl_->shared.options.port));
  a.open(endpoint.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(endpoint);
  a.listen(asio::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

int HttpServer::max_connections() const {
  return impl_->cap;
}

void HttpServer::on_shutdown(std::function<void()> callback) {
  impl_->shutdown_callback = std::move(callback);
}

void HttpServer::run() {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec)
      impl_->begin_shutdown();
  });
  impl_->accept();
  impl_->sweep();
  // Keeps the other threads' io_contexts running while they have no connection yet.
  std::vector<asio::executor_work_guard<Executor>> guards;
  std::vector<std::thread> threads;
  DeferredWrites* deferred = impl_->shared.options.deferred;
  auto run_context = [this, deferred](std::size_t i) {
    if (deferred != nullptr)
      deferred->hold_on_this_thread(true);
    impl_->contexts[i]->run();
    if (deferred == nullptr)
      return;
    try {
      deferred->hold_on_this_thread(false);  // commits what is left (never answered)
    } catch (const std::exception& e) {
      log::write(log::Level::Error, "last group commit failed: %s", e.what());
    }
  };
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i) {
    guards.push_back(asio::make_work_guard(*impl_->contexts[i]));
    threads.emplace_back([run_context, i] { run_context(i); });
  }
  run_context(0);
  for (auto& c : impl_->contexts)
    c->stop();
  for (auto& t : threads)
    t.join();
  // No commit may call back into the contexts once they are gone.
  if (deferred != nullptr)
    deferred->drain();
}

void HttpServer::stop() {
  asio::post(*impl_->contexts.front(), [this] { impl_->begin_shutdown(); });
}

}  // namespace sesv2mock::http
