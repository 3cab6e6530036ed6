#pragma once
// Percent-encoding with a caller's set of characters kept as they are.
#include <string>
#include <string_view>

namespace sesv2mock {

// ASCII letters, digits and the characters of `kept` stay; every other byte is %XX
// (upper-case hex).
std::string percent_encode(std::string_view s, std::string_view kept);

}  // namespace sesv2mock
