#include "server/sending/account_service.hpp"
#include "storage/account_store.hpp"

namespace sesv2mock {

AccountView AccountService::get(const RequestContext& ctx) const {
  AccountView v;
  v.settings = directory_.account(ctx.partition);
  v.sent_last_24_hours = sent_ ? sent_(ctx.partition) : 0;
  return v;
}

void AccountService::put_suppression_attributes(const RequestContext& ctx,
                                                const std::vector<SuppressionReason>& reasons) {
  store_.set_suppressed_reasons(ctx.partition, reasons);
}

void AccountService::put_sending_attributes(const RequestContext& ctx, bool enabled) {
  store_.set_sending_enabled(ctx.partition, enabled);
}

}  // namespace sesv2mock
