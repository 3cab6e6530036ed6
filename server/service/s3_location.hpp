#pragma once
// s3://bucket/key URLs, and where such an object lives in the local s3 directory.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sesv2mock {

struct S3Location {
  std::string bucket;
  std::string key;
};

// Accepts s3://<bucket>/<key> with a non-empty bucket (no '/') and a non-empty key.
std::optional<S3Location> parse_s3_url(std::string_view url);

// Where `loc` lives under `root`, checked by its parts only (no `..`, no absolute parts);
// throws std::runtime_error otherwise. Used to write objects (fixtures).
std::filesystem::path local_object_path(const std::string& root, const S3Location& loc);

// The file for `loc` under `root`. Throws std::runtime_error with a one-sentence reason
// when the key would leave the directory (.., absolute parts, links pointing out) or the
// object does not exist. Never returns a path outside `root`.
std::string resolve_local_object(const std::string& root, const S3Location& loc);

// Fetches an object from an S3-compatible endpoint into `spool_path`; throws
// std::runtime_error with a one-sentence reason. Provided by the HTTP layer.
using S3Fetcher = std::function<void(const S3Location& loc, const std::string& spool_path)>;

}  // namespace sesv2mock
