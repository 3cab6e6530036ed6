#pragma once
// JSON text as this server writes it on the wire.
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace sesv2mock::http {

// Serializes `value`, writing every non-integer number in plain decimal notation
// (1764340000.123, not Boost.JSON's 1.764340000123E9), the form the SES docs and SDK
// examples show for epoch timestamps. Strings are left untouched.
std::string to_json_text(const boost::json::value& value);

// The rewriting step alone: numbers with an exponent, outside strings, become decimals.
std::string plain_decimal_numbers(std::string_view json_text);

}  // namespace sesv2mock::http
