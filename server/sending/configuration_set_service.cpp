#include "server/sending/configuration_set_service.hpp"

#include "server/core/sending_messages.hpp"
#include "server/core/tags.hpp"
#include "storage/configuration_set_store.hpp"

namespace sesv2mock {
namespace {

constexpr PageRule kConfigurationSetPages{100, 1000};

}  // namespace

bool is_valid_configuration_set_name(const std::string& name) {
  if (name.empty() || name.size() > ConfigurationSetLimits::kMaxNameLength)
    return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

void ConfigurationSetService::create(const RequestContext& ctx, ConfigurationSet set) {
  if (!is_valid_configuration_set_name(set.name))
    throw errors::configuration_set_name_rules();
  check_tags(set.tags);
  set.created_timestamp = now_epoch_seconds();
  if (!sets_.insert(ctx.partition, set))
    throw errors::configuration_set_exists(set.name);
}

ConfigurationSet ConfigurationSetService::get(const RequestContext& ctx,
                                              const std::string& name) const {
  auto found = sets_.find(ctx.partition, name);
  if (!found)
    throw errors::configuration_set_not_found(name);
  return *found;
}

Page<std::string> ConfigurationSetService::list(const RequestContext& ctx,
                                                const PageRequest& paging) const {
  const Partition& p = ctx.partition;
  auto page = pager_.page(
      "ListConfigurationSets:" + p.account + ":" + p.region, kConfigurationSetPages, paging,
      [&](const std::optional<std::string>& after, int limit) {
        return sets_.list(p, after.value_or(""), limit);
      },
      [](const ConfigurationSet& s) { return s.name; });
  Page<std::string> out;
  out.next_token = std::move(page.next_token);
  for (auto& set : page.rows)
    out.rows.push_back(std::move(set.name));
  return out;
}

void ConfigurationSetService::erase(const RequestContext& ctx, const std::string& name) {
  if (!sets_.erase(ctx.partition, name))
    throw errors::configuration_set_not_found(name);
}

void ConfigurationSetService::put_suppression_options(
    const RequestContext& ctx, const std::string& name,
    const std::optional<std::vector<SuppressionReason>>& reasons) {
  if (!sets_.set_suppressed_reasons(ctx.partition, name, reasons)) {
    throw errors::configuration_set_not_found(name);
  }
}

void ConfigurationSetService::put_sending_options(const RequestContext& ctx,
                                                  const std::string& name, bool enabled) {
  if (!sets_.set_sending_enabled(ctx.partition, name, enabled)) {
    throw errors::configuration_set_not_found(name);
  }
}

}  // namespace sesv2mock
