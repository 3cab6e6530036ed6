#include "server/imports/import_target.hpp"

namespace sesv2mock {

std::int64_t ImportTarget::count_records(const ImportJob& job, const std::string& path) {
  auto reader = make_record_reader(job.source.data_format, path,
                                   job.destination.type == DestinationType::ContactList);
  RecordItem item;
  std::int64_t n = 0;
  bool first = true;
  while (reader->next(item)) {
    if (!(first && is_header(item)))
      ++n;
    first = false;
  }
  return n;
}

void ImportTarget::check_record_limit(std::int64_t records) {
  if (records > record_limit())
    throw JobFailure(limit_message());
}

}  // namespace sesv2mock
