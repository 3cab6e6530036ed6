// The S3 GetObject client: request building and error sentences without a socket, then whole
// fetches against a one-shot canned HTTP server on 127.0.0.1 (plain POSIX sockets, so this
// file stays cheap to compile).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "server/s3/s3_client.hpp"

using sesv2mock::S3EndpointSettings;
using sesv2mock::S3Location;

namespace {

std::chrono::system_clock::time_point example_time() {
  using namespace std::chrono;
  return sys_days{year{2013} / May / 24};
}

std::string header_value(const sesv2mock::S3ObjectRequest& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (h.name == name)
      return h.value;
  }
  return {};
}

// Listens on 127.0.0.1 (ephemeral port). serve() answers ONE connection with `response`
// after reading the request head; with an empty response it accepts and stays silent.
class CannedServer {
 public:
  CannedServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 4) != 0)
      throw std::runtime_error("cannot listen");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~CannedServer() {
    if (thread_.joinable())
      thread_.join();
    ::close(fd_);
  }

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void serve(std::string response, int hold_ms = 0) {
    thread_ = std::thread([this, response = std::move(response), hold_ms] {
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0)
        return;
      char buf[4096];
      while (request_.find("\r\n\r\n") == std::string::npos) {
        auto n = ::read(conn, buf, sizeof buf);
        if (n <= 0)
          break;
        request_.append(buf, static_cast<std::size_t>(n));
      }
      if (hold_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
      for (std::size_t sent = 0; sent < response.size();) {
        auto n = ::write(conn, response.data() + sent, response.size() - sent);
        if (n <= 0)
          break;
        sent += static_cast<std::size_t>(n);
      }
      ::close(conn);
    });
  }

  // The request as received; valid once the fetch has returned.
  std::string request() {
    if (thread_.joinable())
      thread_.join();
    return request_;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_;
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fetch_error(const S3EndpointSettings& s3, const S3Location& loc,
                        const std::string& spool) {
  try {
    sesv2mock::fetch_s3_object(s3, loc, spool);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("sesv2mock-s3client-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("make_get_object_request builds a signed path-style GET") {
  S3EndpointSettings s3;
  s3.access_key = "AKIAIOSFODNN7EXAMPLE";
  s3.secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  s3.region = "eu-west-1";

  SUBCASE("key with spaces, unicode and plus; endpoint with port") {
    s3.endpoint = "http://127.0.0.1:4568";
    auto r = sesv2mock::make_get_object_request(s3, {"my-bucket", "dir one/caf\xC3\xA9+x y.csv"},
                                                example_time());
    CHECK(r.connect_host == "127.0.0.1");
    CHECK(r.connect_port == "4568");
    CHECK(r.target == "/my-bucket/dir%20one/caf%C3%A9%2Bx%20y.csv");
    CHECK(header_value(r, "Host") == "127.0.0.1:4568");
    CHECK(header_value(r, "x-amz-date") == "20130524T000000Z");
    // Same request as the botocore vector in test_sigv4.cpp.
    CHECK(header_value(r, "Authorization")
              .ends_with(
                  "Signature=5de2b417467b5de2f5dfc955f07fe0f4e5aa79cc9e7b3e0e0abe0ba2777f25bc"));
  }
  SUBCASE("endpoint with a path prefix and no port") {
    s3.endpoint = "http://s3.local/proxy/s3/";
    auto r = sesv2mock::make_get_object_request(s3, {"b", "k.csv"}, example_time());
    CHECK(r.connect_host == "s3.local");
    CHECK(r.connect_port == "80");
    CHECK(r.target == "/proxy/s3/b/k.csv");
    CHECK(header_value(r, "Host") == "s3.local");
  }
  SUBCASE("IPv6 literal") {
    s3.endpoint = "http://[::1]:9000";
    auto r = sesv2mock::make_get_object_request(s3, {"b", "k"}, example_time());
    CHECK(r.connect_host == "::1");
    CHECK(header_value(r, "Host") == "[::1]:9000");
  }
  SUBCASE("not an http URL") {
    s3.endpoint = "ftp://x";
    CHECK_THROWS_WITH(sesv2mock::make_get_object_request(s3, {"b", "k"}, example_time()),
                      "The S3 endpoint ftp://x is not a valid http:// URL.");
    s3.endpoint = "https://x";
    CHECK_THROWS_WITH(
        sesv2mock::make_get_object_request(s3, {"b", "k"}, example_time()),
        "The S3 endpoint https://x uses https, which this build does not support; use http://.");
  }
}

TEST_CASE("describe_s3_error names the S3 error code") {
  const S3Location loc{"b", "dir/k.csv"};
  auto xml = [](std::string code, std::string message) {
    return "<?xml version=\"1.0\"?><Error><Code>" + code + "</Code><Message>" + message +
           "</Message></Error>";
  };
  CHECK(sesv2mock::describe_s3_error(404, "Not Found", xml("NoSuchKey", "x"), loc) ==
        "The object s3://b/dir/k.csv does not exist (NoSuchKey).");
  CHECK(sesv2mock::describe_s3_error(404, "Not Found", xml("NoSuchBucket", "x"), loc) ==
        "The bucket b does not exist (NoSuchBucket).");
  CHECK(sesv2mock::describe_s3_error(403, "Forbidden", xml("AccessDenied", "x"), loc) ==
        "Access to s3://b/dir/k.csv was denied (AccessDenied).");
  CHECK(sesv2mock::describe_s3_error(
            403, "Forbidden",
            xml("SignatureDoesNotMatch", "The signature &amp; the key\ndo not match."),
            loc) == "S3 answered 403 SignatureDoesNotMatch: The signature & the key do not match.");
  CHECK(sesv2mock::describe_s3_error(503, "Service Unavailable", "", loc) ==
        "S3 answered 503 Service Unavailable.");
}

TEST_CASE("fetch_s3_object against a canned server") {
  TempDir dir;
  const std::string spool = (dir.path / "object.spool").string();
  CannedServer server;
  S3EndpointSettings s3;
  s3.endpoint = server.endpoint();
  const S3Location loc{"bucket", "a b/c.csv"};

  SUBCASE("content-length body lands in the spool file; the request is signed") {
    const std::string body = "a@example.com,BOUNCE\nb@example.com,COMPLAINT\n";
    server.serve("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                 body);
    sesv2mock::fetch_s3_object(s3, loc, spool);
    CHECK(read_file(spool) == body);
    const std::string request = server.request();
    CHECK(request.starts_with("GET /bucket/a%20b/c.csv HTTP/1.1\r\n"));
    CHECK(request.find("Authorization: AWS4-HMAC-SHA256 Credential=test/") != std::string::npos);
    CHECK(request.find("/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;"
                       "x-amz-date, Signature=") != std::string::npos);
  }
  SUBCASE("chunked body larger than one read piece") {
    std::string body;
    for (int i = 0; i < 20'000; ++i)
      body += "user" + std::to_string(i) + "@example.com,BOUNCE\n";
    std::string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (std::size_t at = 0; at < body.size(); at += 10'000) {
      const auto piece = body.substr(at, 10'000);
      std::ostringstream size;
      size << std::hex << piece.size();
      response += size.str() + "\r\n" + piece + "\r\n";
    }
    response += "0\r\n\r\n";
    server.serve(response);
    sesv2mock::fetch_s3_object(s3, loc, spool);
    CHECK(read_file(spool) == body);
  }
  SUBCASE("an S3 error document becomes one sentence and no spool file is left") {
    const std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
        "<Message>The specified key does not exist.</Message><Key>a b/c.csv</Key></Error>";
    server.serve("HTTP/1.1 404 Not Found\r\nContent-Type: application/xml\r\nContent-Length: " +
                 std::to_string(xml.size()) + "\r\n\r\n" + xml);
    CHECK(fetch_error(s3, loc, spool) ==
          "The object s3://bucket/a b/c.csv does not exist (NoSuchKey).");
    CHECK_FALSE(std::filesystem::exists(spool));
  }
  SUBCASE("a server that never answers times out") {
    s3.timeout_ms = 200;
    server.serve("", 500);
    CHECK(fetch_error(s3, loc, spool) ==
          "The S3 endpoint " + s3.endpoint + " did not answer within 200 ms.");
  }
  SUBCASE("a body cut short is reported and its spool file removed") {
    server.serve("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a few bytes");
    CHECK(fetch_error(s3, loc, spool) ==
          "The S3 endpoint " + s3.endpoint + " closed the connection before the object was read.");
    CHECK_FALSE(std::filesystem::exists(spool));
  }
}

TEST_CASE("fetch_s3_object reports a refused connection") {
  int port = 0;
  {
    CannedServer closed;  // bound, then released: nothing listens there afterwards
    port = closed.port();
  }
  S3EndpointSettings s3;
  s3.endpoint = "http://127.0.0.1:" + std::to_string(port);
  CHECK(fetch_error(s3, {"b", "k"}, "/nonexistent-dir/spool") ==
        "The S3 endpoint " + s3.endpoint + " refused the connection.");
}

TEST_CASE("http_get_ok") {
  SUBCASE("200") {
    CannedServer server;
    server.serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    CHECK(sesv2mock::http_get_ok("127.0.0.1", server.port(), "/_mock/health", 1'000));
    CHECK(server.request().starts_with("GET /_mock/health HTTP/1.1\r\n"));
  }
  SUBCASE("503") {
    CannedServer server;
    server.serve("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
    CHECK_FALSE(sesv2mock::http_get_ok("127.0.0.1", server.port(), "/", 1'000));
  }
  SUBCASE("silent") {
    CannedServer server;
    server.serve("", 400);
    CHECK_FALSE(sesv2mock::http_get_ok("127.0.0.1", server.port(), "/", 200));
  }
}
