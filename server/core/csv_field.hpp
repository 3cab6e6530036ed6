#pragma once
// Writing CSV (RFC 4180): a field is quoted only when it holds a comma, quote or line break.
#include <string>
#include <string_view>

namespace sesv2mock {

std::string csv_field(std::string_view field);

}  // namespace sesv2mock
