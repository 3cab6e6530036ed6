#include "server/http/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

namespace sesv2mock::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kShutdownPoll = std::chrono::milliseconds(10);
// After a failed accept (out of file descriptors, say), wait before trying again instead
// of spinning.
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

struct Shared {
  Router& router;
  ServerOptions options;
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
};

bhttp::response<bhttp::string_body> to_beast(HttpResponse r, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::server, "sesv2-mock");
  res.set(bhttp::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) res.set(name, value);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

// One connection: read a request, answer it, repeat while keep-alive holds.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::read, shared_from_this()));
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(shared_.options.max_body_bytes);
    stream_.expires_after(std::chrono::milliseconds(shared_.options.read_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  // curl and others send `Expect: 100-continue` before a large body and wait for the go-ahead.
  void on_header(beast::error_code ec, std::size_t bytes) {
    if (ec) return on_read(ec, bytes);
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      auto go_ahead = std::make_shared<bhttp::response<bhttp::empty_body>>(
          bhttp::status::continue_, parser_->get().version());
      auto self = shared_from_this();
      bhttp::async_write(stream_, *go_ahead, [self, go_ahead](beast::error_code wec, std::size_t) {
        if (wec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return close();
    }
    if (ec == bhttp::error::body_limit) {
      return reply_error(413, "RequestEntityTooLargeException",
                         "The request body is larger than " +
                             std::to_string(shared_.options.max_body_bytes) + " bytes.");
    }
    if (ec == bhttp::error::partial_message) return close();
    if (ec) return reply_error(400, "BadRequestException", "The HTTP request is malformed: " + ec.message() + ".");

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
    HttpResponse response = shared_.router.handle(request);
    write(to_beast(std::move(response), version, keep_alive));
  }

  void reply_error(unsigned status, const std::string& code, const std::string& message) {
    ++shared_.in_flight;
    ApiError error(code, status, message);
    HttpResponse response = error_response(error);
    response.headers.emplace_back("x-amzn-RequestId", new_request_id());
    write(to_beast(std::move(response), 11, false));
  }

  void write(bhttp::response<bhttp::string_body>&& response) {
    auto self = shared_from_this();
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(std::move(response));
    bhttp::async_write(stream_, *res, [self, res](beast::error_code ec, std::size_t) {
      --self->shared_.in_flight;
      if (ec || !res->keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Shared& shared_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions options, Router& router)
      : shared{router, std::move(options)},
        ioc(shared.options.threads),
        acceptor(asio::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM),
        shutdown_timer(ioc),
        accept_retry_timer(ioc) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open() || ec == asio::error::operation_aborted) return;
        accept_retry_timer.expires_after(kAcceptRetry);
        accept_retry_timer.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec && acceptor.is_open()) accept();
        });
        return;
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket), shared)->start();
      }
      accept();
    });
  }

  void begin_shutdown() {
    if (shared.stopping.exchange(true)) return;
    if (shutdown_callback) shutdown_callback();
    asio::post(acceptor.get_executor(), [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
    });
    deadline = std::chrono::steady_clock::now() +
               std::chrono::milliseconds(shared.options.shutdown_grace_ms);
    poll_shutdown();
  }

  // Stops once no request is being handled, or when the grace period is over.
  void poll_shutdown() {
    if (shared.in_flight == 0 || std::chrono::steady_clock::now() >= deadline) {
      ioc.stop();
      return;
    }
    shutdown_timer.expires_after(kShutdownPoll);
    shutdown_timer.async_wait([this](beast::error_code) { poll_shutdown(); });
  }

  Shared shared;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer shutdown_timer;
  asio::steady_timer accept_retry_timer;
  std::function<void()> shutdown_callback;
  std::chrono::steady_clock::time_point deadline;
};

HttpServer::HttpServer(ServerOptions options, Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() = default;

int HttpServer::listen() {
  auto& a = impl_->acceptor;
  tcp::endpoint endpoint(asio::ip::make_address(impl_->shared.options.host),
                         static_cast<unsigned short>(impl_->shared.options.port));
  a.open(endpoint.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(endpoint);
  a.listen(asio::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void HttpServer::on_shutdown(std::function<void()> callback) {
  impl_->shutdown_callback = std::move(callback);
}

void HttpServer::run() {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->begin_shutdown();
  });
  impl_->accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->shared.options.threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void HttpServer::stop() {
  asio::post(impl_->ioc, [this] { impl_->begin_shutdown(); });
}

}  // namespace sesv2mock::http
