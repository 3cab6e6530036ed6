#pragma once
// A minimal HTTP client for the outbound requests the server makes: SigV4-signed, path-style
// S3 GetObject (imports from an S3-compatible endpoint) and PutObject (fixture S3Objects), and
// a plain GET used by `sesv2-mock --healthcheck`.
//
// Threading: every call builds its own io_context and socket and runs them to completion in
// the calling thread (the import worker's, or the fixture loader's), so calls share nothing and may
// run concurrently. Beast and Asio stay inside s3_client.cpp.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth/sigv4.hpp"
#include "server/core/settings.hpp"
#include "server/s3/s3_location.hpp"

namespace sesv2mock {

// Downloads the object with a SigV4-signed, path-style GetObject (GET /bucket/key), streaming the
// body to `spool_path` (never the whole body in memory). Throws std::runtime_error with ONE clear
// sentence on any failure, naming the S3 error code, e.g.
// "The object s3://b/k does not exist (NoSuchKey)." / "The bucket b does not exist (NoSuchBucket)."
// / "Access to s3://b/k was denied (AccessDenied)." / "The S3 endpoint http://127.0.0.1:1 refused
// the connection." / "The S3 endpoint ... did not answer within 30000 ms." / other codes:
// "S3 answered <status> <Code>: <Message>." A partly written spool file is removed.
void fetch_s3_object(const S3EndpointSettings& s3, const S3Location& loc,
                     const std::string& spool_path);

// Stores `body` as the object with a SigV4-signed, path-style PutObject (PUT /bucket/key,
// x-amz-content-sha256 = hex SHA-256 of the body); creates no bucket. Throws on failure with
// ONE sentence worded as fetch_s3_object's: S3ErrorResponse (a std::runtime_error) when S3
// answered with an error, e.g. "The bucket b does not exist (NoSuchBucket).", and a plain
// std::runtime_error when the endpoint could not be reached or did not answer in time.
void put_s3_object(const S3EndpointSettings& s3, const S3Location& loc, std::string_view body);

// The same PutObject with the content of the file at `path`, streamed: the file is read once
// to hash it and once while it is sent, never held in memory. Throws as put_s3_object.
void put_s3_object_file(const S3EndpointSettings& s3, const S3Location& loc,
                        const std::string& path);

// GET http://host:port/target; true on a 200 answer within timeout (used by
// `sesv2-mock --healthcheck`). Never throws.
bool http_get_ok(const std::string& host, int port, const std::string& target, int timeout_ms);

// --- The socket-free parts, exposed for unit tests. ---

// Where and what to send for one GetObject or PutObject.
struct S3ObjectRequest {
  std::string connect_host;  // for the resolver: no brackets around IPv6 literals
  std::string connect_port;
  std::string target;  // request target: path prefix of the endpoint + /bucket/key, encoded
  std::vector<sigv4::Header> headers;  // Host, x-amz-date, x-amz-content-sha256, Authorization
};

// Throws std::runtime_error when the endpoint is not an http:// URL.
S3ObjectRequest make_get_object_request(const S3EndpointSettings& s3, const S3Location& loc,
                                        std::chrono::system_clock::time_point now);
// The same for a PutObject of `body` (the body itself is not included).
S3ObjectRequest make_put_object_request(const S3EndpointSettings& s3, const S3Location& loc,
                                        std::string_view body,
                                        std::chrono::system_clock::time_point now);

// The one-sentence failure for a non-200 answer, from its status and S3's XML error body.
std::string describe_s3_error(int status, std::string_view reason, std::string_view body,
                              const S3Location& loc);

}  // namespace sesv2mock
