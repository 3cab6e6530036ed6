#include "server/api/sending_codec.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>

#include "server/core/errors.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

constexpr const char* kReasonsEnum = "Member must satisfy enum value set: [BOUNCE, COMPLAINT]";
// What GetEmailIdentity shows for DKIM of a domain identity (Easy DKIM, as SES sets it up
// by default) and of an address (DKIM is a domain matter; SES shows it NOT_STARTED).
constexpr const char* kKeyLength = "RSA_2048_BIT";
constexpr const char* kAddressKeyLength = "RSA_1024_BIT";
constexpr const char* kSigningOrigin = "AWS_SES";
constexpr std::size_t kDkimTokenCount = 3;

// The option groups of a configuration set that the mock keeps only to echo them.
constexpr const char* kEchoedOptions[] = {"TrackingOptions", "DeliveryOptions", "ReputationOptions",
                                          "VdmOptions", "ArchivingOptions"};

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 14695981039346656037ULL ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

void append_base36(std::string& out, std::uint64_t v, std::size_t digits) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (std::size_t i = 0; i < digits; ++i) {
    out.push_back(kDigits[v % 36]);
    v /= 36;
  }
}

json::object dkim_to_json(const EmailIdentity& identity) {
  if (identity.type == IdentityType::EmailAddress) {
    return {{"SigningEnabled", false},
            {"Status", "NOT_STARTED"},
            {"SigningAttributesOrigin", kSigningOrigin},
            {"NextSigningKeyLength", kAddressKeyLength}};
  }
  json::array tokens;
  for (const auto& t : dkim_tokens(identity_key(identity.identity_name)))
    tokens.push_back(json::string(t));
  // The domain is verified through its DKIM records, so DKIM's status is the identity's.
  return {{"SigningEnabled", true},
          {"Status", to_string(identity.status)},
          {"Tokens", std::move(tokens)},
          {"SigningAttributesOrigin", kSigningOrigin},
          {"NextSigningKeyLength", kKeyLength},
          {"CurrentSigningKeyLength", kKeyLength},
          {"LastKeyGenerationTimestamp", identity.created_timestamp}};
}

}  // namespace

std::vector<Tag> parse_tag_list(const JsonFields& f, std::string_view name) {
  std::vector<Tag> tags;
  const json::array* items = f.array(name);
  if (!items)
    return tags;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string path = f.path(name) + "." + std::to_string(i + 1) + ".member";
    const json::object* item = (*items)[i].if_object();
    if (!item)
      throw ApiError::validation(path, "Member must be a structure");
    JsonFields t(*item, path);
    tags.push_back({t.required_string("Key"), t.required_string("Value")});
  }
  return tags;
}

json::array tag_list_to_json(const std::vector<Tag>& tags) {
  json::array out;
  for (const auto& t : tags)
    out.push_back(json::object{{"Key", t.key}, {"Value", t.value}});
  return out;
}

std::optional<std::vector<SuppressionReason>> parse_suppressed_reasons(const JsonFields& f) {
  const json::array* items = f.array("SuppressedReasons");
  if (!items)
    return std::nullopt;
  std::vector<SuppressionReason> out;
  for (const auto& item : *items) {
    auto reason = item.is_string() ? parse_suppression_reason(item.get_string()) : std::nullopt;
    if (!reason)
      throw ApiError::validation(f.path("SuppressedReasons"), kReasonsEnum);
    if (std::find(out.begin(), out.end(), *reason) == out.end())
      out.push_back(*reason);
  }
  return out;
}

json::array reasons_to_json(const std::vector<SuppressionReason>& reasons) {
  json::array out;
  for (auto r : reasons)
    out.push_back(json::string(to_string(r)));
  return out;
}

PageRequest parse_paging_query(const QueryParams& query) {
  PageRequest r;
  apply_paging_query(query, r.page_size, r.next_token);
  return r;
}

std::vector<std::string> dkim_tokens(const std::string& domain) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kDkimTokenCount; ++i) {
    std::string token;
    append_base36(token, fnv1a(domain, 2 * i + 1), 12);
    append_base36(token, fnv1a(domain, 2 * i + 2), 12);
    append_base36(token, fnv1a(domain + "#", 2 * i + 1), 8);
    out.push_back(std::move(token));
  }
  return out;
}

CreateEmailIdentityRequest parse_create_email_identity(const json::object& body) {
  JsonFields f(body);
  CreateEmailIdentityRequest r;
  r.email_identity = f.required_string("EmailIdentity");
  r.tags = parse_tag_list(f, "Tags");
  r.configuration_set_name = f.string("ConfigurationSetName");
  r.has_dkim_signing_attributes = f.object("DkimSigningAttributes") != nullptr;
  return r;
}

json::object created_identity_to_json(const IdentityView& v) {
  json::object out{{"IdentityType", to_string(v.identity.type)},
                   {"VerifiedForSendingStatus", v.verified_for_sending}};
  if (v.identity.type == IdentityType::Domain)
    out["DkimAttributes"] = dkim_to_json(v.identity);
  return out;
}

json::object identity_to_json(const IdentityView& v) {
  const EmailIdentity& i = v.identity;
  // MailFromAttributes: no custom MAIL FROM domain is set up, so (as SES answers) only the
  // behaviour is shown.
  json::object out{
      {"IdentityType", to_string(i.type)},
      {"FeedbackForwardingStatus", true},
      {"VerifiedForSendingStatus", v.verified_for_sending},
      {"DkimAttributes", dkim_to_json(i)},
      {"MailFromAttributes", json::object{{"BehaviorOnMxFailure", "USE_DEFAULT_VALUE"}}},
      {"Policies", json::object{}},
      {"Tags", tag_list_to_json(i.tags)},
      {"VerificationStatus", to_string(i.status)},
      {"VerificationInfo", json::object{}}};
  if (i.configuration_set_name)
    out["ConfigurationSetName"] = *i.configuration_set_name;
  return out;
}

json::object list_identities_to_json(const Page<IdentityView>& page) {
  json::array items;
  for (const auto& v : page.rows) {
    items.push_back(json::object{{"IdentityType", to_string(v.identity.type)},
                                 {"IdentityName", v.identity.identity_name},
                                 {"SendingEnabled", v.verified_for_sending},
                                 {"VerificationStatus", to_string(v.identity.status)}});
  }
  json::object out{{"EmailIdentities", std::move(items)}};
  if (page.next_token)
    out["NextToken"] = *page.next_token;
  return out;
}

ConfigurationSet parse_create_configuration_set(const json::object& body) {
  JsonFields f(body);
  ConfigurationSet set;
  set.name = f.required_string("ConfigurationSetName");
  set.tags = parse_tag_list(f, "Tags");
  if (const json::object* sending = f.object("SendingOptions")) {
    set.sending_enabled =
        f.nested("SendingOptions", *sending).boolean("SendingEnabled").value_or(false);
  }
  if (const json::object* suppression = f.object("SuppressionOptions")) {
    // An object without SuppressedReasons is an override with no reasons.
    set.suppressed_reasons = parse_suppressed_reasons(f.nested("SuppressionOptions", *suppression))
                                 .value_or(std::vector<SuppressionReason>{});
  }
  json::object echoed;
  for (const char* name : kEchoedOptions) {
    if (const json::object* o = f.object(name))
      echoed[name] = *o;
  }
  set.echoed_options_json = json::serialize(echoed);
  return set;
}

json::object configuration_set_to_json(const ConfigurationSet& set) {
  json::object out{{"ConfigurationSetName", set.name}};
  boost::system::error_code ec;
  json::value echoed = json::parse(set.echoed_options_json, ec);
  if (!ec && echoed.is_object()) {
    for (const auto& member : echoed.get_object())
      out[member.key()] = member.value();
  }
  out["SendingOptions"] = json::object{{"SendingEnabled", set.sending_enabled}};
  out["Tags"] = tag_list_to_json(set.tags);
  if (set.suppressed_reasons) {
    out["SuppressionOptions"] =
        json::object{{"SuppressedReasons", reasons_to_json(*set.suppressed_reasons)}};
  }
  return out;
}

json::object list_configuration_sets_to_json(const Page<std::string>& page) {
  json::array names;
  for (const auto& n : page.rows)
    names.push_back(json::string(n));
  json::object out{{"ConfigurationSets", std::move(names)}};
  if (page.next_token)
    out["NextToken"] = *page.next_token;
  return out;
}

json::object account_to_json(const AccountView& v) {
  const AccountSettings& a = v.settings;
  return {
      {"DedicatedIpAutoWarmupEnabled", false},
      {"EnforcementStatus", "HEALTHY"},
      {"ProductionAccessEnabled", a.production_access_enabled},
      {"SendQuota", json::object{{"Max24HourSend", a.max_24_hour_send},
                                 {"MaxSendRate", a.max_send_rate},
                                 {"SentLast24Hours", static_cast<double>(v.sent_last_24_hours)}}},
      {"SendingEnabled", a.sending_enabled},
      {"SuppressionAttributes",
       json::object{{"SuppressedReasons", reasons_to_json(a.suppressed_reasons)}}}};
}

}  // namespace sesv2mock
