#include "server/sending/raw_headers.hpp"

#include <strings.h>

#include <algorithm>

namespace sesv2mock {

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The field name of a header line ("Name: value"), or "" for a line that starts none.
std::string_view field_name(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos)
    return {};
  std::string_view name = line.substr(0, colon);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
    name.remove_suffix(1);
  return name;
}

}  // namespace

std::string drop_header_fields(std::string_view raw,
                               std::initializer_list<std::string_view> names) {
  std::string out;
  out.reserve(raw.size());
  std::size_t pos = 0;
  bool dropping = false;
  while (pos < raw.size()) {
    std::size_t end = raw.find('\n', pos);
    std::size_t next = end == std::string_view::npos ? raw.size() : end + 1;
    std::string_view line = raw.substr(pos, next - pos);
    std::string_view content = line;
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r'))
      content.remove_suffix(1);
    if (content.empty()) {  // end of the header section: the rest is the body
      out.append(raw.substr(pos));
      return out;
    }
    const bool continuation = content.front() == ' ' || content.front() == '\t';
    if (!continuation) {
      std::string_view name = field_name(content);
      dropping = std::any_of(names.begin(), names.end(),
                             [&](std::string_view n) { return same_name(n, name); });
    }
    if (!dropping)
      out.append(line);
    pos = next;
  }
  return out;
}

}  // namespace sesv2mock
