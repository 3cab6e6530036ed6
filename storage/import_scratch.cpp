#include "storage/import_scratch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "server/core/percent_encoding.hpp"
#include "storage/meta_store.hpp"

namespace sesv2mock::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kScratchInfix = "import-";
constexpr const char* kScratchSuffix = ".runs";
// Read buffers of all runs of one merge together, and the bounds of one run's buffer.
constexpr std::size_t kMergeBufferBytes = 8 * 1024 * 1024;
constexpr std::size_t kMinRunBuffer = 512;
constexpr std::size_t kMaxRunBuffer = 64 * 1024;
// A run starts with its length in bytes (after these 8) and a record is
// u32 address length, address, u8 flags, f64 updated_at, [u32 length, attributes],
// u32 length, preferences JSON (host byte order: the file never leaves this process's host).
constexpr std::uint8_t kUnsubscribeAll = 1;
constexpr std::uint8_t kHasAttributes = 2;

// A scratch file that cannot be written (a full disk) pauses the job like a database that
// refuses a write; it resumes from its last checkpoint.
StorageError io_error(const std::string& what, const std::string& path) {
  return StorageError(what + " " + path + ": " + std::strerror(errno));
}

// Job ids name files: anything but [A-Za-z0-9._-] is written as %XX.
std::string file_safe(const std::string& id) {
  return percent_encode(id, "._-");
}

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_text(std::string& out, const std::string& s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

}  // namespace

std::string import_scratch_path(const Database& db, const std::string& job_id) {
  return db.scratch_prefix() + kScratchInfix + file_safe(job_id) + kScratchSuffix;
}

std::optional<std::int64_t> committed_scratch_length(Database& db, const std::string& job_id) {
  auto value = MetaStore(db).get(kScratchLengthKeyPrefix + job_id);
  if (!value)
    return std::nullopt;
  return std::stoll(*value);
}

void save_scratch_length(WriteTransaction& tx, const std::string& job_id, std::int64_t length) {
  auto q = tx.query(
      "INSERT INTO meta (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  q->bind(1, kScratchLengthKeyPrefix + job_id).bind(2, std::to_string(length));
  q->run();
}

void sweep_import_scratch(Database& db) {
  // The files first, then the jobs: a file made after the listing is not looked at, and one
  // listed belongs to a job that existed before the jobs are read.
  const fs::path prefix(db.scratch_prefix() + kScratchInfix);
  const std::string stem = prefix.filename().string();
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(prefix.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > stem.size() && name.compare(0, stem.size(), stem) == 0 &&
        name.ends_with(kScratchSuffix)) {
      found.push_back(entry.path().string());
    }
  }
  if (found.empty())
    return;
  std::set<std::string> live;
  {
    ReadConnection r(db);
    auto q = r.query("SELECT job_id FROM import_jobs WHERE status IN ('CREATED', 'PROCESSING')");
    while (q->step())
      live.insert(import_scratch_path(db, q->column_text(0)));
  }
  for (const auto& path : found) {
    if (!live.count(path))
      fs::remove(path, ec);
  }
}

// ---------------------------------------------------------------- writing

ScratchWriter::ScratchWriter(const Database& db, const std::string& job_id)
    : path_(import_scratch_path(db, job_id)) {}

ScratchWriter::~ScratchWriter() {
  if (file_)
    std::fclose(file_);
}

void ScratchWriter::open(const char* mode) {
  file_ = std::fopen(path_.c_str(), mode);
  if (!file_)
    throw io_error("cannot open the scratch file", path_);
}

bool ScratchWriter::resume(std::int64_t committed) {
  std::error_code ec;
  const auto size = fs::file_size(path_, ec);
  if (ec || static_cast<std::int64_t>(size) < committed)
    return false;
  if (::truncate(path_.c_str(), committed) != 0)
    throw io_error("cannot cut back the scratch file", path_);
  open("ab");
  length_ = committed;
  return true;
}

std::int64_t ScratchWriter::append_run(const std::vector<StagedContact>& records) {
  if (!file_)
    open("wb");  // a first run: anything left by an earlier start goes
  buffer_.assign(sizeof(std::uint64_t), '\0');
  for (const auto& r : records) {
    put_text(buffer_, r.email);
    put(buffer_, static_cast<std::uint8_t>((r.unsubscribe_all ? kUnsubscribeAll : 0) |
                                           (r.attributes_data ? kHasAttributes : 0)));
    put(buffer_, r.updated_at);
    if (r.attributes_data)
      put_text(buffer_, *r.attributes_data);
    put_text(buffer_, r.preferences_json);
  }
  const std::uint64_t body = buffer_.size() - sizeof(std::uint64_t);
  std::memcpy(buffer_.data(), &body, sizeof body);
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size() ||
      std::fflush(file_) != 0) {
    throw io_error("cannot write the scratch file", path_);
  }
  length_ += static_cast<std::int64_t>(buffer_.size());
  return length_;
}

void ScratchWriter::remove() {
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
  }
  std::error_code ec;
  fs::remove(path_, ec);
}

// ---------------------------------------------------------------- merging

// One run of the file, read through a buffer of its own.
struct ScratchMerge::Run {
  std::size_t index = 0;  // file order: of two records for one address the later run wins
  std::int64_t next = 0;  // file offset of the unbuffered rest
  std::int64_t end = 0;
  std::string buffer;
  std::size_t pos = 0;
  std::size_t len = 0;
  StagedContact current;

  void read(std::FILE* file, char* out, std::size_t n) {
    while (n > 0) {
      if (pos == len) {
        const auto want = static_cast<std::size_t>(
            std::min<std::int64_t>(static_cast<std::int64_t>(buffer.size()), end - next));
        if (want == 0)
          throw std::runtime_error("the scratch file ends inside a record");
        const ssize_t got = ::pread(fileno(file), buffer.data(), want, next);
        if (got <= 0)
          throw std::runtime_error("cannot read the scratch file");
        next += got;
        pos = 0;
        len = static_cast<std::size_t>(got);
      }
      const std::size_t take = std::min(n, len - pos);
      std::memcpy(out, buffer.data() + pos, take);
      pos += take;
      out += take;
      n -= take;
    }
  }
  template <typename T>
  T get(std::FILE* file) {
    T value;
    read(file, reinterpret_cast<char*>(&value), sizeof value);
    return value;
  }
  void get_text(std::FILE* file, std::string& s) {
    s.resize(get<std::uint32_t>(file));
    read(file, s.data(), s.size());
  }
  // Reads the next record into `current`; false at the end of the run.
  bool advance(std::FILE* file) {
    if (pos == len && next == end)
      return false;
    get_text(file, current.email);
    const auto flags = get<std::uint8_t>(file);
    current.unsubscribe_all = (flags & kUnsubscribeAll) != 0;
    current.updated_at = get<double>(file);
    if (flags & kHasAttributes) {
      if (!current.attributes_data)
        current.attributes_data.emplace();
      get_text(file, *current.attributes_data);
    } else {
      current.attributes_data.reset();
    }
    get_text(file, current.preferences_json);
    return true;
  }
};

ScratchMerge::ScratchMerge(Database& db, std::string job_id)
    : db_(db), job_id_(std::move(job_id)) {}

ScratchMerge::~ScratchMerge() {
  if (file_)
    std::fclose(file_);
}

void ScratchMerge::open() {
  const std::string path = import_scratch_path(db_, job_id_);
  after_email_ = MetaStore(db_).get(kMergeProgressKeyPrefix + job_id_).value_or("");
  const std::int64_t length = committed_scratch_length(db_, job_id_).value_or(0);
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_)
    throw io_error("cannot open the scratch file", path);
  // The run headers, then a buffer per run from one budget.
  for (std::int64_t at = 0; at < length;) {
    std::uint64_t body = 0;
    if (::pread(fileno(file_), &body, sizeof body, at) != static_cast<ssize_t>(sizeof body))
      throw std::runtime_error("the scratch file " + path + " is shorter than its runs");
    Run& run = runs_.emplace_back();
    run.index = runs_.size() - 1;
    run.next = at + static_cast<std::int64_t>(sizeof body);
    run.end = run.next + static_cast<std::int64_t>(body);
    at = run.end;
  }
  const std::size_t each = std::clamp(kMergeBufferBytes / std::max<std::size_t>(1, runs_.size()),
                                      kMinRunBuffer, kMaxRunBuffer);
  for (auto& run : runs_) {
    run.buffer.resize(each);
    bool more = run.advance(file_);
    while (more && !after_email_.empty() && run.current.email <= after_email_)
      more = run.advance(file_);  // merged by an earlier run of the job
    if (more)
      heap_.push_back(run.index);
  }
  std::make_heap(heap_.begin(), heap_.end(), [this](auto a, auto b) { return later(a, b); });
}

bool ScratchMerge::later(std::size_t a, std::size_t b) const {
  // A min-heap on (address, run): std::*_heap keep the greatest on top, so compare reversed.
  const auto& x = runs_[a].current.email;
  const auto& y = runs_[b].current.email;
  return x != y ? x > y : a > b;
}

bool ScratchMerge::next(std::size_t limit, std::vector<StagedContact>& piece) {
  if (!file_)
    open();
  auto later = [this](std::size_t a, std::size_t b) { return this->later(a, b); };
  piece.clear();
  while (!heap_.empty()) {
    Run& run = runs_[heap_.front()];
    const bool same = !piece.empty() && piece.back().email == run.current.email;
    if (!same && piece.size() >= limit)
      break;  // a piece never splits an address: the progress is an address
    std::pop_heap(heap_.begin(), heap_.end(), later);
    if (same) {
      std::swap(piece.back(), run.current);
    } else {
      piece.push_back(std::move(run.current));
      run.current = {};
    }
    if (run.advance(file_)) {
      std::push_heap(heap_.begin(), heap_.end(), later);
    } else {
      heap_.pop_back();
    }
  }
  return !piece.empty();
}

void ScratchMerge::save_progress(WriteTransaction& tx, const std::string& job_id,
                                 const std::vector<StagedContact>& piece) {
  if (piece.empty())
    return;
  auto q = tx.query(
      "INSERT INTO meta (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  q->bind(1, kMergeProgressKeyPrefix + job_id).bind(2, piece.back().email);
  q->run();
}

}  // namespace sesv2mock::storage
