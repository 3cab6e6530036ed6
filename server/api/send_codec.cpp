#include "server/api/send_codec.hpp"

#include <boost/json.hpp>

#include "server/core/json_fields.hpp"
#include "server/sending/recipient_fate.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

std::optional<std::string> decode_base64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z')
      return c - 'A';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
    if (c >= '0' && c <= '9')
      return c - '0' + 52;
    if (c == '+' || c == '-')
      return 62;
    if (c == '/' || c == '_')
      return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0, pad = 0;
  for (char c : text) {
    if (c == ' ' || c == '\r' || c == '\n' || c == '\t')
      continue;
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad)
      return std::nullopt;  // data after padding
    int v = value(c);
    if (v < 0)
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if (bits >= 6 || pad > 2)
    return std::nullopt;
  return out;
}

namespace {

std::vector<std::string> string_list(const JsonFields& f, std::string_view name) {
  std::vector<std::string> out;
  if (const json::array* a = f.array(name)) {
    for (const auto& v : *a) {
      if (!v.is_string())
        throw ApiError::validation(f.path(name), "Member must be a string");
      out.emplace_back(v.as_string());
    }
  }
  return out;
}

std::optional<Destination> parse_destination(const JsonFields& f, std::optional<std::string>* raw) {
  const json::object* o = f.object("Destination");
  if (!o)
    return std::nullopt;
  JsonFields d = f.nested("Destination", *o);
  if (raw)
    *raw = json::serialize(*o);
  return Destination{string_list(d, "ToAddresses"), string_list(d, "CcAddresses"),
                     string_list(d, "BccAddresses")};
}

std::vector<MessageHeader> parse_headers(const JsonFields& f, std::string_view name) {
  std::vector<MessageHeader> out;
  if (const json::array* a = f.array(name)) {
    for (const auto& v : *a) {
      if (!v.is_object())
        throw ApiError::validation(f.path(name), "Member must be a MessageHeader");
      JsonFields h = f.nested(name, v.as_object());
      out.push_back({h.required_string("Name"), h.required_string("Value")});
    }
  }
  return out;
}

std::vector<Tag> parse_message_tags(const JsonFields& f, std::string_view name) {
  std::vector<Tag> out;
  if (const json::array* a = f.array(name)) {
    for (const auto& v : *a) {
      if (!v.is_object())
        throw ApiError::validation(f.path(name), "Member must be a MessageTag");
      JsonFields t = f.nested(name, v.as_object());
      out.push_back({t.required_string("Name"), t.required_string("Value")});
    }
  }
  return out;
}

std::vector<Attachment> parse_attachments(const JsonFields& f) {
  std::vector<Attachment> out;
  if (const json::array* a = f.array("Attachments")) {
    for (const auto& v : *a) {
      if (!v.is_object())
        throw ApiError::validation(f.path("Attachments"), "Member must be an Attachment");
      JsonFields at = f.nested("Attachments", v.as_object());
      Attachment x;
      x.file_name = at.required_string("FileName");
      auto raw = decode_base64(at.required_string("RawContent"));
      if (!raw)
        throw ApiError::bad_request("Attachment RawContent is not valid base64.");
      x.raw_content = std::move(*raw);
      x.content_type = at.string("ContentType").value_or("");
      x.content_id = at.string("ContentId").value_or("");
      x.content_description = at.string("ContentDescription").value_or("");
      if (auto d = at.string("ContentDisposition")) {
        if (*d == "INLINE")
          x.disposition = AttachmentDisposition::inline_;
        else if (*d != "ATTACHMENT")
          throw ApiError::validation(at.path("ContentDisposition"),
                                     "Member must satisfy enum value set: [ATTACHMENT, INLINE]");
      }
      if (auto e = at.string("ContentTransferEncoding")) {
        if (*e == "QUOTED_PRINTABLE")
          x.transfer_encoding = AttachmentTransferEncoding::quoted_printable;
        else if (*e == "SEVEN_BIT")
          x.transfer_encoding = AttachmentTransferEncoding::seven_bit;
        else if (*e != "BASE64")
          throw ApiError::validation(
              at.path("ContentTransferEncoding"),
              "Member must satisfy enum value set: [BASE64, QUOTED_PRINTABLE, SEVEN_BIT]");
      }
      out.push_back(std::move(x));
    }
  }
  return out;
}

TemplateRef parse_template(const JsonFields& f) {
  TemplateRef t;
  t.name = f.string("TemplateName");
  t.arn = f.string("TemplateArn");
  if (const json::object* c = f.object("TemplateContent")) {
    JsonFields cf = f.nested("TemplateContent", *c);
    t.content = TemplateContent{cf.string("Subject"), cf.string("Text"), cf.string("Html")};
  }
  t.data = f.string("TemplateData");
  t.headers = parse_headers(f, "Headers");
  t.attachments = parse_attachments(f);
  return t;
}

std::optional<std::string> content_data(const JsonFields& f, std::string_view name) {
  const json::object* o = f.object(name);
  if (!o)
    return std::nullopt;
  return f.nested(name, *o).required_string("Data");
}

}  // namespace

SendEmailRequest parse_send_email(const json::object& body) {
  JsonFields f(body);
  SendEmailRequest r;
  r.from = f.string("FromEmailAddress");
  r.destination = parse_destination(f, &r.destination_json);
  r.reply_to = string_list(f, "ReplyToAddresses");
  r.email_tags = parse_message_tags(f, "EmailTags");
  r.configuration_set = f.string("ConfigurationSetName");
  r.feedback_forwarding_address = f.string("FeedbackForwardingEmailAddress");
  if (const json::object* lm = f.object("ListManagementOptions")) {
    JsonFields l = f.nested("ListManagementOptions", *lm);
    r.list_management =
        ListManagementOptions{l.required_string("ContactListName"), l.string("TopicName")};
  }
  const json::object* content = f.object("Content");
  if (!content)
    throw ApiError::missing_field("content");
  JsonFields c = f.nested("Content", *content);
  const json::object* simple = c.object("Simple");
  const json::object* raw = c.object("Raw");
  const json::object* tmpl = c.object("Template");
  if ((simple ? 1 : 0) + (raw ? 1 : 0) + (tmpl ? 1 : 0) != 1)
    throw ApiError::bad_request("Content must contain exactly one of Simple, Raw or Template.");
  if (simple) {
    r.kind = ContentKind::Simple;
    JsonFields s = c.nested("Simple", *simple);
    const json::object* subject = s.object("Subject");
    if (!subject)
      throw ApiError::missing_field(s.path("Subject"));
    r.subject = s.nested("Subject", *subject).required_string("Data");
    const json::object* b = s.object("Body");
    if (!b)
      throw ApiError::missing_field(s.path("Body"));
    JsonFields body_fields = s.nested("Body", *b);
    r.text = content_data(body_fields, "Text");
    r.html = content_data(body_fields, "Html");
    r.headers = parse_headers(s, "Headers");
    r.attachments = parse_attachments(s);
  } else if (raw) {
    r.kind = ContentKind::Raw;
    JsonFields rf = c.nested("Raw", *raw);
    auto decoded = decode_base64(rf.required_string("Data"));
    if (!decoded)
      throw ApiError::bad_request("Raw message data is not valid base64.");
    r.raw_data = std::move(*decoded);
  } else {
    r.kind = ContentKind::Template;
    r.template_ref = parse_template(c.nested("Template", *tmpl));
  }
  return r;
}

SendBulkEmailRequest parse_send_bulk_email(const json::object& body) {
  JsonFields f(body);
  SendBulkEmailRequest r;
  r.from = f.string("FromEmailAddress");
  r.reply_to = string_list(f, "ReplyToAddresses");
  r.default_tags = parse_message_tags(f, "DefaultEmailTags");
  r.configuration_set = f.string("ConfigurationSetName");
  r.feedback_forwarding_address = f.string("FeedbackForwardingEmailAddress");
  const json::object* dc = f.object("DefaultContent");
  if (!dc)
    throw ApiError::missing_field("defaultContent");
  JsonFields d = f.nested("DefaultContent", *dc);
  const json::object* t = d.object("Template");
  if (!t)
    throw ApiError::missing_field(d.path("Template"));
  r.default_template = parse_template(d.nested("Template", *t));
  const json::array* entries = f.array("BulkEmailEntries");
  if (!entries)
    throw ApiError::missing_field("bulkEmailEntries");
  for (const auto& v : *entries) {
    if (!v.is_object())
      throw ApiError::validation(f.path("BulkEmailEntries"), "Member must be a BulkEmailEntry");
    JsonFields e = f.nested("BulkEmailEntries", v.as_object());
    BulkEntry entry;
    auto dest = parse_destination(e, &entry.destination_json);
    if (!dest)
      throw ApiError::missing_field(e.path("Destination"));
    entry.destination = *dest;
    entry.replacement_tags = parse_message_tags(e, "ReplacementTags");
    entry.replacement_headers = parse_headers(e, "ReplacementHeaders");
    if (const json::object* rc = e.object("ReplacementEmailContent")) {
      JsonFields rcf = e.nested("ReplacementEmailContent", *rc);
      if (const json::object* rt = rcf.object("ReplacementTemplate"))
        entry.replacement_template_data =
            rcf.nested("ReplacementTemplate", *rt).string("ReplacementTemplateData");
    }
    r.entries.push_back(std::move(entry));
  }
  return r;
}

json::object bulk_results_to_json(const std::vector<BulkEntryResult>& results) {
  json::array a;
  for (const auto& r : results) {
    json::object o{{"Status", r.status}};
    if (r.error)
      o["Error"] = *r.error;
    if (r.message_id)
      o["MessageId"] = *r.message_id;
    a.push_back(std::move(o));
  }
  return json::object{{"BulkEmailEntryResults", std::move(a)}};
}

json::object event_to_json(const MessageEvent& e) {
  json::object o{{"Timestamp", e.timestamp}, {"Type", e.type}};
  json::object details;
  if (e.bounce_type) {
    json::object b{{"BounceType", *e.bounce_type}};
    if (e.bounce_sub_type)
      b["BounceSubType"] = *e.bounce_sub_type;
    if (e.diagnostic_code)
      b["DiagnosticCode"] = *e.diagnostic_code;
    details["Bounce"] = std::move(b);
  }
  if (e.complaint_feedback_type || e.complaint_sub_type) {
    json::object c;
    if (e.complaint_sub_type)
      c["ComplaintSubType"] = *e.complaint_sub_type;
    if (e.complaint_feedback_type)
      c["ComplaintFeedbackType"] = *e.complaint_feedback_type;
    details["Complaint"] = std::move(c);
  }
  if (!details.empty())
    o["Details"] = std::move(details);
  return o;
}

json::object message_insights_to_json(const StoredMessage& m) {
  json::array tags;
  for (const auto& t : m.tags)
    tags.push_back(json::object{{"Name", t.key}, {"Value", t.value}});
  json::array insights;
  for (const auto& r : m.recipients) {
    json::array events;
    for (const auto& e : r.events)
      events.push_back(event_to_json(e));
    insights.push_back(json::object{
        {"Destination", r.address}, {"Isp", isp_of(r.address)}, {"Events", std::move(events)}});
  }
  json::object o{{"MessageId", m.message_id}, {"FromEmailAddress", address_part(m.source)}};
  if (!m.subject.empty())
    o["Subject"] = m.subject;
  o["EmailTags"] = std::move(tags);
  o["Insights"] = std::move(insights);
  return o;
}

}  // namespace sesv2mock::api
