#pragma once
// Splitting of one CSV record into fields: RFC 4180 quoting ("a,b" and "" for a quote),
// plus the form the SES guide shows for contact attributes, where an unquoted field holds
// a JSON object with bare quotes and commas: a@b.c,false,{"Name": "John"},OPT_IN
#include <string>
#include <string_view>
#include <vector>

namespace sesv2mock {

enum class CsvSplit {
  Ok,
  Incomplete,  // a quoted field or JSON object is still open at the end: append the next line
  Malformed,   // `error` says why
};

// `json_fields`: an unquoted field starting with '{' runs until its braces balance.
CsvSplit split_csv_record(std::string_view text, std::vector<std::string>& fields, bool json_fields,
                          std::string& error);

}  // namespace sesv2mock
