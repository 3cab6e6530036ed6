#include "server/suppression/suppression_service.hpp"

#include "server/core/email_address.hpp"
#include "server/core/messages.hpp"
#include "storage/suppression_store.hpp"

namespace sesv2mock {
namespace {

std::string normalized_or_throw(const std::string& raw) {
  std::string why;
  auto email = normalize_email_address(raw, &why);
  if (!email)
    throw errors::suppression_email_invalid(why);
  return *email;
}

// Lookups use the normalised form; an address that cannot be normalised is simply absent.
std::string lookup_address(const std::string& raw) {
  return normalize_email_address(raw).value_or(raw);
}

// The token is bound to the partition and the filter: reusing it with others is refused.
std::string list_scope(const RequestContext& ctx, const ListSuppressedDestinationsRequest& r) {
  std::string scope =
      "ListSuppressedDestinations|" + ctx.partition.account + "|" + ctx.partition.region + "|";
  for (auto reason : r.reasons)
    scope += std::string(to_string(reason)) + ",";
  scope += "|" + (r.start_date ? std::to_string(*r.start_date) : "") + "|" +
           (r.end_date ? std::to_string(*r.end_date) : "") + "|" + r.contains;
  return scope;
}

}  // namespace

void SuppressionService::put(const RequestContext& ctx, const std::string& email_address,
                             SuppressionReason reason) {
  store_.put(ctx.partition, {normalized_or_throw(email_address), reason, now_epoch_seconds()});
}

SuppressedDestination SuppressionService::get(const RequestContext& ctx,
                                              const std::string& email_address) const {
  auto found = store_.find(ctx.partition, lookup_address(email_address));
  if (!found)
    throw errors::suppressed_not_found(email_address);
  return *found;
}

void SuppressionService::erase(const RequestContext& ctx, const std::string& email_address) {
  if (!store_.erase(ctx.partition, lookup_address(email_address))) {
    throw errors::suppressed_not_found(email_address);
  }
}

ListSuppressedDestinationsResult SuppressionService::list(
    const RequestContext& ctx, const ListSuppressedDestinationsRequest& request) const {
  auto fetch = [&](const std::optional<std::string>& after, int limit) {
    storage::SuppressionQuery q;
    q.reasons = request.reasons;
    q.start_date = request.start_date;
    q.end_date = request.end_date;
    q.contains = request.contains;
    q.after_email = after.value_or("");
    q.limit = limit;
    return store_.list(ctx.partition, q);
  };
  return pager_.page(list_scope(ctx, request), PageRules::kSuppressedDestinations, request.paging,
                     fetch, [](const SuppressedDestination& d) { return d.email_address; });
}

}  // namespace sesv2mock
