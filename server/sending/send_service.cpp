#include "server/sending/send_service.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <random>

#include "server/core/email_address.hpp"
#include "server/core/messages.hpp"
#include "server/sending/auto_reply.hpp"
#include "server/sending/mime_message.hpp"
#include "server/sending/raw_headers.hpp"
#include "server/sending/recipient_fate.hpp"
#include "server/sending/template_renderer.hpp"
#include "storage/contact_store.hpp"
#include "storage/message_store.hpp"
#include "storage/suppression_store.hpp"

namespace sesv2mock {

namespace {

constexpr std::string_view kUnsubscribePlaceholder = "{{amazonSESUnsubscribeUrl}}";
constexpr const char* kMessageIdDomain = "@email.amazonses.com";

SendRefusal refuse(ApiError error, const char* bulk_status) {
  return SendRefusal(std::move(error), bulk_status);
}

SendRefusal invalid(const std::string& message) {
  return refuse(ApiError::bad_request(message), "INVALID_PARAMETER");
}

std::string upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// SES v1's InvalidParameterValue wording for bad addresses ("Missing final '@domain'",
// "Illegal address"; seen from AWS in openstax/accounts#253, anymail/django-anymail#281).
std::string checked_address(const std::string& text) {
  std::string addr = address_part(text);
  auto normalized = normalize_email_address(addr);
  if (!normalized)
    throw invalid(addr.find('@') == std::string::npos ? "Missing final '@domain'"
                                                      : "Illegal address");
  return *normalized;
}

// Replaces the first `n` occurrences of `what`; with `rest`, later ones become `rest`.
std::string replace_placeholder(std::string s, const std::string& url, int n,
                                const std::optional<std::string>& rest) {
  std::size_t pos = 0;
  int done = 0;
  while ((pos = s.find(kUnsubscribePlaceholder, pos)) != std::string::npos) {
    const std::string& with =
        done < n ? url : (rest ? *rest : std::string(kUnsubscribePlaceholder));
    if (done >= n && !rest)
      break;
    s.replace(pos, kUnsubscribePlaceholder.size(), with);
    pos += with.size();
    ++done;
  }
  return s;
}

// "arn:aws:ses:us-east-1:123456789012:template/Name" -> "Name".
std::optional<std::string> template_name_of(const TemplateRef& ref) {
  if (ref.name)
    return ref.name;
  if (ref.arn) {
    auto slash = ref.arn->rfind("template/");
    if (slash == std::string::npos)
      throw invalid("Invalid template ARN: " + *ref.arn);
    return ref.arn->substr(slash + 9);
  }
  return std::nullopt;
}

// Written as raw header lines in front of the message: the MIME writer would turn a URL longer
// than a line into RFC 2047 encoded words, which mail clients do not decode in this header.
std::string unsubscribe_headers(const std::string& url) {
  return "List-Unsubscribe: <" + url + ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
}

}  // namespace

std::string address_part(std::string_view text) {
  auto open = text.rfind('<');
  auto close = text.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    return std::string(trim(text.substr(open + 1, close - open - 1)));
  return std::string(trim(text));
}

std::string new_message_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::uint64_t a = rng(), b = rng();
  char buf[80];
  std::snprintf(buf, sizeof buf, "0100%012llx-%08x-%04x-4%03x-%04x-%012llx-000000",
                static_cast<unsigned long long>(ms) & 0xffffffffffffULL,
                static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xffff),
                static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

// Everything a send checked and decided before its content is built.
struct SendService::Prepared {
  Partition partition;
  std::string from_address;
  std::vector<std::pair<std::string, std::string>> recipients;  // kind, address
  std::vector<SuppressionReason> suppressed_reasons;
  std::optional<ContactList> list;
  std::optional<std::string> topic;
};

namespace {

std::vector<std::pair<std::string, std::string>> recipients_of(const Destination& d) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& a : d.to)
    out.emplace_back("To", a);
  for (const auto& a : d.cc)
    out.emplace_back("Cc", a);
  for (const auto& a : d.bcc)
    out.emplace_back("Bcc", a);
  return out;
}

}  // namespace

std::string SendService::send_email(const RequestContext& ctx, const SendEmailRequest& r) {
  const Partition& p = ctx.partition;
  const double now = now_epoch_seconds();
  storage::StoredMessage stored;
  stored.message_id = new_message_id();
  stored.partition = p;
  stored.created_timestamp = now;
  stored.destination_json = r.destination_json;
  stored.tags = r.email_tags;
  stored.configuration_set = r.configuration_set;

  // The sender and the recipients: Raw takes them from the message when the request has none.
  std::optional<ParsedMessage> parsed;
  std::string from_text = r.from.value_or("");
  Destination destination = r.destination.value_or(Destination{});
  if (r.kind == ContentKind::Raw) {
    if (r.raw_data.size() > max_message_bytes_)
      throw invalid("Message length is more than " + std::to_string(max_message_bytes_) +
                    " bytes long: '" + std::to_string(r.raw_data.size()) + "'.");
    try {
      parsed = parse_mime_message(r.raw_data);
    } catch (const MimeError& e) {
      throw invalid(std::string("Could not parse the raw message: ") + e.what());
    }
    if (from_text.empty()) {
      if (parsed->from.empty())
        throw invalid("Missing required header 'From'.");
      from_text = parsed->from.front().address;
    }
    if (!r.destination) {
      for (const auto& m : parsed->to)
        destination.to.push_back(m.address);
      for (const auto& m : parsed->cc)
        destination.cc.push_back(m.address);
      for (const auto& m : parsed->bcc)
        destination.bcc.push_back(m.address);
    }
  } else if (from_text.empty()) {
    throw refuse(ApiError::missing_field("fromEmailAddress"), "INVALID_PARAMETER");
  }
  stored.source = from_text;

  Prepared prep;
  prep.partition = p;
  prep.from_address = checked_address(from_text);
  if (r.feedback_forwarding_address)
    checked_address(*r.feedback_forwarding_address);  // same errors as a bad recipient
  for (auto& [kind, text] : recipients_of(destination))
    prep.recipients.emplace_back(kind, checked_address(text));
  if (prep.recipients.empty())
    throw invalid("There are no recipients specified.");
  // Recipient quota: DG quotas page; wording of SES's InvalidParameterValue
  // (doubleunion/arooo#243).
  if (prep.recipients.size() > SendLimits::kMaxRecipients)
    throw invalid("Recipient count exceeds " + std::to_string(SendLimits::kMaxRecipients) + ".");

  // Configuration set and paused sending (model: NotFoundException, SendingPausedException).
  std::optional<ConfigurationSetRules> cs;
  if (r.configuration_set) {
    cs = rules_.configuration_set(p, *r.configuration_set);
    if (!cs)
      throw refuse(
          ApiError::not_found("Configuration set " + *r.configuration_set + " does not exist."),
          "CONFIGURATION_SET_NOT_FOUND");
  }
  const AccountRules account = rules_.account(p);
  if (!account.sending_enabled)
    throw refuse(ApiError("SendingPausedException", "Email sending is paused for this account."),
                 "ACCOUNT_SENDING_PAUSED");
  if (cs && !cs->sending_enabled)
    throw refuse(
        ApiError("SendingPausedException",
                 "Email sending is paused for configuration set " + *r.configuration_set + "."),
        "CONFIGURATION_SET_SENDING_PAUSED");
  // Configuration-set SuppressionOptions override the account's reasons
  // (https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list-config-level.html).
  prep.suppressed_reasons =
      cs && cs->suppressed_reasons ? *cs->suppressed_reasons : account.suppressed_reasons;

  // Verified identities: the sender always; in the sandbox every recipient too, except the
  // mailbox simulator (https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html).
  std::vector<std::string> failed;
  if (!rules_.is_verified(p, prep.from_address))
    failed.push_back(prep.from_address);
  if (!account.production_access_enabled) {
    for (const auto& [kind, addr] : prep.recipients) {
      if (simulator_address(addr) || rules_.is_verified(p, addr))
        continue;
      if (std::find(failed.begin(), failed.end(), addr) == failed.end())
        failed.push_back(addr);
    }
  }
  if (!failed.empty()) {
    std::string list;
    for (const auto& f : failed)
      list += (list.empty() ? "" : ", ") + f;
    // SES's wording (django-ses/django-ses#120, DG troubleshoot-error-messages).
    throw refuse(ApiError("MessageRejected",
                          "Email address is not verified. The following identities failed the "
                          "check in region " +
                              upper(p.region) + ": " + list),
                 "MESSAGE_REJECTED");
  }

  // Template: resolved and its data parsed before anything is stored.
  std::optional<TemplateContent> template_content;
  boost::json::value template_data;
  if (r.kind == ContentKind::Template) {
    const TemplateRef& ref = r.template_ref;
    if (auto name = template_name_of(ref)) {
      stored.template_name = *name;
      try {
        auto t = templates_.find_or_throw(p, *name);
        template_content = TemplateContent{t.subject, t.text, t.html};
      } catch (const ApiError& e) {
        throw refuse(e, "TEMPLATE_NOT_FOUND");
      }
    } else if (ref.content) {
      template_content = ref.content;
    } else {
      throw invalid("Template name, ARN or content must be specified.");
    }
    stored.template_data = ref.data.value_or("{}");
    try {
      template_data = parse_template_data(*stored.template_data);
    } catch (const TemplateError& e) {
      throw invalid(std::string("Invalid TemplateData: ") + e.what());
    }
  }

  // List management (https://docs.aws.amazon.com/ses/latest/dg/sending-email-list-management.html).
  if (r.list_management) {
    const auto& lm = *r.list_management;
    prep.list = contacts_.find_list(p, lm.contact_list_name);
    if (!prep.list)
      throw refuse(errors::list_not_found(lm.contact_list_name), "FAILED");
    if (lm.topic_name) {
      bool known = std::any_of(prep.list->topics.begin(), prep.list->topics.end(),
                               [&](const Topic& t) { return t.topic_name == *lm.topic_name; });
      if (!known)
        throw refuse(errors::topic_not_in_list(lm.contact_list_name, *lm.topic_name),
                     "INVALID_PARAMETER");
    }
    prep.topic = lm.topic_name;
    stored.list_name = lm.contact_list_name;
    stored.topic_name = lm.topic_name;
  }

  // Each recipient's fate.
  for (const auto& [kind, addr] : prep.recipients) {
    storage::StoredRecipient rec;
    if (auto sim = simulator_address(addr)) {
      rec = simulated_recipient(*sim, now);
    } else if (auto s = suppression_.find(p, addr);
               s && std::find(prep.suppressed_reasons.begin(), prep.suppressed_reasons.end(),
                              s->reason) != prep.suppressed_reasons.end()) {
      rec = suppressed_recipient(now);
    } else if (prep.list) {
      auto contact = contacts_.find_contact(p, prep.list->contact_list_name, addr);
      if (!contact) {
        // A recipient not yet in the list becomes a contact at send time. SES's behaviour
        // here is not documented (UNCONFIRMED; floci PR #1875 does the same).
        Contact c;
        c.email_address = addr;
        c.created_timestamp = c.last_updated_timestamp = now;
        contacts_.create_contact(p, prep.list->contact_list_name, c, {});
        contact = c;
      }
      rec = contact_receives(*prep.list, *contact, prep.topic)
                ? delivered_recipient(now)
                : unsubscribed_recipient(now, prep.list->contact_list_name, prep.topic);
    } else {
      rec = delivered_recipient(now);
    }
    rec.kind = kind;
    rec.address = addr;
    stored.recipients.push_back(std::move(rec));
  }

  // The unsubscribe link and headers: only for a single recipient who gets the message
  // (https://docs.aws.amazon.com/ses/latest/dg/sending-email-subscription-management.html;
  // header form per RFC 8058). SES replaces List-Unsubscribe headers the email has.
  std::optional<std::string> unsubscribe_url;
  if (prep.list && stored.recipients.size() == 1 &&
      stored.recipients.front().fate != storage::fate::kUnsubscribed) {
    unsubscribe_url = links_.url(
        ctx.host, {p, prep.list->contact_list_name, prep.topic, stored.recipients.front().address});
  }
  const int n = SendLimits::kUnsubscribeUrlReplacements;

  if (r.kind == ContentKind::Raw) {
    stored.kind = "RAW";
    stored.subject = parsed->subject;
    stored.raw_mime = r.raw_data;
    // "If you're adding these headers in your own email before sending them to Amazon SES,
    // Amazon SES overrides them if you have enabled ListManagementOptions" (DG, subscription
    // management, "Unsubscribe header considerations"): the sender's own pair is dropped.
    if (unsubscribe_url)
      stored.raw_mime =
          unsubscribe_headers(*unsubscribe_url) +
          replace_placeholder(
              drop_header_fields(stored.raw_mime, {"List-Unsubscribe", "List-Unsubscribe-Post"}),
              *unsubscribe_url, n, std::nullopt);
  } else {
    SimpleMessage m;
    m.from = from_text;
    m.to = destination.to;
    m.cc = destination.cc;
    m.reply_to = r.reply_to;
    m.message_id = stored.message_id + kMessageIdDomain;
    m.date = std::chrono::system_clock::now();
    if (r.kind == ContentKind::Simple) {
      stored.kind = "SIMPLE";
      m.subject = r.subject;
      m.text = r.text;
      m.html = r.html;
      m.headers = r.headers;
      m.attachments = r.attachments;
      if (unsubscribe_url) {
        if (m.text)
          m.text = replace_placeholder(*m.text, *unsubscribe_url, n, std::nullopt);
        if (m.html)
          m.html = replace_placeholder(*m.html, *unsubscribe_url, n, std::nullopt);
      }
    } else {
      stored.kind = "TEMPLATE";
      m.headers = r.template_ref.headers;
      m.attachments = r.template_ref.attachments;
      // The placeholder is SES's, not template data: substituted before rendering (later
      // occurrences and those of messages without a link become empty).
      TemplateContent content = *template_content;
      const std::string url = unsubscribe_url.value_or("");
      for (auto* part : {&content.subject, &content.text, &content.html})
        if (*part)
          *part = replace_placeholder(**part, url, n, std::string());
      try {
        auto rendered = render_content(content, template_data);
        m.subject = rendered.subject;
        m.text = rendered.text;
        m.html = rendered.html;
      } catch (const TemplateError&) {
        stored.subject = content.subject.value_or("");
        for (auto& rec : stored.recipients) {
          auto failed_rec = rendering_failed_recipient(now);
          rec.fate = failed_rec.fate;
          rec.events = failed_rec.events;
        }
        std::string id = stored.message_id;
        messages_.submit(std::move(stored));
        return id;
      }
    }
    if (unsubscribe_url) {
      std::erase_if(m.headers, [](const MessageHeader& h) {
        return iequals(h.name, "List-Unsubscribe") || iequals(h.name, "List-Unsubscribe-Post");
      });
    }
    stored.subject = m.subject;
    try {
      stored.raw_mime = build_mime_message(m);
      if (unsubscribe_url)
        stored.raw_mime = unsubscribe_headers(*unsubscribe_url) + stored.raw_mime;
    } catch (const MimeError& e) {
      throw invalid(e.what());
    }
    if (stored.raw_mime.size() > max_message_bytes_)
      throw invalid("Message length is more than " + std::to_string(max_message_bytes_) +
                    " bytes long: '" + std::to_string(stored.raw_mime.size()) + "'.");
  }
  auto replies = auto_replies(stored, r, parsed, prep.from_address);
  // Durable before the answer goes out: at once, or at the I/O thread's group commit.
  std::string id = stored.message_id;
  messages_.submit(std::move(stored));
  for (auto& reply : replies)
    messages_.submit(std::move(reply));
  return id;
}

// ooto@simulator.amazonses.com answers every delivered copy (auto_reply.hpp).
std::vector<storage::StoredMessage> SendService::auto_replies(
    const storage::StoredMessage& stored, const SendEmailRequest& r,
    const std::optional<ParsedMessage>& parsed, const std::string& from_address) {
  std::vector<storage::StoredMessage> replies;
  std::optional<std::string> return_path;
  std::string original_id = stored.message_id + kMessageIdDomain;
  if (parsed) {
    for (const auto& h : parsed->headers)
      if (iequals(h.name, "Return-Path"))
        return_path = h.value;
    if (!parsed->message_id.empty())
      original_id = parsed->message_id;
  }
  for (const auto& rec : stored.recipients) {
    if (simulator_address(rec.address) != SimulatorAddress::Ooto ||
        rec.fate != storage::fate::kDelivered)
      continue;
    AutoReplyInput in{
        &stored, original_id, rec.address,
        auto_reply_destination(r.feedback_forwarding_address, return_path, from_address)};
    replies.push_back(ooto_auto_reply(in));
  }
  return replies;
}

storage::StoredMessage SendService::message(const RequestContext& ctx,
                                            const std::string& message_id) const {
  auto m = messages_.find(message_id);
  if (!m || !(m->partition == ctx.partition) || m->kind == kAutoReplyKind)
    throw ApiError::not_found("Message " + message_id + " does not exist.");
  return *m;
}

std::vector<BulkEntryResult> SendService::send_bulk_email(const RequestContext& ctx,
                                                          const SendBulkEmailRequest& r) {
  if (r.entries.empty())
    throw ApiError::validation("bulkEmailEntries",
                               "Member must have length greater than or equal to 1");
  if (r.entries.size() > SendLimits::kMaxBulkEntries)
    throw ApiError::bad_request("The number of BulkEmailEntries exceeds " +
                                std::to_string(SendLimits::kMaxBulkEntries) + ".");
  std::vector<BulkEntryResult> results;
  for (const auto& entry : r.entries) {
    SendEmailRequest one;
    one.from = r.from;
    one.destination = entry.destination;
    one.destination_json = entry.destination_json;
    one.reply_to = r.reply_to;
    one.kind = ContentKind::Template;
    one.template_ref = r.default_template;
    if (entry.replacement_template_data)
      one.template_ref.data = entry.replacement_template_data;
    // A replacement header replaces the default header of the same name.
    for (const auto& h : entry.replacement_headers) {
      std::erase_if(one.template_ref.headers,
                    [&](const MessageHeader& d) { return iequals(d.name, h.name); });
      one.template_ref.headers.push_back(h);
    }
    one.email_tags = entry.replacement_tags.empty() ? r.default_tags : entry.replacement_tags;
    one.configuration_set = r.configuration_set;
    one.feedback_forwarding_address = r.feedback_forwarding_address;
    try {
      results.push_back({"SUCCESS", std::nullopt, send_email(ctx, one)});
    } catch (const SendRefusal& e) {
      results.push_back({e.bulk_status(), e.message(), std::nullopt});
    } catch (const ApiError& e) {
      results.push_back(
          {e.status() == 400 ? "INVALID_PARAMETER" : "FAILED", e.message(), std::nullopt});
    }
  }
  return results;
}

}  // namespace sesv2mock
