#include "server/s3/s3_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>

namespace sesv2mock {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::string_view kUserAgent = "sesv2-mock";
constexpr std::size_t kDownloadChunkBytes = 64 * 1024;
// Enough for any S3 XML error document; the rest of a larger error body is not read.
constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr std::uint64_t kMaxHealthBodyBytes = 64 * 1024;
constexpr int kHttpVersion11 = 11;

// One connection, driven step by step in the calling thread. Each step runs the private
// io_context until that step completes; tcp_stream's expiry bounds every step but resolving.
class Connection {
 public:
  explicit Connection(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  ~Connection() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  beast::error_code resolve(const std::string& host, const std::string& port,
                            tcp::resolver::results_type& results) {
    return run([&](auto handler) {
      resolver_.async_resolve(host, port, [&results, handler](beast::error_code ec, auto found) {
        results = std::move(found);
        handler(ec);
      });
    });
  }

  beast::error_code connect(const tcp::resolver::results_type& endpoints) {
    stream_.expires_after(timeout_);
    return run([&](auto handler) { stream_.async_connect(endpoints, handler); });
  }

  template <class Request>
  beast::error_code write(Request& request) {
    stream_.expires_after(timeout_);
    return run([&](auto handler) { http::async_write(stream_, request, handler); });
  }

  template <class Parser>
  beast::error_code read_header(Parser& parser) {
    stream_.expires_after(timeout_);
    return run([&](auto handler) { http::async_read_header(stream_, buffer_, parser, handler); });
  }

  // Reads body bytes into the parser's buffer_body window until it is full or the body ends.
  template <class Parser>
  beast::error_code read_body_piece(Parser& parser) {
    stream_.expires_after(timeout_);
    auto ec = run([&](auto handler) { http::async_read(stream_, buffer_, parser, handler); });
    return ec == http::error::need_buffer ? beast::error_code{} : ec;
  }

 private:
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  std::chrono::milliseconds timeout_;
  net::io_context ioc_;
  tcp::resolver resolver_{ioc_};
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
};

using BodyParser = http::response_parser<http::buffer_body>;

// Feeds the rest of the body to `sink` in pieces; stops early when `sink` returns false.
beast::error_code read_body(Connection& conn, BodyParser& parser,
                            const std::function<bool(const char*, std::size_t)>& sink) {
  std::vector<char> chunk(kDownloadChunkBytes);
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    if (auto ec = conn.read_body_piece(parser))
      return ec;
    const std::size_t filled = chunk.size() - parser.get().body().size;
    if (filled > 0 && !sink(chunk.data(), filled))
      break;
  }
  return {};
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string xml_element(std::string_view body, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  auto start = body.find(open);
  if (start == std::string_view::npos)
    return {};
  start += open.size();
  auto end = body.find(close, start);
  if (end == std::string_view::npos)
    return {};
  return std::string(body.substr(start, end - start));
}

std::string decode_xml_entities(std::string s) {
  static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, text] : kEntities) {
    for (auto at = s.find(entity); at != std::string::npos; at = s.find(entity, at + text.size()))
      s.replace(at, entity.size(), text);
  }
  return s;
}

// One line, no trailing period (the caller adds one), so messages never end in "..".
std::string as_clause(std::string s) {
  for (auto& c : s) {
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '.'))
    s.pop_back();
  while (!s.empty() && s.front() == ' ')
    s.erase(s.begin());
  return s;
}

std::string s3_url_of(const S3Location& loc) {
  return "s3://" + loc.bucket + "/" + loc.key;
}

std::string endpoint_failure(const std::string& endpoint, beast::error_code ec,
                             std::chrono::milliseconds timeout,
                             std::string_view unfinished = "before the object was read") {
  if (ec == beast::error::timeout)
    return "The S3 endpoint " + endpoint + " did not answer within " +
           std::to_string(timeout.count()) + " ms.";
  if (ec == net::error::connection_refused)
    return "The S3 endpoint " + endpoint + " refused the connection.";
  if (ec == net::error::host_not_found || ec == net::error::host_not_found_try_again)
    return "The S3 endpoint " + endpoint + " could not be resolved (" + as_clause(ec.message()) +
           ").";
  if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == net::error::eof || ec == net::error::connection_reset)
    return "The S3 endpoint " + endpoint + " closed the connection " + std::string(unfinished) +
           ".";
  return "The request to the S3 endpoint " + endpoint + " failed (" + as_clause(ec.message()) +
         ").";
}

// Connects and sends `request`; throws the endpoint's failure sentence.
template <class Request>
void send(Connection& conn, const std::string& host, const std::string& port, Request& request,
          const std::string& endpoint, std::chrono::milliseconds timeout,
          std::string_view unfinished = "before the object was read") {
  tcp::resolver::results_type endpoints;
  auto ec = conn.resolve(host, port, endpoints);
  if (!ec)
    ec = conn.connect(endpoints);
  if (!ec)
    ec = conn.write(request);
  if (ec)
    throw std::runtime_error(endpoint_failure(endpoint, ec, timeout, unfinished));
}

// The start of an error body (enough for S3's XML error document); a broken body still
// leaves the status to report.
std::string read_error_body(Connection& conn, BodyParser& parser) {
  std::string body;
  read_body(conn, parser, [&body](const char* data, std::size_t n) {
    body.append(data, std::min(n, kMaxErrorBodyBytes - body.size()));
    return body.size() < kMaxErrorBodyBytes;
  });
  return body;
}

// Copies a prepared request's target and headers into a Beast request.
template <class Body>
http::request<Body> beast_request(http::verb verb, const S3ObjectRequest& prepared) {
  http::request<Body> request{verb, prepared.target, kHttpVersion11};
  for (const auto& h : prepared.headers)
    request.set(h.name, h.value);
  request.set(http::field::user_agent, kUserAgent);
  request.set(http::field::connection, "close");
  return request;
}

void download(const S3EndpointSettings& s3, const S3Location& loc, const std::string& spool_path) {
  const std::chrono::milliseconds timeout(s3.timeout_ms);
  const auto prepared = make_get_object_request(s3, loc, std::chrono::system_clock::now());

  auto request = beast_request<http::empty_body>(http::verb::get, prepared);

  Connection conn(timeout);
  send(conn, prepared.connect_host, prepared.connect_port, request, s3.endpoint, timeout);

  BodyParser parser;
  parser.body_limit(boost::none);
  if (auto ec = conn.read_header(parser))
    throw std::runtime_error(endpoint_failure(s3.endpoint, ec, timeout));

  const auto& head = parser.get();
  if (head.result() != http::status::ok) {
    const std::string body = read_error_body(conn, parser);
    throw std::runtime_error(
        describe_s3_error(head.result_int(), std::string(head.reason()), body, loc));
  }

  std::unique_ptr<std::FILE, FileCloser> out(std::fopen(spool_path.c_str(), "wb"));
  if (!out)
    throw std::runtime_error("Could not create the spool file " + spool_path + " (" +
                             std::strerror(errno) + ").");
  bool write_failed = false;
  auto ec = read_body(conn, parser, [&](const char* data, std::size_t n) {
    write_failed = std::fwrite(data, 1, n, out.get()) != n;
    return !write_failed;
  });
  if (!write_failed && std::fflush(out.get()) != 0)
    write_failed = true;
  if (write_failed)
    throw std::runtime_error("Could not write the spool file " + spool_path + " (" +
                             std::strerror(errno) + ").");
  if (ec)
    throw std::runtime_error(endpoint_failure(s3.endpoint, ec, timeout));
}

}  // namespace

namespace {

// Path-style request for `loc`, signed for `method` with the given payload hash.
S3ObjectRequest make_object_request(std::string_view method, const S3EndpointSettings& s3,
                                    const S3Location& loc, std::string_view payload_hash,
                                    std::chrono::system_clock::time_point now) {
  auto parsed = boost::urls::parse_uri(s3.endpoint);
  if (!parsed || parsed->scheme_id() != boost::urls::scheme::http || !parsed->has_authority() ||
      parsed->encoded_host().empty()) {
    if (parsed && parsed->scheme_id() == boost::urls::scheme::https)
      throw std::runtime_error("The S3 endpoint " + s3.endpoint +
                               " uses https, which this build does not support; use http://.");
    throw std::runtime_error("The S3 endpoint " + s3.endpoint + " is not a valid http:// URL.");
  }
  const auto& url = *parsed;

  S3ObjectRequest out;
  out.connect_host = url.host_address();
  out.connect_port = url.has_port() && !url.port().empty() ? std::string(url.port()) : "80";

  // Path-style: the endpoint's own path (a proxy prefix), then the bucket, then the key's
  // segments. Each is decoded first so that the one encoding below is the SigV4 one.
  std::vector<std::string> segments;
  for (auto segment : url.segments()) {
    if (!segment.empty())
      segments.push_back(std::move(segment));
  }
  segments.push_back(loc.bucket);
  for (std::size_t start = 0;;) {
    const auto slash = loc.key.find('/', start);
    segments.push_back(loc.key.substr(start, slash - start));
    if (slash == std::string::npos)
      break;
    start = slash + 1;
  }
  out.target = sigv4::canonical_uri(segments);

  // The Host header exactly as sent, since the server signs what it receives.
  std::string host(url.encoded_host());
  if (url.has_port() && !url.port().empty())
    host += ":" + std::string(url.port());

  const auto signed_request = sigv4::sign_request({s3.access_key, s3.secret_key, s3.region}, method,
                                                  host, out.target, "", payload_hash, now);
  out.headers = {{"Host", host},
                 {"x-amz-date", signed_request.amz_date},
                 {"x-amz-content-sha256", signed_request.content_sha256},
                 {"Authorization", signed_request.authorization}};
  return out;
}

}  // namespace

S3ObjectRequest make_get_object_request(const S3EndpointSettings& s3, const S3Location& loc,
                                        std::chrono::system_clock::time_point now) {
  return make_object_request("GET", s3, loc, sigv4::kEmptyPayloadSha256, now);
}

S3ObjectRequest make_put_object_request(const S3EndpointSettings& s3, const S3Location& loc,
                                        std::string_view body,
                                        std::chrono::system_clock::time_point now) {
  return make_object_request("PUT", s3, loc, sigv4::sha256_hex(body), now);
}

std::string describe_s3_error(int status, std::string_view reason, std::string_view body,
                              const S3Location& loc) {
  const std::string code = as_clause(decode_xml_entities(xml_element(body, "Code")));
  const std::string message = as_clause(decode_xml_entities(xml_element(body, "Message")));
  if (code == "NoSuchKey")
    return "The object " + s3_url_of(loc) + " does not exist (NoSuchKey).";
  if (code == "NoSuchBucket")
    return "The bucket " + loc.bucket + " does not exist (NoSuchBucket).";
  if (code == "AccessDenied")
    return "Access to " + s3_url_of(loc) + " was denied (AccessDenied).";

  std::string out = "S3 answered " + std::to_string(status);
  if (!code.empty()) {
    out += " " + code;
    if (!message.empty())
      out += ": " + message;
  } else if (auto why = as_clause(std::string(reason)); !why.empty()) {
    out += " " + why;
  }
  return out + ".";
}

void fetch_s3_object(const S3EndpointSettings& s3, const S3Location& loc,
                     const std::string& spool_path) {
  try {
    download(s3, loc, spool_path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(spool_path, ignored);
    throw;
  }
}

namespace {

constexpr std::string_view kUploadUnanswered = "before answering the upload";

// Sends a prepared PutObject and reads S3's answer; throws the failure sentence.
template <class Request>
void send_put(const S3EndpointSettings& s3, const S3Location& loc, const S3ObjectRequest& prepared,
              Request& request) {
  constexpr std::string_view kUnanswered = kUploadUnanswered;
  const std::chrono::milliseconds timeout(s3.timeout_ms);
  Connection conn(timeout);
  send(conn, prepared.connect_host, prepared.connect_port, request, s3.endpoint, timeout,
       kUnanswered);

  BodyParser parser;
  parser.body_limit(boost::none);
  if (auto ec = conn.read_header(parser))
    throw std::runtime_error(endpoint_failure(s3.endpoint, ec, timeout, kUnanswered));
  const auto& head = parser.get();
  if (head.result_int() / 100 != 2) {
    const std::string error_body = read_error_body(conn, parser);
    throw S3ErrorResponse(
        head.result_int(),
        describe_s3_error(head.result_int(), std::string(head.reason()), error_body, loc));
  }
}

// Bytes read from the file per hashing step.
constexpr std::size_t kHashChunkBytes = 64 * 1024;

std::string sha256_hex_of_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!in)
    throw std::runtime_error("The file " + path + " could not be opened: " + std::strerror(errno) +
                             ".");
  sigv4::Sha256 hash;
  std::string chunk(kHashChunkBytes, '\0');
  while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), in.get()))
    hash.update(std::string_view(chunk.data(), n));
  if (std::ferror(in.get()))
    throw std::runtime_error("The file " + path + " could not be read.");
  return hash.hex();
}

}  // namespace

void put_s3_object(const S3EndpointSettings& s3, const S3Location& loc, std::string_view body) {
  const auto prepared = make_put_object_request(s3, loc, body, std::chrono::system_clock::now());
  auto request = beast_request<http::string_body>(http::verb::put, prepared);
  request.body() = std::string(body);
  request.prepare_payload();  // Content-Length
  send_put(s3, loc, prepared, request);
}

void put_s3_object_file(const S3EndpointSettings& s3, const S3Location& loc,
                        const std::string& path) {
  const auto prepared = make_object_request("PUT", s3, loc, sha256_hex_of_file(path),
                                            std::chrono::system_clock::now());
  auto request = beast_request<http::file_body>(http::verb::put, prepared);
  beast::error_code ec;
  request.body().open(path.c_str(), beast::file_mode::scan, ec);
  if (ec)
    throw std::runtime_error("The file " + path + " could not be opened: " + ec.message() + ".");
  request.prepare_payload();  // Content-Length from the file's size
  send_put(s3, loc, prepared, request);
}

bool http_get_ok(const std::string& host, int port, const std::string& target, int timeout_ms) {
  try {
    const std::chrono::milliseconds timeout(timeout_ms);
    const bool ipv6_literal = host.find(':') != std::string::npos;
    const std::string port_text = std::to_string(port);
    http::request<http::empty_body> request{http::verb::get, target, kHttpVersion11};
    request.set(http::field::host, (ipv6_literal ? "[" + host + "]" : host) + ":" + port_text);
    request.set(http::field::user_agent, kUserAgent);
    request.set(http::field::connection, "close");

    Connection conn(timeout);
    send(conn, host, port_text, request, host, timeout);
    BodyParser parser;
    parser.body_limit(kMaxHealthBodyBytes);
    if (conn.read_header(parser))
      return false;
    if (parser.get().result() != http::status::ok)
      return false;
    return !read_body(conn, parser, [](const char*, std::size_t) { return true; });
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace sesv2mock
