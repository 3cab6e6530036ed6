#include "server/imports/record_readers.hpp"

#include "server/core/email_address.hpp"
#include "server/imports/csv.hpp"

namespace sesv2mock {
namespace {

constexpr std::size_t kMaxRecordBytes = 1024 * 1024;
constexpr const char* kLineTooLong = "The record is longer than 1 MiB.";

}  // namespace

CsvRecordReader::CsvRecordReader(const std::string& path, bool json_fields)
    : source_(path), json_fields_(json_fields) {}

bool CsvRecordReader::next(RecordItem& item) {
  item.error.clear();
  item.object.clear();
  do {
    if (!source_.next(line_))
      return false;
  } while (trim(line_).empty());
  item.line = source_.line_number();
  item.raw = line_;
  if (source_.last_line_too_long()) {
    item.error = kLineTooLong;
    item.fields.clear();
    return true;
  }
  for (;;) {
    CsvSplit split = split_csv_record(item.raw, item.fields, json_fields_, item.error);
    if (split != CsvSplit::Incomplete)
      return true;
    // A quoted field (or JSON object) goes on past the line end.
    if (item.raw.size() > kMaxRecordBytes || !source_.next(line_)) {
      item.error =
          item.raw.size() > kMaxRecordBytes ? kLineTooLong : "A quoted field is not closed.";
      return true;
    }
    item.raw.push_back('\n');
    item.raw += line_;
  }
}

JsonRecordReader::JsonRecordReader(const std::string& path, bool multiline)
    : source_(path), multiline_(multiline) {}

void JsonRecordReader::seek(std::int64_t offset, std::int64_t line) {
  source_.seek(offset, line);
  pending_.clear();
  in_object_ = false;
  parser_.reset();
}

bool JsonRecordReader::next(RecordItem& item) {
  item.error.clear();
  item.fields.clear();
  item.object.clear();
  item.raw.clear();
  for (;;) {
    if (pending_.empty()) {
      if (!source_.next(line_)) {
        if (in_object_) {
          item.error = "The JSON object is not closed at the end of the file.";
          in_object_ = false;
          parser_.reset();
          return true;
        }
        return false;
      }
      if (source_.last_line_too_long()) {
        item.line = source_.line_number();
        item.raw = line_;
        item.error = kLineTooLong;
        in_object_ = false;
        parser_.reset();
        return true;
      }
      pending_ = line_;
      pending_.push_back('\n');
    }
    if (!in_object_) {
      if (trim(pending_).empty()) {
        pending_.clear();
        continue;
      }
      item.line = source_.line_number();
      in_object_ = true;
    }
    boost::system::error_code ec;
    std::size_t used = parser_.write_some(pending_.data(), pending_.size(), ec);
    if (ec) {
      item.raw += pending_;
      while (!item.raw.empty() && item.raw.back() == '\n')
        item.raw.pop_back();
      item.error = "The line is not valid JSON: " + ec.message() + ".";
      pending_.clear();
      in_object_ = false;
      parser_.reset();
      return true;
    }
    item.raw.append(pending_, 0, used);
    pending_.erase(0, used);
    if (!parser_.done()) {
      if (!multiline_ && pending_.empty()) {
        while (!item.raw.empty() && item.raw.back() == '\n')
          item.raw.pop_back();
        item.error = "The line is not a complete JSON object.";
        in_object_ = false;
        parser_.reset();
        return true;
      }
      if (item.raw.size() > kMaxRecordBytes) {
        item.error = kLineTooLong;
        pending_.clear();
        in_object_ = false;
        parser_.reset();
        return true;
      }
      continue;
    }
    boost::json::value value = parser_.release();
    parser_.reset();
    in_object_ = false;
    if (trim(pending_).empty())
      pending_.clear();
    while (!item.raw.empty() && (item.raw.back() == '\n' || item.raw.back() == ' ')) {
      item.raw.pop_back();
    }
    if (!value.is_object()) {
      item.error = "The record is not a JSON object.";
    } else {
      item.object = std::move(value.as_object());
    }
    return true;
  }
}

std::unique_ptr<RecordReader> make_record_reader(DataFormat format, const std::string& path,
                                                 bool contact_format) {
  if (format == DataFormat::Json)
    return std::make_unique<JsonRecordReader>(path, contact_format);
  return std::make_unique<CsvRecordReader>(path, contact_format);
}

}  // namespace sesv2mock
