#pragma once
// Everything the server can be told at start (flags and their SESV2_MOCK_* twins).
// Limits and defaults live here as named constants, never as bare numbers elsewhere.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sesv2mock {

enum class ProcessingMode { Immediate, Delayed, Manual };
std::string_view to_string(ProcessingMode m);
std::optional<ProcessingMode> parse_processing_mode(std::string_view s);

struct Limits {
  static constexpr std::int64_t kSuppressionPutRecords = 100'000;
  static constexpr std::int64_t kSuppressionDeleteRecords = 10'000;
  static constexpr std::int64_t kContactRecords = 1'000'000;
};

struct S3EndpointSettings {
  std::string endpoint;  // empty: read from s3_dir
  std::string access_key = "test";
  std::string secret_key = "test";
  std::string region = "us-east-1";
  int timeout_ms = 30'000;
};

struct Settings {
  static constexpr int kDefaultPort = 4579;

  std::string host = "127.0.0.1";
  int port = kDefaultPort;
  std::string db_path = "data/sesv2-mock.db";
  std::string s3_dir;  // default: "s3" beside the database
  int threads = 2;
  std::string log_level = "info";
  // SES takes messages up to 40 MB (DG quotas page); a Raw one travels base64-encoded in
  // JSON, about 4/3 of that (53.4 MB), so the default body limit leaves room for a message
  // just over SES's limit to reach the send path and get SES's error rather than a 413.
  static constexpr std::size_t kDefaultMaxBodyBytes = 64 * 1024 * 1024;
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  int read_timeout_ms = 30'000;
  int shutdown_grace_ms = 5'000;

  std::int64_t max_unfinished_import_jobs = 20;
  std::int64_t max_contact_lists = 1;
  int import_batch_size = 2'000;
  int import_rate = 0;  // records per second a job may process; 0 = as fast as possible
  int job_threads = 2;  // threads running import jobs, round-robin a batch at a time

  ProcessingMode processing_mode = ProcessingMode::Immediate;
  int processing_delay_ms = 1'000;

  S3EndpointSettings s3;
  std::vector<std::string> fixtures;

  // Strict SigV4 ("off" or "strict") and the keys it accepts, "KEY:SECRET[:ACCOUNT]".
  std::string auth_mode = "off";
  std::vector<std::string> credentials;
  std::string credentials_file;
  // Open connections at once; at the cap the oldest idle one is closed (0: no cap beyond
  // what the file-descriptor limit allows).
  int max_connections = 0;
  // --sandbox: the account has no production access (GetAccount.ProductionAccessEnabled
  // false, the sandbox quota) and sends need verified recipients too.
  bool sandbox = false;

  // The s3 directory actually used: s3_dir, or "s3" beside the database file.
  std::string effective_s3_dir() const;
};

}  // namespace sesv2mock
