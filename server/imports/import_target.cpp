#include "server/imports/import_target.hpp"

#include <cstdio>
#include <cstring>

namespace sesv2mock {
namespace {

// Lines in the file: an upper bound on its records, cheap to get.
std::int64_t count_lines(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    return 0;
  std::int64_t lines = 0;
  char buffer[64 * 1024];
  std::size_t n;
  bool last_was_newline = true;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    for (const char* p = buffer;
         (p = static_cast<const char*>(std::memchr(p, '\n', buffer + n - p))); ++p) {
      ++lines;
    }
    last_was_newline = buffer[n - 1] == '\n';
  }
  std::fclose(f);
  return lines + (last_was_newline ? 0 : 1);
}

}  // namespace

void ImportTarget::check_record_limit(const ImportJob& job, const std::string& path) {
  const std::int64_t limit = record_limit();
  // Lines bound the records from above, so the exact count, a second read of the file, is
  // only needed near the limit.
  if (count_lines(path) - required_header_lines() <= limit)
    return;
  auto reader = make_record_reader(job.source.data_format, path,
                                   job.destination.type == DestinationType::ContactList);
  RecordItem item;
  std::int64_t n = 0;
  bool first = true;
  while (n <= limit && reader->next(item)) {
    if (!(first && is_header(item)))
      ++n;
    first = false;
  }
  if (n > limit)
    throw JobFailure(limit_message());
}

}  // namespace sesv2mock
