#pragma once
// SendEmail and SendBulkEmail: checks a send the way SES does, decides each recipient's fate
// (recipient_fate), builds the MIME (mime_message) and stores the message (MessageStore).
// What it needs from identities, the account and configuration sets comes through
// SendingRules (wired in main.cpp to helper S1's SendingDirectory), so this module and its
// unit tests do not depend on those stores.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/captured_message.hpp"
#include "server/core/email_message.hpp"
#include "server/core/errors.hpp"
#include "server/core/model.hpp"
#include "server/core/request_context.hpp"
#include "server/sending/template_service.hpp"
#include "server/sending/unsubscribe_links.hpp"

namespace sesv2mock::storage {
class ContactStore;
class MessageStore;
class SuppressionStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

struct SendLimits {
  // "40 MB per message (after base64 encoding)" (DG quotas page:
  // https://docs.aws.amazon.com/ses/latest/dg/quotas.html).
  static constexpr std::size_t kMaxMessageBytes = 40 * 1024 * 1024;
  // "The message may not include more than 50 recipients" (same page), To + Cc + Bcc.
  static constexpr std::size_t kMaxRecipients = 50;
  static constexpr std::size_t kMaxBulkEntries = 50;
  // {{amazonSESUnsubscribeUrl}} is replaced in at most the first two places of each part.
  static constexpr int kUnsubscribeUrlReplacements = 2;
};

struct AccountRules {
  bool sending_enabled = true;
  bool production_access_enabled = true;
  std::vector<SuppressionReason> suppressed_reasons{SuppressionReason::Bounce,
                                                    SuppressionReason::Complaint};
};

struct ConfigurationSetRules {
  bool sending_enabled = true;
  // nullopt: no override (the account's reasons apply); empty: suppression disabled.
  std::optional<std::vector<SuppressionReason>> suppressed_reasons;
};

// What the send path asks of identities, the account and configuration sets.
struct SendingRules {
  std::function<bool(const Partition&, std::string_view address)> is_verified;
  std::function<AccountRules(const Partition&)> account;
  std::function<std::optional<ConfigurationSetRules>(const Partition&, std::string_view name)>
      configuration_set;
};

struct Destination {
  std::vector<std::string> to, cc, bcc;
};

struct ListManagementOptions {
  std::string contact_list_name;
  std::optional<std::string> topic_name;
};

// A template reference: by name or ARN, or inline content.
struct TemplateRef {
  std::optional<std::string> name;
  std::optional<std::string> arn;
  std::optional<TemplateContent> content;
  std::optional<std::string> data;  // TemplateData (JSON text)
  std::vector<MessageHeader> headers;
  std::vector<Attachment> attachments;
};

enum class ContentKind { Simple, Raw, Template };

struct SendEmailRequest {
  std::optional<std::string> from;  // FromEmailAddress
  std::optional<Destination> destination;
  std::optional<std::string> destination_json;  // verbatim, for /_aws/ses
  std::vector<std::string> reply_to;
  ContentKind kind = ContentKind::Simple;
  // Simple
  std::string subject;
  std::optional<std::string> text, html;
  std::vector<MessageHeader> headers;
  std::vector<Attachment> attachments;
  // Raw (decoded bytes)
  std::string raw_data;
  // Template
  TemplateRef template_ref;
  std::vector<Tag> email_tags;
  std::optional<std::string> configuration_set;
  std::optional<ListManagementOptions> list_management;
  std::optional<std::string> feedback_forwarding_address;  // FeedbackForwardingEmailAddress
};

struct BulkEntry {
  Destination destination;
  std::optional<std::string> destination_json;
  std::vector<Tag> replacement_tags;
  std::optional<std::string> replacement_template_data;
  std::vector<MessageHeader> replacement_headers;
};

struct SendBulkEmailRequest {
  std::optional<std::string> from;
  std::vector<std::string> reply_to;
  std::vector<Tag> default_tags;
  TemplateRef default_template;
  std::vector<BulkEntry> entries;
  std::optional<std::string> configuration_set;
  std::optional<std::string> feedback_forwarding_address;
};

struct BulkEntryResult {
  std::string status;  // BulkEmailStatus
  std::optional<std::string> error;
  std::optional<std::string> message_id;
};

// An ApiError that also names the BulkEmailStatus the same refusal gets in SendBulkEmail.
class SendRefusal : public ApiError {
 public:
  SendRefusal(ApiError error, std::string bulk_status)
      : ApiError(std::move(error)), bulk_status_(std::move(bulk_status)) {}
  const std::string& bulk_status() const { return bulk_status_; }

 private:
  std::string bulk_status_;
};

class SendService {
 public:
  SendService(SendingRules rules, TemplateService& templates, storage::MessageStore& messages,
              storage::SuppressionStore& suppression, storage::ContactStore& contacts,
              UnsubscribeLinks& links)
      : rules_(std::move(rules)),
        templates_(templates),
        messages_(messages),
        suppression_(suppression),
        contacts_(contacts),
        links_(links) {}

  // The MessageId of the accepted message; throws SendRefusal / ApiError.
  std::string send_email(const RequestContext& ctx, const SendEmailRequest& r);
  std::vector<BulkEntryResult> send_bulk_email(const RequestContext& ctx,
                                               const SendBulkEmailRequest& r);

  // GetMessageInsights: the message of this partition, else NotFoundException.
  StoredMessage message(const RequestContext& ctx, const std::string& message_id) const;

  // For unit tests: the size limit (default SendLimits::kMaxMessageBytes).
  void set_max_message_bytes(std::size_t n) { max_message_bytes_ = n; }

 private:
  struct Prepared;
  // The ooto@ simulator's replies to a message's delivered copies (auto_reply.hpp).
  std::vector<StoredMessage> auto_replies(const StoredMessage& stored, const SendEmailRequest& r,
                                          const std::optional<ParsedMessage>& parsed,
                                          const std::string& from_address);
  SendingRules rules_;
  TemplateService& templates_;
  storage::MessageStore& messages_;
  storage::SuppressionStore& suppression_;
  storage::ContactStore& contacts_;
  UnsubscribeLinks& links_;
  std::size_t max_message_bytes_ = SendLimits::kMaxMessageBytes;
};

// A new SES-style message id: "0100" + 12 hex digits of milliseconds, a UUID, "-000000".
std::string new_message_id();

// The addr-spec of "Name <addr>" or "addr".
std::string address_part(std::string_view text);

}  // namespace sesv2mock
