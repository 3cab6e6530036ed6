#include "server/imports/csv.hpp"

namespace sesv2mock {
namespace {

// Scans an unquoted JSON object starting at text[i] == '{'; returns the index just past
// its closing brace, or npos while it is still open.
std::size_t scan_json_object(std::string_view text, std::size_t i) {
  int depth = 0;
  bool in_string = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0)
        return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

CsvSplit split_csv_record(std::string_view text, std::vector<std::string>& fields, bool json_fields,
                          std::string& error) {
  fields.clear();
  std::size_t i = 0;
  for (;;) {
    std::string& field = fields.emplace_back();
    if (i < text.size() && text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size())
          return CsvSplit::Incomplete;
        char c = text[i++];
        if (c == '"') {
          if (i < text.size() && text[i] == '"') {
            field.push_back('"');
            ++i;
          } else {
            break;
          }
        } else {
          field.push_back(c);
        }
      }
      if (i < text.size() && text[i] != ',') {
        error = "Unexpected character after a closing quote in column " +
                std::to_string(fields.size()) + ".";
        return CsvSplit::Malformed;
      }
    } else if (json_fields && i < text.size() && text[i] == '{') {
      std::size_t end = scan_json_object(text, i);
      if (end == std::string_view::npos)
        return CsvSplit::Incomplete;
      field.assign(text.substr(i, end - i));
      i = end;
      if (i < text.size() && text[i] != ',') {
        error = "Unexpected character after a JSON object in column " +
                std::to_string(fields.size()) + ".";
        return CsvSplit::Malformed;
      }
    } else {
      std::size_t comma = text.find(',', i);
      std::size_t end = comma == std::string_view::npos ? text.size() : comma;
      std::string_view raw = text.substr(i, end - i);
      if (raw.find('"') != std::string_view::npos && !json_fields) {
        error = "Unexpected quote inside unquoted column " + std::to_string(fields.size()) + ".";
        return CsvSplit::Malformed;
      }
      field.assign(raw);
      i = end;
    }
    if (i >= text.size())
      return CsvSplit::Ok;
    ++i;  // the comma
  }
}

}  // namespace sesv2mock
