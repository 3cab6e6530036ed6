#pragma once
// Reading request members with AWS-style errors that name the field: a wrong type or a
// missing required member becomes a BadRequestException saying "Value at 'a.b' ...".
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sesv2mock {

// Parses a request body: empty means {}. Malformed JSON or a non-object is a
// BadRequestException.
boost::json::object parse_json_body(std::string_view body);

class JsonFields {
 public:
  // `prefix` is the path of this object in the request ("" at the top). Paths use AWS's
  // lower camel case ("importDataSource.dataFormat") unless `exact_names` keeps the
  // members' own names (fixture files, whose errors point into the file).
  JsonFields(const boost::json::object& object, std::string prefix = "", bool exact_names = false);

  std::optional<std::string> string(std::string_view name) const;
  std::string required_string(std::string_view name) const;
  std::optional<std::int64_t> integer(std::string_view name) const;
  std::optional<bool> boolean(std::string_view name) const;
  std::optional<double> timestamp(std::string_view name) const;  // epoch number or ISO 8601
  double required_timestamp(std::string_view name) const;
  const boost::json::object* object(std::string_view name) const;
  const boost::json::array* array(std::string_view name) const;
  JsonFields nested(std::string_view name, const boost::json::object& child) const;

  // The AWS path of a member: lower camel case, dotted ("importDataSource.dataFormat").
  std::string path(std::string_view name) const;

 private:
  const boost::json::value* member(std::string_view name) const;
  const boost::json::object& object_;
  std::string prefix_;
  bool exact_names_;
};

// A length (of a string, list or map) the model bounds: outside [min, max] is a
// BadRequestException in AWS's validation wording, naming `path`.
void check_length(const std::string& path, std::size_t n, std::size_t min, std::size_t max);

// PageSize and NextToken given as query parameters (the older GET forms of the List
// operations) override those of the body. A PageSize that is not a number is a
// BadRequestException.
void apply_paging_query(const std::vector<std::pair<std::string, std::string>>& query,
                        std::optional<std::int64_t>& page_size,
                        std::optional<std::string>& next_token);

// "2024-01-02T03:04:05Z" / "...05.123Z" / "+00:00" offsets, or a number of epoch seconds.
std::optional<double> parse_timestamp_text(std::string_view text);
// A timestamp this service accepts: finite epoch seconds from 1970 to the end of year 9999
// (1e999, "inf" and "nan" are refused as bad input instead of reaching storage or the wire).
bool is_valid_timestamp(double epoch_seconds);
// A JSON value as a timestamp: a valid epoch number or a string parse_timestamp_text reads;
// nullopt for anything else (the caller names the field in its error).
std::optional<double> timestamp_of(const boost::json::value& v);

}  // namespace sesv2mock
