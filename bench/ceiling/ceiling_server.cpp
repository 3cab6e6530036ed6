// The bench's ceiling: the least an HTTP/1.1 keep-alive server built on Boost.Beast can do
// per request on this machine. It answers every request with one fixed JSON body of a
// given size, with the same threading as sesv2-mock (one io_context per thread) and the
// same response headers, so sesv2-mock's GetImportJob throughput can be read as a
// percentage of it. No routing, no storage, no JSON building.
//
// Usage: sesv2-bench-ceiling PORT BODY_BYTES [THREADS]   (prints "ceiling listening on PORT")
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;

namespace {

constexpr int kDefaultThreads = 2;

// A JSON object {"p":"xxxx..."} exactly `size` bytes long (at least 8).
std::string fixed_body(std::size_t size) {
  const std::size_t overhead = std::string(R"({"p":""})").size();
  return R"({"p":")" + std::string(size > overhead ? size - overhead : 0, 'x') + R"("})";
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Socket&& socket, const std::string& body) : socket_(std::move(socket)), body_(body) {}
  void read() {
    request_ = {};
    bhttp::async_read(socket_, buffer_, request_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (!ec)
                          self->answer();
                      });
  }

 private:
  void answer() {
    response_ = {bhttp::status::ok, request_.version()};
    response_.set(bhttp::field::server, "sesv2-mock");
    response_.set(bhttp::field::content_type, "application/json");
    response_.set("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000");
    response_.body() = body_;
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    bhttp::async_write(socket_, response_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (!ec && self->response_.keep_alive())
                           self->read();
                       });
  }

  Socket socket_;
  const std::string& body_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PORT BODY_BYTES [THREADS]\n", argv[0]);
    return 64;
  }
  const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
  const std::string body = fixed_body(static_cast<std::size_t>(std::atol(argv[2])));
  const int threads = argc > 3 ? std::max(1, std::atoi(argv[3])) : kDefaultThreads;

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int i = 0; i < threads; ++i)
    contexts.push_back(std::make_unique<asio::io_context>(1));
  tcp::acceptor acceptor(*contexts.front(), {asio::ip::make_address("127.0.0.1"), port});
  std::size_t next = 0;
  std::function<void()> accept = [&] {
    next = (next + 1) % contexts.size();
    acceptor.async_accept(*contexts[next], [&](beast::error_code ec, Socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Connection>(std::move(socket), body)->read();
      }
      accept();
    });
  };
  accept();
  std::printf("ceiling listening on %d\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  std::vector<asio::executor_work_guard<Executor>> guards;
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) {
    guards.push_back(asio::make_work_guard(*contexts[i]));
    pool.emplace_back([&, i] { contexts[i]->run(); });
  }
  contexts.front()->run();
  for (auto& t : pool)
    t.join();
  return 0;
}
