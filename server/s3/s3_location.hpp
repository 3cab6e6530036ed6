#pragma once
// s3://bucket/key URLs, and where such an object lives in the local s3 directory.
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sesv2mock {

struct S3Location {
  std::string bucket;
  std::string key;
};

// Accepts s3://<bucket>/<key> with a non-empty bucket (no '/') and a non-empty key.
std::optional<S3Location> parse_s3_url(std::string_view url);

// True when `url` matches the model's S3Url pattern ^s3:\/\/([^\/]+)\/(.*?([^\/]+)\/?)$:
// a bucket, then a key whose last segment (before at most one trailing '/') is not empty.
bool matches_s3_url_pattern(std::string_view url);

// Raised when an object's path would leave the s3 directory: `..`, absolute parts, or a
// symbolic link met on the way (a linked bucket, folder or file).
class S3PathOutside : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "s3://bucket/key" for messages, control characters (a NUL, say) written as \u00XX so the
// whole URL survives logs, C strings and JSON.
std::string display_url(const S3Location& loc);

// Where `loc` lives under `root`, checked by its parts only (no `..`, no absolute parts);
// throws std::runtime_error otherwise. Used to write objects (fixtures).
std::filesystem::path local_object_path(const std::string& root, const S3Location& loc);

// The file for `loc` under `root`. Throws std::runtime_error with a one-sentence reason
// when the key would leave the directory (.., absolute parts, links pointing out), the
// object does not exist, or it may not be read ("Access denied to the object ..."). Never
// returns a path outside `root`.
std::string resolve_local_object(const std::string& root, const S3Location& loc);

// Safe access to objects under `root` for writers (fixtures): every folder on the way is
// opened relative to its parent with O_NOFOLLOW, so no link, wherever it points, is
// followed. All throw S3PathOutside when a link is met, std::runtime_error otherwise.
//
// Checks the folders and the file that exist today (nothing is created).
void check_local_object_path(const std::string& root, const S3Location& loc);
// The object's bytes, or nullopt when it does not exist.
std::optional<std::string> read_local_object(const std::string& root, const S3Location& loc);
// Creates the missing folders and replaces the object atomically (temporary file + rename in
// the same folder).
void write_local_object(const std::string& root, const S3Location& loc, std::string_view body);
// Moves the finished file `source` (on the same file system, e.g. under root/.spool) into
// place as the object, replacing it atomically; folders are created as for writes.
void install_local_object(const std::string& root, const S3Location& loc,
                          const std::string& source);
// Removes the object if it exists.
void remove_local_object(const std::string& root, const S3Location& loc);

// Fetches an object from an S3-compatible endpoint into `spool_path`; throws
// std::runtime_error with a one-sentence reason. Provided by the HTTP layer.
using S3Fetcher = std::function<void(const S3Location& loc, const std::string& spool_path)>;

// Stores `body` as the object `loc` on an S3-compatible endpoint (PutObject), creating nothing
// else; throws std::runtime_error with a one-sentence reason (S3ErrorResponse when S3 answered
// with an error). Provided by the HTTP layer.
using S3Uploader = std::function<void(const S3Location& loc, const std::string& body)>;
// Stores the file at `path` as the object `loc` (streamed; export files can be large).
using S3FileUploader = std::function<void(const S3Location& loc, const std::string& path)>;

// A failure where S3 did answer, with an error status (e.g. 404 NoSuchBucket), as opposed to
// an endpoint that could not be reached or did not answer in time.
class S3ErrorResponse : public std::runtime_error {
 public:
  S3ErrorResponse(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

}  // namespace sesv2mock
