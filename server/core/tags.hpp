#pragma once
// The rules of the model's `Tag` shape, shared by every taggable resource: at most 50 tags,
// keys 1-128 and values 0-256 characters of Unicode letters, digits, white space and
// `_ . : / = + -`, one value per key, and the `aws:` prefix reserved for AWS.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

struct TagLimits {
  static constexpr std::size_t kMaxTags = 50;
  static constexpr std::size_t kMaxKeyLength = 128;
  static constexpr std::size_t kMaxValueLength = 256;
};

// Throws BadRequestException (errors::too_many_tags, tag_key_length, ...) for the first rule
// the tags break.
void check_tags(const std::vector<Tag>& tags);

// Characters (code points) of UTF-8 text; nullopt when it is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

}  // namespace sesv2mock
