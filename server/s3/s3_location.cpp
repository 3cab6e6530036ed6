#include "server/s3/s3_location.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace sesv2mock {

namespace fs = std::filesystem;

std::optional<S3Location> parse_s3_url(std::string_view url) {
  constexpr std::string_view kScheme = "s3://";
  if (url.substr(0, kScheme.size()) != kScheme)
    return std::nullopt;
  url.remove_prefix(kScheme.size());
  auto slash = url.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= url.size()) {
    return std::nullopt;
  }
  return S3Location{std::string(url.substr(0, slash)), std::string(url.substr(slash + 1))};
}

std::string display_url(const S3Location& loc) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "s3://";
  for (char c : loc.bucket + "/" + loc.key) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

fs::path local_object_path(const std::string& root, const S3Location& loc) {
  fs::path relative = fs::path(loc.bucket) / fs::path(loc.key);
  bool bad = loc.bucket == "." || loc.bucket == ".." || relative.has_root_path() ||
             loc.key.find('\0') != std::string::npos || loc.bucket.find('\0') != std::string::npos;
  for (const auto& part : relative)
    bad = bad || part == "..";
  if (bad)
    throw S3PathOutside("The object " + display_url(loc) + " is outside the s3 directory.");
  return fs::path(root) / relative;
}

std::string resolve_local_object(const std::string& root, const S3Location& loc) {
  const std::string url = display_url(loc);
  auto denied = [&] { return std::runtime_error("Access denied to the object " + url + "."); };
  // A NUL cannot be in a file name: no such object can exist here.
  if ((loc.bucket + loc.key).find('\0') != std::string::npos) {
    throw std::runtime_error("The object " + url + " does not exist.");
  }
  // Reject traversal by its parts first, whatever the file system holds.
  local_object_path(root, loc);
  const fs::path relative = fs::path(loc.bucket) / fs::path(loc.key);
  std::error_code ec;
  fs::path base = fs::weakly_canonical(fs::absolute(root), ec);
  if (ec)
    throw std::runtime_error("The s3 directory " + root + " cannot be read.");
  fs::path candidate = base / relative;
  // status() fails with EACCES when a folder on the way may not be searched: that is
  // access denied, not a missing object.
  const auto st = fs::status(candidate, ec);
  if (ec == std::errc::permission_denied)
    throw denied();
  if (!fs::exists(st))
    throw std::runtime_error("The object " + url + " does not exist.");
  // Links may point anywhere: compare the real path with the real root.
  fs::path real = fs::canonical(candidate, ec);
  if (ec == std::errc::permission_denied)
    throw denied();
  if (ec)
    throw std::runtime_error("The object " + url + " cannot be read.");
  auto [root_end, _] = std::mismatch(base.begin(), base.end(), real.begin(), real.end());
  if (root_end != base.end()) {
    throw S3PathOutside("The object " + url + " is outside the s3 directory.");
  }
  if (!fs::is_regular_file(real, ec)) {
    throw std::runtime_error("The object " + url + " is not a file.");
  }
  if (::access(real.c_str(), R_OK) != 0 && errno == EACCES)
    throw denied();
  return real.string();
}

}  // namespace sesv2mock

namespace sesv2mock {

namespace {

constexpr std::string_view kTempSuffix = ".fixture-tmp";
constexpr mode_t kFolderMode = 0755;
constexpr mode_t kFileMode = 0644;

// An open descriptor, closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

[[noreturn]] void outside(const S3Location& loc) {
  throw S3PathOutside("The object " + display_url(loc) + " is outside the s3 directory.");
}

[[noreturn]] void failed(const S3Location& loc, const char* what) {
  throw std::runtime_error("The object " + display_url(loc) + " cannot be " + what + ": " +
                           std::strerror(errno) + ".");
}

// True when `name` in `dir` is a symbolic link.
bool is_link_at(int dir, const std::string& name) {
  struct stat st {};
  return ::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

struct Parent {
  Fd dir;            // the folder holding the object (invalid when a folder is missing)
  std::string leaf;  // the object's own name
};

// Walks bucket/key's folders from `root` without following links; with `create`, makes
// missing folders. Returns an invalid dir when a folder is missing and !create.
Parent open_parent(const std::string& root, const S3Location& loc, bool create) {
  local_object_path(root, loc);  // refuses .., absolute parts and NULs first
  std::vector<std::string> parts{loc.bucket};
  for (const auto& part : fs::path(loc.key)) {
    if (!part.empty() && part != ".")
      parts.push_back(part.string());
  }
  Parent out;
  out.leaf = parts.back();
  parts.pop_back();
  Fd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) {
    throw std::runtime_error("The s3 directory " + root +
                             " cannot be opened: " + std::strerror(errno) + ".");
  }
  for (const auto& part : parts) {
    Fd next(::openat(dir.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (next.get() < 0 && errno == ENOENT && create) {
      if (::mkdirat(dir.get(), part.c_str(), kFolderMode) != 0 && errno != EEXIST) {
        failed(loc, "written");
      }
      next = Fd(::openat(dir.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    }
    if (next.get() < 0) {
      if (errno == ELOOP || is_link_at(dir.get(), part))
        outside(loc);
      if (errno == ENOENT)
        return out;
      failed(loc, create ? "written" : "read");
    }
    dir = std::move(next);
  }
  out.dir = std::move(dir);
  return out;
}

}  // namespace

void check_local_object_path(const std::string& root, const S3Location& loc) {
  Parent p = open_parent(root, loc, false);
  if (p.dir.get() >= 0 && is_link_at(p.dir.get(), p.leaf))
    outside(loc);
}

std::optional<std::string> read_local_object(const std::string& root, const S3Location& loc) {
  Parent p = open_parent(root, loc, false);
  if (p.dir.get() < 0)
    return std::nullopt;
  Fd file(::openat(p.dir.get(), p.leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (file.get() < 0) {
    if (errno == ENOENT)
      return std::nullopt;
    if (errno == ELOOP)
      outside(loc);
    failed(loc, "read");
  }
  std::string out;
  char buffer[64 * 1024];
  while (true) {
    const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
    if (n < 0)
      failed(loc, "read");
    if (n == 0)
      return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

void write_local_object(const std::string& root, const S3Location& loc, std::string_view body) {
  Parent p = open_parent(root, loc, true);
  if (is_link_at(p.dir.get(), p.leaf))
    outside(loc);
  const std::string tmp = p.leaf + std::string(kTempSuffix);
  ::unlinkat(p.dir.get(), tmp.c_str(), 0);
  Fd file(::openat(p.dir.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   kFileMode));
  if (file.get() < 0)
    failed(loc, "written");
  for (std::size_t done = 0; done < body.size();) {
    const ssize_t n = ::write(file.get(), body.data() + done, body.size() - done);
    if (n <= 0) {
      const int saved = errno;
      ::unlinkat(p.dir.get(), tmp.c_str(), 0);
      errno = saved;
      failed(loc, "written");
    }
    done += static_cast<std::size_t>(n);
  }
  file.reset();
  // rename() replaces a link itself, never its target, so this stays inside the folder.
  if (::renameat(p.dir.get(), tmp.c_str(), p.dir.get(), p.leaf.c_str()) != 0) {
    const int saved = errno;
    ::unlinkat(p.dir.get(), tmp.c_str(), 0);
    errno = saved;
    failed(loc, "written");
  }
}

bool matches_s3_url_pattern(std::string_view url) {
  constexpr std::string_view kScheme = "s3://";
  if (url.substr(0, kScheme.size()) != kScheme)
    return false;
  url.remove_prefix(kScheme.size());
  const auto slash = url.find('/');
  if (slash == std::string_view::npos || slash == 0)
    return false;  // ([^\/]+)\/
  std::string_view key = url.substr(slash + 1);
  if (!key.empty() && key.back() == '/')
    key.remove_suffix(1);  // \/?$
  // (.*?([^\/]+)): the key ends in at least one character that is not '/'.
  return !key.empty() && key.back() != '/';
}

void install_local_object(const std::string& root, const S3Location& loc,
                          const std::string& source) {
  Parent p = open_parent(root, loc, true);
  if (is_link_at(p.dir.get(), p.leaf))
    outside(loc);
  // rename() replaces a link itself, never its target, so this stays inside the folder.
  if (::renameat(AT_FDCWD, source.c_str(), p.dir.get(), p.leaf.c_str()) != 0)
    failed(loc, "written");
}

void remove_local_object(const std::string& root, const S3Location& loc) {
  Parent p = open_parent(root, loc, false);
  if (p.dir.get() >= 0)
    ::unlinkat(p.dir.get(), p.leaf.c_str(), 0);
}

}  // namespace sesv2mock
