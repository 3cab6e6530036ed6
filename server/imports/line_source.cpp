#include "server/imports/line_source.hpp"

#include <cstring>
#include <stdexcept>

namespace sesv2mock {

LineSource::LineSource(const std::string& path) : buffer_(kBufferBytes, '\0') {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_)
    throw std::runtime_error(std::strerror(errno));
}

LineSource::~LineSource() {
  if (file_)
    std::fclose(file_);
}

void LineSource::seek(std::int64_t offset, std::int64_t line_number) {
  if (std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0) {
    throw std::runtime_error(std::strerror(errno));
  }
  pos_ = end_ = 0;
  eof_ = false;
  offset_ = offset;
  line_number_ = line_number;
}

bool LineSource::fill() {
  if (eof_)
    return false;
  if (pos_ > 0 && pos_ < end_) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
  }
  end_ -= pos_;
  pos_ = 0;
  std::size_t n = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

bool LineSource::next(std::string& line) {
  line.clear();
  too_long_ = false;
  bool got_any = false;
  const std::int64_t line_start = offset_;
  std::size_t total = 0;
  for (;;) {
    if (pos_ == end_ && !fill())
      break;
    const char* start = buffer_.data() + pos_;
    const void* nl = std::memchr(start, '\n', end_ - pos_);
    std::size_t take = nl ? static_cast<const char*>(nl) - start : end_ - pos_;
    if (line.size() < kMaxLineBytes) {
      line.append(start, std::min(take, kMaxLineBytes - line.size()));
    }
    total += take;
    got_any = true;
    offset_ += static_cast<std::int64_t>(take);
    pos_ += take;
    if (nl) {
      ++pos_;
      ++offset_;
      break;
    }
  }
  if (!got_any)
    return false;
  ++line_number_;
  too_long_ = total > kMaxLineBytes;
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  if (line_start == 0 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
    line.erase(0, 3);
  return true;
}

}  // namespace sesv2mock
