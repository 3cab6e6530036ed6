#include "server/sending/identity_service.hpp"

#include "server/core/email_address.hpp"
#include "server/core/sending_messages.hpp"
#include "server/core/tags.hpp"
#include "storage/configuration_set_store.hpp"
#include "storage/identity_store.hpp"

namespace sesv2mock {
namespace {

constexpr PageRule kIdentityPages{100, 1000};
constexpr const char* kListScope = "ListEmailIdentities";

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// Letters, digits and hyphens in dot-separated labels of 1-63 characters, at least two
// labels, no label starting or ending with a hyphen.
bool is_valid_domain(const std::string& domain) {
  if (domain.empty() || domain.size() > IdentityLimits::kMaxDomainLength)
    return false;
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t dot = domain.find('.', start);
    std::size_t end = dot == std::string::npos ? domain.size() : dot;
    std::string_view label(domain.data() + start, end - start);
    if (label.empty() || label.size() > IdentityLimits::kMaxLabelLength)
      return false;
    if (label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label) {
      if (!is_label_char(c))
        return false;
    }
    ++labels;
    if (dot == std::string::npos)
      break;
    start = dot + 1;
  }
  return labels >= 2;
}

}  // namespace

std::pair<std::string, IdentityType> checked_identity_name(const std::string& raw) {
  if (raw.empty()) {
    throw ApiError::validation("emailIdentity",
                               "Member must have length greater than or equal to 1");
  }
  if (raw.find('@') != std::string::npos) {
    std::string why;
    auto email = normalize_email_address(raw, &why);
    if (!email)
      throw errors::identity_invalid(raw);
    return {*email, IdentityType::EmailAddress};
  }
  std::string domain = identity_key(trim(raw));
  if (!is_valid_domain(domain))
    throw errors::identity_invalid(raw);
  return {domain, IdentityType::Domain};
}

IdentityView IdentityService::view(const Partition& p, EmailIdentity identity) const {
  IdentityView v;
  v.verified_for_sending = identity.status == VerificationStatus::Success;
  if (!v.verified_for_sending && identity.type == IdentityType::EmailAddress) {
    // An address at a verified domain may send even while its own verification is pending.
    const std::string key = identity_key(identity.identity_name);
    v.verified_for_sending = identities_.is_verified_key(p, key.substr(key.rfind('@') + 1));
  }
  v.identity = std::move(identity);
  return v;
}

IdentityView IdentityService::create(const RequestContext& ctx,
                                     const CreateEmailIdentityRequest& request) {
  auto [name, type] = checked_identity_name(request.email_identity);
  if (request.has_dkim_signing_attributes && type == IdentityType::EmailAddress) {
    throw errors::dkim_for_address();
  }
  check_tags(request.tags);
  if (request.configuration_set_name &&
      !sets_.exists(ctx.partition, *request.configuration_set_name)) {
    throw errors::configuration_set_not_found(*request.configuration_set_name);
  }
  EmailIdentity identity;
  identity.identity_name = name;
  identity.type = type;
  identity.status = VerificationStatus::Success;  // verified at once (issue 9)
  identity.created_timestamp = now_epoch_seconds();
  identity.configuration_set_name = request.configuration_set_name;
  identity.tags = request.tags;
  if (!identities_.insert(ctx.partition, identity))
    throw errors::identity_exists(name);
  return view(ctx.partition, std::move(identity));
}

IdentityView IdentityService::get(const RequestContext& ctx, const std::string& name) const {
  auto found = identities_.find(ctx.partition, trim(name));
  if (!found)
    throw errors::identity_not_found(name);
  return view(ctx.partition, std::move(*found));
}

Page<IdentityView> IdentityService::list(const RequestContext& ctx,
                                         const PageRequest& paging) const {
  const Partition& p = ctx.partition;
  // The model documents ListEmailIdentities' PageSize as "at least 0": 0 asks for the
  // default page size rather than for an empty page.
  PageRequest asked = paging;
  if (asked.page_size == 0)
    asked.page_size.reset();
  auto page = pager_.page(
      kListScope + std::string(":") + p.account + ":" + p.region, kIdentityPages, asked,
      [&](const std::optional<std::string>& after, int limit) {
        return identities_.list(p, after.value_or(""), limit);
      },
      [](const EmailIdentity& i) { return identity_key(i.identity_name); });
  Page<IdentityView> out;
  out.next_token = std::move(page.next_token);
  for (auto& identity : page.rows)
    out.rows.push_back(view(p, std::move(identity)));
  return out;
}

void IdentityService::erase(const RequestContext& ctx, const std::string& name) {
  if (!identities_.erase(ctx.partition, trim(name)))
    throw errors::identity_not_found(name);
}

IdentityView IdentityService::set_status(const Partition& p, const std::string& name,
                                         VerificationStatus status) {
  if (!identities_.set_status(p, trim(name), status))
    throw errors::identity_not_found(name);
  return view(p, *identities_.find(p, trim(name)));
}

}  // namespace sesv2mock
