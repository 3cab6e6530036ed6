#pragma once
// The identity / configuration-set / account modules over a ":memory:" database, as the
// unit tests of those modules build them.
#include <string>
#include <utility>

#include "server/core/errors.hpp"
#include "server/core/paging.hpp"
#include "server/core/settings.hpp"
#include "server/sending/account_service.hpp"
#include "server/sending/configuration_set_service.hpp"
#include "server/sending/identity_service.hpp"
#include "server/sending/sending_directory.hpp"
#include "storage/account_store.hpp"
#include "storage/configuration_set_store.hpp"
#include "storage/identity_store.hpp"

namespace sesv2mock::testing {

struct SendingWorld {
  Settings settings;
  storage::Database db{":memory:"};
  storage::IdentityStore identity_store{db};
  storage::ConfigurationSetStore set_store{db};
  storage::AccountStore account_store{db};
  PageTokenCodec tokens{"test-key"};
  Pager pager{tokens};
  SendingDirectory directory{identity_store, set_store, account_store, settings};
  IdentityService identities{identity_store, set_store, pager};
  ConfigurationSetService sets{set_store, pager};
  std::int64_t sent = 0;
  AccountService account{directory, account_store, [this](const Partition&) { return sent; }};
  RequestContext ctx;

  IdentityView create_identity(const std::string& name) {
    CreateEmailIdentityRequest r;
    r.email_identity = name;
    return identities.create(ctx, r);
  }
  void create_set(const std::string& name) {
    ConfigurationSet s;
    s.name = name;
    sets.create(ctx, s);
  }
};

// The code and message of the ApiError `fn` throws ({"", ""} when it throws none).
template <typename Fn>
std::pair<std::string, std::string> api_error_of(Fn fn) {
  try {
    fn();
  } catch (const ApiError& e) {
    return {e.code(), e.message()};
  }
  return {"", ""};
}

}  // namespace sesv2mock::testing
