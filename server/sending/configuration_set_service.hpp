#pragma once
// Configuration sets: Create/Get/List/DeleteConfigurationSet and the suppression and
// sending options. Only suppression and sending options affect sends; the other option
// groups (tracking, delivery, reputation, VDM, archiving) are kept as given and echoed.
#include <optional>
#include <string>
#include <vector>

#include "server/core/paging.hpp"
#include "server/core/request_context.hpp"
#include "server/core/sending_model.hpp"

namespace sesv2mock::storage {
class ConfigurationSetStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

struct ConfigurationSetLimits {
  static constexpr std::size_t kMaxNameLength = 64;
};

class ConfigurationSetService {
 public:
  ConfigurationSetService(storage::ConfigurationSetStore& sets, const Pager& pager)
      : sets_(sets), pager_(pager) {}

  // BadRequestException for a name outside the rules or bad tags, AlreadyExistsException.
  void create(const RequestContext& ctx, ConfigurationSet set);
  ConfigurationSet get(const RequestContext& ctx, const std::string& name) const;
  Page<std::string> list(const RequestContext& ctx, const PageRequest& paging) const;
  void erase(const RequestContext& ctx, const std::string& name);
  // nullopt removes the override (the account's reasons apply again); an empty list is an
  // override that suppresses nothing.
  void put_suppression_options(const RequestContext& ctx, const std::string& name,
                               const std::optional<std::vector<SuppressionReason>>& reasons);
  void put_sending_options(const RequestContext& ctx, const std::string& name, bool enabled);

 private:
  storage::ConfigurationSetStore& sets_;
  const Pager& pager_;
};

// 1-64 letters, digits, '_' and '-' (the model's documentation of ConfigurationSetName).
bool is_valid_configuration_set_name(const std::string& name);

}  // namespace sesv2mock
