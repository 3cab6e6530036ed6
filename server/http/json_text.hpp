#pragma once
// JSON text as this server writes it on the wire.
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace sesv2mock::http {

// Serializes `value` in one pass, writing every non-integer number in plain decimal notation
// (1764340000.123, not Boost.JSON's 1.764340000123E9), the form the SES docs and SDK
// examples show for epoch timestamps. A non-finite double (which JSON cannot hold) is
// written as null, so the output is always valid JSON; inputs are checked before they get
// this far. Strings are escaped as Boost.JSON does (quote, backslash, control characters).
std::string to_json_text(const boost::json::value& value);

}  // namespace sesv2mock::http
