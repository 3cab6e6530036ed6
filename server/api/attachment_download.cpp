#include "server/api/attachment_download.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "server/core/percent_encoding.hpp"

namespace sesv2mock::api {

namespace {

constexpr std::array<std::string_view, 14> kInertTypes = {
    "text/plain",       "text/csv",
    "application/pdf",  "application/zip",
    "application/gzip", "application/json",
    "image/png",        "image/jpeg",
    "image/gif",        "image/webp",
    "audio/mpeg",       "audio/ogg",
    "video/mp4",        "application/octet-stream"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The last path segment (a name such as "../../etc/passwd" or "C:\x\y.txt" keeps its tail),
// without control characters, cut at a UTF-8 character boundary.
std::string base_name(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos)
    name.remove_prefix(slash + 1);
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f)
      continue;
    out.push_back(static_cast<char>(c));
  }
  if (out.size() > kMaxFileNameBytes) {
    std::size_t cut = kMaxFileNameBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut;  // not inside a multi-byte character
    out.resize(cut);
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' '))
    out.erase(0, 1);  // no hidden files, no ".."
  return out;
}

bool ascii_keeps(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == ' ' || c == '(' || c == ')' ||
         c == '+' || c == ',' || c == '@';
}

// RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else is %XX.
std::string percent_encoded(std::string_view s) {
  return percent_encode(s, "!#$&+-.^_`|~");
}

}  // namespace

std::string safe_attachment_content_type(std::string_view declared) {
  std::string type = lower(declared.substr(0, declared.find(';')));
  while (!type.empty() && type.back() == ' ')
    type.pop_back();
  for (auto inert : kInertTypes) {
    if (type == inert)
      return type == "text/plain" || type == "text/csv" ? type + "; charset=utf-8" : type;
  }
  return "application/octet-stream";
}

std::string attachment_disposition(std::string_view file_name, std::string_view fallback) {
  std::string name = base_name(file_name);
  if (name.empty())
    name = std::string(fallback);
  std::string ascii;
  for (unsigned char c : name)
    ascii.push_back(ascii_keeps(c) ? static_cast<char>(c) : '_');
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percent_encoded(name);
}

}  // namespace sesv2mock::api
