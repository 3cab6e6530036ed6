#include "server/api/inspector_api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "server/api/contact_codec.hpp"
#include "server/api/import_job_codec.hpp"
#include "server/api/suppression_codec.hpp"
#include "server/core/json_fields.hpp"
#include "server/sending/mime_message.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

namespace {

constexpr std::size_t kAccountIdLength = 12;
constexpr std::size_t kMaxRegionLength = 32;
constexpr std::size_t kMaxSearchLength = 320;  // longest e-mail address

bool is_account_id(const std::string& s) {
  return s.size() == kAccountIdLength &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "us-east-1", "eu-central-2", "us-gov-west-1": lower-case letters, digits and dashes.
bool is_region_name(const std::string& s) {
  return !s.empty() && s.size() <= kMaxRegionLength && std::isalpha((unsigned char)s.front()) &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::islower(c) || std::isdigit(c) || c == '-';
         });
}

std::optional<std::string> query_value(const QueryParams& q, std::string_view name) {
  for (const auto& [k, v] : q) {
    if (k == name)
      return v;
  }
  return std::nullopt;
}

std::optional<bool> query_flag(const QueryParams& q, std::string_view name) {
  auto v = query_value(q, name);
  if (!v)
    return std::nullopt;
  if (*v == "true")
    return true;
  if (*v == "false")
    return false;
  throw ApiError::validation(std::string(name), "Member must be true or false");
}

RequestContext context_of(const ApiRequest& r) {
  RequestContext ctx = r.context;
  ctx.partition = partition_of_query(r.query);
  return ctx;
}

std::string html_part_of(const StoredMessage& m) {
  if (m.raw_mime.empty())
    return {};
  try {
    return parse_mime_message(m.raw_mime).html_part.value_or("");
  } catch (const MimeError&) {
    return {};
  }
}

}  // namespace

std::optional<Partition> optional_partition_of_query(const QueryParams& query) {
  if (!query_value(query, "account") && !query_value(query, "region"))
    return std::nullopt;
  return partition_of_query(query);
}

Partition partition_of_query(const QueryParams& query) {
  Partition p;
  if (auto account = query_value(query, "account"))
    p.account = *account;
  if (auto region = query_value(query, "region"))
    p.region = *region;
  if (!is_account_id(p.account)) {
    throw ApiError::validation("account", "Member must be a 12-digit AWS account id");
  }
  if (!is_region_name(p.region)) {
    throw ApiError::validation("region", "Member must be a region name such as us-east-1");
  }
  return p;
}

// Newest first, each job as GET /_mock/import-jobs/{JobId} answers it (GetImportJob's shape
// plus Account, Region and TotalRecordsCount).
ApiResponse InspectorApi::list_jobs(const ApiRequest& r) {
  RequestContext ctx = context_of(r);
  ListImportJobsRequest request;
  if (auto type = query_value(r.query, "ImportDestinationType")) {
    request.destination_type = parse_destination_type(*type);
    if (!request.destination_type) {
      throw ApiError::validation("importDestinationType",
                                 "Member must satisfy enum value set: [SUPPRESSION_LIST, "
                                 "CONTACT_LIST]");
    }
  }
  apply_paging_query(r.query, request.paging.page_size, request.paging.next_token);
  auto page = jobs_.list(ctx, request);
  json::array items;
  for (const auto& job : page.rows) {
    std::string url = job.failed_records > 0 ? failed_records_url(ctx, job.job_id) : "";
    items.push_back(mock_import_job_to_json(job, url));
  }
  json::object out{{"ImportJobs", std::move(items)}};
  if (page.next_token)
    out["NextToken"] = *page.next_token;
  return json_response(std::move(out));
}

// ListSuppressedDestinations' query (Reason, StartDate, EndDate, PageSize, NextToken) plus
// Search, a part of the address.
ApiResponse InspectorApi::list_suppressed(const ApiRequest& r) {
  RequestContext ctx = context_of(r);
  auto request = parse_list_suppressed_destinations(r.query);
  request.contains = query_value(r.query, "Search").value_or("");
  if (request.contains.size() > kMaxSearchLength) {
    throw ApiError::validation("Search", "Member must have length less than or equal to 320");
  }
  return json_response(list_suppressed_destinations_to_json(suppression_.list(ctx, request)));
}

// ListContactLists, each list in GetContactList's shape (with its topics).
ApiResponse InspectorApi::list_contact_lists(const ApiRequest& r) {
  RequestContext ctx = context_of(r);
  auto page = contacts_.list_lists(ctx, parse_list_contact_lists(r.query));
  json::array items;
  for (const auto& list : page.rows)
    items.push_back(contact_list_to_json(list));
  json::object out{{"ContactLists", std::move(items)}};
  if (page.next_token)
    out["NextToken"] = *page.next_token;
  return json_response(std::move(out));
}

// ListContacts with its filter as query members: FilteredStatus, TopicName,
// UseDefaultIfPreferenceUnavailable.
ApiResponse InspectorApi::list_contacts(const ApiRequest& r) {
  RequestContext ctx = context_of(r);
  ListContactsRequest request;
  request.contact_list_name = r.label("ContactListName");
  if (auto status = query_value(r.query, "FilteredStatus")) {
    request.filter.filtered_status = parse_subscription_status(*status);
    if (!request.filter.filtered_status) {
      throw ApiError::validation("filteredStatus",
                                 "Member must satisfy enum value set: [OPT_IN, OPT_OUT]");
    }
  }
  if (auto topic = query_value(r.query, "TopicName"); topic && !topic->empty()) {
    request.filter.topic_filter = TopicFilter{
        *topic, query_flag(r.query, "UseDefaultIfPreferenceUnavailable").value_or(false)};
  }
  apply_paging_query(r.query, request.paging.page_size, request.paging.next_token);
  return json_response(list_contacts_to_json(contacts_.list_contacts(ctx, request)));
}

// The HTML part alone, for the inspector's sandboxed preview frame.
ApiResponse InspectorApi::message_html(const ApiRequest& r) {
  const std::string& id = r.label("MessageId");
  auto m = messages_.find(id);
  if (!m)
    throw ApiError::not_found("Message " + id + " does not exist.");
  ApiResponse out;
  out.content_type = "text/html; charset=utf-8";
  out.body = html_part_of(*m);
  out.headers = {{"Content-Security-Policy", kMailHtmlContentSecurityPolicy},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"},
                 {"Cache-Control", "no-store"}};
  return out;
}

RouteTable InspectorApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const char* op = kControlOperation;
  return {
      {"GET", "/_mock/import-jobs", op, bind(&InspectorApi::list_jobs)},
      {"GET", "/_mock/suppressed-destinations", op, bind(&InspectorApi::list_suppressed)},
      {"GET", "/_mock/contact-lists", op, bind(&InspectorApi::list_contact_lists)},
      {"GET", "/_mock/contact-lists/{ContactListName}/contacts", op,
       bind(&InspectorApi::list_contacts)},
      {"GET", "/_mock/messages/{MessageId}/html", op, bind(&InspectorApi::message_html)},
  };
}

}  // namespace sesv2mock::api
