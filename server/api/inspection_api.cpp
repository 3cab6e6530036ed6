#include "server/api/inspection_api.hpp"

#include <boost/json.hpp>

#include <strings.h>

#include <ctime>

#include "server/api/inspector_api.hpp"
#include "server/api/send_codec.hpp"
#include "server/core/json_fields.hpp"
#include "server/sending/mime_message.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

std::string localstack_timestamp(double epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

namespace {

std::optional<std::string> query_value(const QueryParams& q, std::string_view name) {
  for (const auto& [k, v] : q)
    if (k == name && !v.empty())
      return v;  // "?id=" counts as absent (LocalStack)
  return std::nullopt;
}

// A single-part message we built ends its body with the line end the MIME writer adds;
// the body as sent has none.
void drop_written_line_end(const StoredMessage& m, ParsedMessage& parsed) {
  if (m.kind == "RAW")
    return;
  for (const auto& h : parsed.headers) {
    if (strcasecmp(h.name.c_str(), "Content-Type") == 0 &&
        strncasecmp(h.value.c_str(), "multipart/", 10) == 0)
      return;
  }
  for (auto* part : {&parsed.text_part, &parsed.html_part}) {
    if (*part && (*part)->ends_with("\r\n"))
      (*part)->resize((*part)->size() - 2);
  }
}

std::optional<ParsedMessage> parsed_of(const StoredMessage& m) {
  if (m.raw_mime.empty())
    return std::nullopt;  // a rendering failure has no MIME
  try {
    auto parsed = parse_mime_message(m.raw_mime);
    drop_written_line_end(m, parsed);
    return parsed;
  } catch (const MimeError&) {
    return std::nullopt;
  }
}

json::value optional_text(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

// One entry of LocalStack's {"messages": [...]}, in its key order; every message has Subject
// and Body (parsed from the MIME), templated sends add Template/TemplateData, raw ones RawData.
json::object aws_ses_entry(const StoredMessage& m) {
  auto parsed = parsed_of(m);
  json::object o;
  o["Id"] = m.message_id;
  o["Region"] = m.partition.region;
  if (m.destination_json) {
    boost::system::error_code ec;
    auto d = json::parse(*m.destination_json, ec);
    if (!ec)
      o["Destination"] = std::move(d);
  }
  o["Source"] = m.source;
  o["Subject"] = parsed ? parsed->subject : m.subject;
  o["Body"] = json::object{{"text_part", optional_text(parsed ? parsed->text_part : std::nullopt)},
                           {"html_part", optional_text(parsed ? parsed->html_part : std::nullopt)}};
  if (m.kind == "TEMPLATE") {
    if (m.template_name)
      o["Template"] = *m.template_name;
    o["TemplateData"] = m.template_data.value_or("{}");
  }
  if (m.kind == "RAW")
    o["RawData"] = m.raw_mime;
  o["Timestamp"] = localstack_timestamp(m.created_timestamp);
  return o;
}

json::array recipients_json(const StoredMessage& m, bool with_events) {
  json::array a;
  for (const auto& r : m.recipients) {
    json::object o{{"Address", r.address}, {"Kind", r.kind}, {"Fate", r.fate}};
    if (with_events) {
      json::array events;
      for (const auto& e : r.events)
        events.push_back(event_to_json(e));
      o["Events"] = std::move(events);
    }
    a.push_back(std::move(o));
  }
  return a;
}

json::object summary_json(const StoredMessage& m) {
  return json::object{{"MessageId", m.message_id},
                      {"Account", m.partition.account},
                      {"Region", m.partition.region},
                      {"Kind", m.kind},
                      {"Source", m.source},
                      {"Subject", m.subject},
                      {"Timestamp", m.created_timestamp},
                      {"Recipients", recipients_json(m, false)}};
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

ApiResponse html_page(const std::string& body) {
  ApiResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head><body>" +
      body + "</body></html>";
  return r;
}

}  // namespace

StoredMessage InspectionApi::find_or_throw(const std::string& id) {
  auto m = messages_.find(id);
  if (!m)
    throw ApiError::not_found("Message " + id + " does not exist.");
  return *m;
}

ApiResponse InspectionApi::aws_ses_list(const ApiRequest& r) {
  MessageQuery q;
  q.message_id = query_value(r.query, "id");
  q.source = query_value(r.query, "email");
  q.limit = InspectionLimits::kAwsSesMaxMessages;
  json::array out;
  for (const auto& m : messages_.list(q))
    out.push_back(aws_ses_entry(m));
  return json_response(json::object{{"messages", std::move(out)}});
}

// 204 as LocalStack; an unknown id is a 404 (LocalStack answers 500 there).
ApiResponse InspectionApi::aws_ses_delete(const ApiRequest& r) {
  if (auto id = query_value(r.query, "id")) {
    if (!messages_.erase(*id))
      throw ApiError::not_found("Message " + *id + " does not exist.");
  } else {
    messages_.erase_all();
  }
  ApiResponse res;
  res.status = 204;
  return res;
}

ApiResponse InspectionApi::list(const ApiRequest& r) {
  PageRequest paging;
  apply_paging_query(r.query, paging.page_size, paging.next_token);
  MessageQuery q;
  q.recipient = query_value(r.query, "recipient");
  q.source = query_value(r.query, "sender");
  q.subject = query_value(r.query, "subject");
  q.fate = query_value(r.query, "fate");
  q.with_raw = false;
  // ?account=&region= (the inspector) narrows to one partition; without them, every one.
  auto partition = optional_partition_of_query(r.query);
  q.partition = partition ? &*partition : nullptr;
  const std::string scope = "_mock/messages|" +
                            (partition ? partition->account + "/" + partition->region : "") + "|" +
                            q.recipient.value_or("") + "|" + q.source.value_or("") + "|" +
                            q.subject.value_or("") + "|" + q.fate.value_or("");
  auto page = pager_.page(
      scope, InspectionLimits::kMessages, paging,
      [&](const std::optional<std::string>& after, int limit) {
        q.after_seq = after ? std::stoll(*after) : 0;
        q.limit = limit;
        return messages_.list(q);
      },
      [](const StoredMessage& m) { return std::to_string(m.seq); });
  json::array items;
  for (const auto& m : page.rows)
    items.push_back(summary_json(m));
  json::object out{{"Messages", std::move(items)}};
  if (page.next_token)
    out["NextToken"] = *page.next_token;
  return json_response(std::move(out));
}

ApiResponse InspectionApi::get(const ApiRequest& r) {
  auto m = find_or_throw(r.label("MessageId"));
  json::object o = summary_json(m);
  o["Recipients"] = recipients_json(m, true);
  auto parsed = parsed_of(m);
  json::array headers, attachments;
  if (parsed) {
    for (const auto& h : parsed->headers)
      headers.push_back(json::object{{"Name", h.name}, {"Value", h.value}});
    for (const auto& a : parsed->attachments)
      attachments.push_back(json::object{{"FileName", a.file_name},
                                         {"ContentType", a.content_type},
                                         {"ContentId", a.content_id},
                                         {"Disposition", a.disposition},
                                         {"Size", a.size()}});
  }
  o["Headers"] = std::move(headers);
  o["Text"] = optional_text(parsed ? parsed->text_part : std::nullopt);
  o["Html"] = optional_text(parsed ? parsed->html_part : std::nullopt);
  o["Attachments"] = std::move(attachments);
  if (m.template_name)
    o["Template"] = *m.template_name;
  if (m.template_data)
    o["TemplateData"] = *m.template_data;
  if (m.configuration_set)
    o["ConfigurationSetName"] = *m.configuration_set;
  if (m.list_name)
    o["ContactListName"] = *m.list_name;
  if (m.topic_name)
    o["TopicName"] = *m.topic_name;
  json::array tags;
  for (const auto& t : m.tags)
    tags.push_back(json::object{{"Name", t.key}, {"Value", t.value}});
  o["EmailTags"] = std::move(tags);
  return json_response(std::move(o));
}

ApiResponse InspectionApi::raw(const ApiRequest& r) {
  auto m = find_or_throw(r.label("MessageId"));
  ApiResponse res;
  res.content_type = "message/rfc822";
  res.body = m.raw_mime;
  return res;
}

// Body {"Destination", "Type", "Timestamp"?}; answers with the message as GET
// /_mock/messages/{id} shows it.
ApiResponse InspectionApi::add_event(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  JsonFields f(body);
  const std::string destination = f.required_string("Destination");
  const std::string type = f.required_string("Type");
  const double at = f.timestamp("Timestamp").value_or(now_epoch_seconds());
  messages_.add_event(r.label("MessageId"), destination, type, at);
  return get(r);
}

UnsubscribeTarget InspectionApi::target_or_throw(const ApiRequest& r) {
  auto target = links_.decode(r.label("Token"));
  if (!target)
    throw ApiError::not_found("This unsubscribe link is not valid (or the mock was reset).");
  return *target;
}

ApiResponse InspectionApi::unsubscribe_page(const ApiRequest& r) {
  auto t = target_or_throw(r);
  std::string what = t.topic ? "topic " + html_escape(*t.topic) + " of " : "";
  return html_page("<p>Unsubscribe " + html_escape(t.email) + " from " + what + "contact list " +
                   html_escape(t.list_name) +
                   "?</p><form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
                   "value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>");
}

// RFC 8058 one-click: a POST (body "List-Unsubscribe=One-Click") unsubscribes at once.
ApiResponse InspectionApi::unsubscribe(const ApiRequest& r) {
  auto t = target_or_throw(r);
  if (!links_.unsubscribe(t))
    throw ApiError::not_found("Contact " + t.email + " is no longer in list " + t.list_name + ".");
  return html_page("<p>" + html_escape(t.email) + " is unsubscribed.</p>");
}

RouteTable InspectionApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const std::string messages = "/_mock/messages";
  return {
      {"GET", "/_aws/ses", kControlOperation, bind(&InspectionApi::aws_ses_list)},
      {"DELETE", "/_aws/ses", kControlOperation, bind(&InspectionApi::aws_ses_delete)},
      {"GET", messages, kControlOperation, bind(&InspectionApi::list)},
      {"GET", messages + "/{MessageId}", kControlOperation, bind(&InspectionApi::get)},
      {"GET", messages + "/{MessageId}/raw", kControlOperation, bind(&InspectionApi::raw)},
      {"POST", messages + "/{MessageId}/events", kControlOperation,
       bind(&InspectionApi::add_event)},
      {"GET", "/_mock/unsubscribe/{Token}", kControlOperation,
       bind(&InspectionApi::unsubscribe_page)},
      {"POST", "/_mock/unsubscribe/{Token}", kControlOperation, bind(&InspectionApi::unsubscribe)},
  };
}

}  // namespace sesv2mock::api
