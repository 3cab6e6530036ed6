#pragma once
// Wire names of the domain's enums: each enum has one table of {value, "WIRE_NAME"} pairs,
// and these two look-ups go either way.
#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace sesv2mock {

template <typename E, std::size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

// The value named `s`, or nullopt for a name outside the table.
template <typename E, std::size_t N>
std::optional<E> enum_value(const EnumNames<E, N>& table, std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s)
      return value;
  }
  return std::nullopt;
}

// The name of `v` ("" when the table lacks it).
template <typename E, std::size_t N>
std::string_view enum_name(const EnumNames<E, N>& table, E v) {
  for (const auto& [value, name] : table) {
    if (value == v)
      return name;
  }
  return "";
}

}  // namespace sesv2mock
