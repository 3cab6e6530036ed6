#pragma once
// Reads a file line by line through a fixed buffer, so memory stays flat however large the
// file. Knows the byte offset and 1-based number of every line, which is what an import
// checkpoint records. Handles a UTF-8 BOM at the start and LF or CRLF line ends.
#include <cstdint>
#include <cstdio>
#include <string>

namespace sesv2mock {

class LineSource {
 public:
  static constexpr std::size_t kBufferBytes = 64 * 1024;
  static constexpr std::size_t kMaxLineBytes = 1024 * 1024;  // longer lines are cut and flagged

  // Throws std::runtime_error if the file cannot be opened.
  explicit LineSource(const std::string& path);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // Continues at a checkpoint: `offset` must be the start of line `line_number + 1`.
  void seek(std::int64_t offset, std::int64_t line_number);

  // Next line without its line end. False at end of file.
  bool next(std::string& line);

  std::int64_t line_number() const { return line_number_; }  // of the last line returned
  std::int64_t offset() const { return offset_; }            // just past the last line
  bool last_line_too_long() const { return too_long_; }

 private:
  bool fill();

  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::int64_t offset_ = 0;
  std::int64_t line_number_ = 0;
  bool too_long_ = false;
};

}  // namespace sesv2mock
