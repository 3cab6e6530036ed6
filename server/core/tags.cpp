#include "server/core/tags.hpp"

#include <locale.h>
#include <clocale>
#include <cwctype>
#include <set>
#include <string>

#include "server/core/messages.hpp"

namespace sesv2mock {
namespace {

constexpr std::string_view kReservedPrefix = "aws:";
constexpr std::string_view kTagSymbols = "_.:/=+-";

// Decodes one UTF-8 sequence at `i` and moves past it; false for malformed input.
bool next_code_point(std::string_view text, std::size_t& i, char32_t& out) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t extra = 0;
  if (lead >= 0x80) {
    if ((lead & 0xE0) == 0xC0)
      extra = 1;
    else if ((lead & 0xF0) == 0xE0)
      extra = 2;
    else if ((lead & 0xF8) == 0xF0)
      extra = 3;
    else
      return false;
  }
  if (i + extra >= text.size())
    return false;
  char32_t cp = extra == 0 ? lead : (lead & (0x3F >> extra));
  for (std::size_t k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80)
      return false;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t kMinOf[] = {0, 0x80, 0x800, 0x10000};  // overlong forms
  if (cp < kMinOf[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return false;
  i += extra + 1;
  out = cp;
  return true;
}

// Letters and digits beyond ASCII are classified by the C.UTF-8 locale (glibc ships its
// full Unicode tables), independently of the process locale.
locale_t unicode_locale() {
  static locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return locale;
}

bool is_tag_char(char32_t cp) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::isspace(static_cast<unsigned char>(c)) ||
           kTagSymbols.find(c) != std::string_view::npos;
  }
  locale_t loc = unicode_locale();
  if (!loc)
    return true;  // no Unicode tables: accept rather than refuse valid names
  const auto wc = static_cast<wint_t>(cp);
  return iswalnum_l(wc, loc) || iswspace_l(wc, loc);
}

// Checks one key or value; returns its length in characters.
std::size_t checked_text(std::string_view text, const std::string& which) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < text.size(); ++length) {
    char32_t cp = 0;
    if (!next_code_point(text, i, cp) || !is_tag_char(cp))
      throw errors::tag_characters(which);
  }
  return length;
}

bool has_reserved_prefix(std::string_view text) {
  if (text.size() < kReservedPrefix.size())
    return false;
  for (std::size_t i = 0; i < kReservedPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != kReservedPrefix[i])
      return false;
  }
  return true;
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < text.size(); ++length) {
    char32_t cp = 0;
    if (!next_code_point(text, i, cp))
      return std::nullopt;
  }
  return length;
}

void check_tags(const std::vector<Tag>& tags) {
  if (tags.size() > TagLimits::kMaxTags)
    throw errors::too_many_tags(TagLimits::kMaxTags);
  std::set<std::string> keys;
  for (const Tag& tag : tags) {
    const std::size_t key_length = checked_text(tag.key, "key");
    if (key_length < 1 || key_length > TagLimits::kMaxKeyLength) {
      throw errors::tag_key_length(TagLimits::kMaxKeyLength);
    }
    if (checked_text(tag.value, "value") > TagLimits::kMaxValueLength) {
      throw errors::tag_value_length(TagLimits::kMaxValueLength);
    }
    if (has_reserved_prefix(tag.key) || has_reserved_prefix(tag.value)) {
      throw errors::reserved_tag_prefix();
    }
    if (!keys.insert(tag.key).second)
      throw errors::duplicate_tag_key(tag.key);
  }
}

}  // namespace sesv2mock
