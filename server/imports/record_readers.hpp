#pragma once
// Readers that turn an import file into records, one at a time, without holding the file.
// They know the syntax (CSV, JSON lines or concatenated JSON objects); what the fields
// mean for a destination is the interpreters' business (record_interpreters.hpp).
#include <boost/json/object.hpp>
#include <boost/json/stream_parser.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "server/imports/line_source.hpp"

namespace sesv2mock {

struct RecordItem {
  std::int64_t line = 0;            // 1-based line where the record starts
  std::string raw;                  // the record's text as read, for the failed-records file
  std::string error;                // non-empty: the record is malformed
  std::vector<std::string> fields;  // CSV
  boost::json::object object;       // JSON
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Next record (blank lines skipped). False at end of input.
  virtual bool next(RecordItem& item) = 0;
  // True when nothing is half-read, i.e. offset()/line() are a valid resume point.
  virtual bool at_boundary() const = 0;
  virtual std::int64_t offset() const = 0;
  virtual std::int64_t line() const = 0;
  virtual void seek(std::int64_t offset, std::int64_t line) = 0;
};

class CsvRecordReader : public RecordReader {
 public:
  // `json_fields`: accept unquoted JSON objects as fields (contact attributesData).
  CsvRecordReader(const std::string& path, bool json_fields);
  bool next(RecordItem& item) override;
  bool at_boundary() const override { return true; }
  std::int64_t offset() const override { return source_.offset(); }
  std::int64_t line() const override { return source_.line_number(); }
  void seek(std::int64_t offset, std::int64_t line) override { source_.seek(offset, line); }

 private:
  LineSource source_;
  bool json_fields_;
  std::string line_;
};

class JsonRecordReader : public RecordReader {
 public:
  // `multiline`: objects may span lines (pretty-printed, as contact files allow); otherwise
  // every line is one record and a broken line never swallows the next.
  JsonRecordReader(const std::string& path, bool multiline);
  bool next(RecordItem& item) override;
  bool at_boundary() const override { return pending_.empty() && !in_object_; }
  std::int64_t offset() const override { return source_.offset(); }
  std::int64_t line() const override { return source_.line_number(); }
  void seek(std::int64_t offset, std::int64_t line) override;

 private:
  LineSource source_;
  boost::json::stream_parser parser_;
  std::string pending_;  // unread rest of the current line
  bool in_object_ = false;
  bool multiline_;
  std::string line_;
};

// `contact_format`: the contact-list dialects (JSON objects inside CSV cells, JSON objects
// spanning lines).
std::unique_ptr<RecordReader> make_record_reader(DataFormat format, const std::string& path,
                                                 bool contact_format);

}  // namespace sesv2mock
