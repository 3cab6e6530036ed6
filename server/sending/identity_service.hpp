#pragma once
// Email identities: Create/Get/List/DeleteEmailIdentity, and the control API's way to set an
// identity's verification status. Identities are verified at once unless a test says
// otherwise through the control API.
#include <optional>
#include <string>
#include <vector>

#include "server/core/paging.hpp"
#include "server/core/request_context.hpp"
#include "server/core/sending_model.hpp"

namespace sesv2mock::storage {
class ConfigurationSetStore;
class IdentityStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

struct IdentityLimits {
  static constexpr std::size_t kMaxDomainLength = 253;
  static constexpr std::size_t kMaxLabelLength = 63;
};

struct CreateEmailIdentityRequest {
  std::string email_identity;
  std::vector<Tag> tags;
  std::optional<std::string> configuration_set_name;
  bool has_dkim_signing_attributes = false;
};

// An identity as the API shows it: with whether it may send (its own status, or for an
// address its domain's).
struct IdentityView {
  EmailIdentity identity;
  bool verified_for_sending = false;
};

class IdentityService {
 public:
  IdentityService(storage::IdentityStore& identities, storage::ConfigurationSetStore& sets,
                  const Pager& pager)
      : identities_(identities), sets_(sets), pager_(pager) {}

  // BadRequestException for an invalid address or domain, NotFoundException for an unknown
  // configuration set, AlreadyExistsException when the identity exists.
  IdentityView create(const RequestContext& ctx, const CreateEmailIdentityRequest& request);
  IdentityView get(const RequestContext& ctx, const std::string& name) const;
  Page<IdentityView> list(const RequestContext& ctx, const PageRequest& paging) const;
  void erase(const RequestContext& ctx, const std::string& name);
  // The control API: NotFoundException when there is no such identity.
  IdentityView set_status(const Partition& p, const std::string& name, VerificationStatus status);

 private:
  IdentityView view(const Partition& p, EmailIdentity identity) const;

  storage::IdentityStore& identities_;
  storage::ConfigurationSetStore& sets_;
  const Pager& pager_;
};

// The identity as stored: an address trimmed with its domain lower-cased, a domain
// lower-cased. BadRequestException when it is neither a valid address nor a valid domain.
std::pair<std::string, IdentityType> checked_identity_name(const std::string& raw);

}  // namespace sesv2mock
