#include "server/s3/s3_location.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace sesv2mock {

namespace fs = std::filesystem;

std::optional<S3Location> parse_s3_url(std::string_view url) {
  constexpr std::string_view kScheme = "s3://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  url.remove_prefix(kScheme.size());
  auto slash = url.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= url.size()) {
    return std::nullopt;
  }
  return S3Location{std::string(url.substr(0, slash)), std::string(url.substr(slash + 1))};
}

fs::path local_object_path(const std::string& root, const S3Location& loc) {
  fs::path relative = fs::path(loc.bucket) / fs::path(loc.key);
  bool bad = loc.bucket == "." || loc.bucket == ".." || relative.has_root_path() ||
             loc.key.find('\0') != std::string::npos;
  for (const auto& part : relative) bad = bad || part == "..";
  if (bad) {
    throw std::runtime_error("The object s3://" + loc.bucket + "/" + loc.key +
                             " is outside the s3 directory.");
  }
  return fs::path(root) / relative;
}

std::string resolve_local_object(const std::string& root, const S3Location& loc) {
  const std::string url = "s3://" + loc.bucket + "/" + loc.key;
  auto outside = [&] {
    return std::runtime_error("The object " + url + " is outside the s3 directory.");
  };
  // Reject traversal by its parts first, whatever the file system holds.
  local_object_path(root, loc);
  const fs::path relative = fs::path(loc.bucket) / fs::path(loc.key);
  std::error_code ec;
  fs::path base = fs::weakly_canonical(fs::absolute(root), ec);
  if (ec) throw std::runtime_error("The s3 directory " + root + " cannot be read.");
  fs::path candidate = base / relative;
  if (!fs::exists(candidate, ec)) {
    throw std::runtime_error("The object " + url + " does not exist.");
  }
  // Links may point anywhere: compare the real path with the real root.
  fs::path real = fs::canonical(candidate, ec);
  if (ec) throw std::runtime_error("The object " + url + " cannot be read.");
  auto [root_end, _] = std::mismatch(base.begin(), base.end(), real.begin(), real.end());
  if (root_end != base.end()) throw outside();
  if (!fs::is_regular_file(real, ec)) {
    throw std::runtime_error("The object " + url + " is not a file.");
  }
  return real.string();
}

}  // namespace sesv2mock
