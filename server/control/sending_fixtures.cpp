#include "server/control/sending_fixtures.hpp"

#include "server/core/tags.hpp"
#include "server/sending/configuration_set_service.hpp"
#include "server/sending/identity_service.hpp"

namespace sesv2mock::fixture {
namespace {

std::vector<Tag> tags_of(const Node& n) {
  std::vector<Tag> tags;
  if (const auto* items = n.array("Tags")) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      Node t((*items)[i], n.at("Tags") + "[" + std::to_string(i) + "]");
      t.only({"Key", "Value"});
      tags.push_back({t.required_string("Key"), t.string("Value").value_or("")});
    }
  }
  try {
    check_tags(tags);
  } catch (const ApiError& e) {
    reject(n.at("Tags"), e.message());
  }
  return tags;
}

}  // namespace

std::pair<Partition, EmailIdentity> parse_email_identity(const Node& n, const Partition& fallback,
                                                         double now) {
  n.only({"EmailIdentity", "VerificationStatus", "ConfigurationSetName", "Tags", "CreatedTimestamp",
          "Account", "Region"});
  EmailIdentity identity;
  try {
    auto [name, type] = checked_identity_name(n.required_string("EmailIdentity"));
    identity.identity_name = name;
    identity.type = type;
  } catch (const ApiError& e) {
    reject(n.at("EmailIdentity"), e.message());
  }
  if (n.get("VerificationStatus")) {
    identity.status = n.enumeration<VerificationStatus>(
        "VerificationStatus", parse_verification_status,
        "PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE, NOT_STARTED");
  }
  identity.configuration_set_name = n.string("ConfigurationSetName");
  identity.tags = tags_of(n);
  identity.created_timestamp = n.timestamp("CreatedTimestamp").value_or(now);
  return {partition_of(n, fallback), identity};
}

std::pair<Partition, ConfigurationSet> parse_configuration_set(const Node& n,
                                                               const Partition& fallback,
                                                               double now) {
  n.only({"ConfigurationSetName", "SuppressedReasons", "SendingEnabled", "Tags", "CreatedTimestamp",
          "Account", "Region"});
  ConfigurationSet set;
  set.name = n.required_string("ConfigurationSetName");
  if (!is_valid_configuration_set_name(set.name)) {
    reject(n.at("ConfigurationSetName"),
           "must be 1-64 letters, digits, underscores (_) and hyphens (-).");
  }
  if (const auto* reasons = n.array("SuppressedReasons")) {
    set.suppressed_reasons.emplace();
    for (std::size_t i = 0; i < reasons->size(); ++i) {
      const auto& item = (*reasons)[i];
      auto reason = item.is_string() ? parse_suppression_reason(item.get_string()) : std::nullopt;
      if (!reason) {
        reject(n.at("SuppressedReasons") + "[" + std::to_string(i) + "]",
               "must be one of BOUNCE, COMPLAINT.");
      }
      set.suppressed_reasons->push_back(*reason);
    }
  }
  set.sending_enabled = n.boolean("SendingEnabled").value_or(true);
  set.tags = tags_of(n);
  set.created_timestamp = n.timestamp("CreatedTimestamp").value_or(now);
  return {partition_of(n, fallback), set};
}

}  // namespace sesv2mock::fixture
