#include "server/core/paging.hpp"

namespace sesv2mock {

std::int64_t Pager::checked_size(const PageRule& rule, const std::optional<std::int64_t>& asked) {
  const std::int64_t size = asked.value_or(rule.default_size);
  if (size < PageRules::kMinSize || size > rule.max_size) {
    throw errors::page_size_range(PageRules::kMinSize, rule.max_size);
  }
  return size;
}

}  // namespace sesv2mock
