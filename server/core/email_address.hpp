#pragma once
// Address normalisation and the validity check used for imported records and API input.
#include <optional>
#include <string>
#include <string_view>

namespace sesv2mock {

// Trims surrounding whitespace and lower-cases the domain part; the local part is kept
// as written. Returns nullopt (with `why` set) for an address SES would refuse.
std::optional<std::string> normalize_email_address(std::string_view raw,
                                                   std::string* why = nullptr);

// ASCII whitespace trim.
std::string_view trim(std::string_view s);

}  // namespace sesv2mock
