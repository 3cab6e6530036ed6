#pragma once
// An email template as kept per account and region (storage/template_store) and shown by
// the template API.
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

struct StoredTemplate {
  std::string name;
  std::optional<std::string> subject;
  std::optional<std::string> text;
  std::optional<std::string> html;
  std::vector<Tag> tags;
  double created_timestamp = 0;
};

}  // namespace sesv2mock
