// GetAccount and the account Put* operations through AccountService and the codec.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "sending_test_support.hpp"
#include "server/api/sending_codec.hpp"

using namespace sesv2mock;
using sesv2mock::testing::SendingWorld;

TEST_CASE("account: GetAccount in production mode, with the sent counter") {
  SendingWorld w;
  w.sent = 7;
  CHECK(boost::json::serialize(account_to_json(w.account.get(w.ctx))) ==
        R"({"DedicatedIpAutoWarmupEnabled":false,"EnforcementStatus":"HEALTHY",)"
        R"("ProductionAccessEnabled":true,"SendQuota":{"Max24HourSend":5E4,"MaxSendRate":1.4E1,)"
        R"("SentLast24Hours":7E0},"SendingEnabled":true,)"
        R"("SuppressionAttributes":{"SuppressedReasons":["BOUNCE","COMPLAINT"]}})");
}

TEST_CASE("account: sandbox mode and Put* changes") {
  SendingWorld w;
  w.settings.sandbox = true;
  w.account.put_sending_attributes(w.ctx, false);
  w.account.put_suppression_attributes(w.ctx, {SuppressionReason::Complaint});
  auto v = w.account.get(w.ctx);
  CHECK_FALSE(v.settings.production_access_enabled);
  CHECK_FALSE(v.settings.sending_enabled);
  CHECK(v.settings.suppressed_reasons ==
        std::vector<SuppressionReason>{SuppressionReason::Complaint});
  CHECK(v.settings.max_24_hour_send == 200);
  CHECK(v.settings.max_send_rate == 1);
  w.account.put_sending_attributes(w.ctx, true);
  CHECK(w.account.get(w.ctx).settings.sending_enabled);
  // The other setting is left as it was.
  CHECK(w.account.get(w.ctx).settings.suppressed_reasons ==
        std::vector<SuppressionReason>{SuppressionReason::Complaint});
  w.account_store.erase_all(&w.ctx.partition);
  CHECK(w.account.get(w.ctx).settings.suppressed_reasons.size() == 2);
}
