#include "server/suppression/suppression_service.hpp"

#include <charconv>

#include "server/core/email_address.hpp"
#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

std::string normalized_or_throw(const std::string& raw, const char* field) {
  std::string why;
  auto email = normalize_email_address(raw, &why);
  if (!email) throw ApiError::bad_request("Invalid " + std::string(field) + ": " + why);
  return *email;
}

std::string list_scope(const RequestContext& ctx, const ListSuppressedDestinationsRequest& r) {
  std::string scope = "ListSuppressedDestinations|" + ctx.partition.account + "|" +
                      ctx.partition.region + "|";
  for (auto reason : r.reasons) scope += std::string(to_string(reason)) + ",";
  scope += "|" + (r.start_date ? std::to_string(*r.start_date) : "") + "|" +
           (r.end_date ? std::to_string(*r.end_date) : "");
  return scope;
}

}  // namespace

void put_suppressed_destination(Services& s, const RequestContext& ctx,
                                const std::string& email_address, SuppressionReason reason) {
  s.suppression.put(ctx.partition,
                    {normalized_or_throw(email_address, "EmailAddress"), reason, now_epoch_seconds()});
}

SuppressedDestination get_suppressed_destination(Services& s, const RequestContext& ctx,
                                                 const std::string& email_address) {
  std::string email = normalize_email_address(email_address).value_or(email_address);
  auto found = s.suppression.find(ctx.partition, email);
  if (!found) throw ApiError::not_found("Email address " + email_address + " does not exist on your suppression list.");
  return *found;
}

void delete_suppressed_destination(Services& s, const RequestContext& ctx,
                                   const std::string& email_address) {
  std::string email = normalize_email_address(email_address).value_or(email_address);
  if (!s.suppression.erase(ctx.partition, email)) {
    throw ApiError::not_found("Email address " + email_address + " does not exist on your suppression list.");
  }
}

ListSuppressedDestinationsResult list_suppressed_destinations(
    Services& s, const RequestContext& ctx, const ListSuppressedDestinationsRequest& request) {
  std::int64_t page_size = request.page_size.value_or(Limits::kDefaultSuppressionPageSize);
  if (page_size < Limits::kMinPageSize || page_size > Limits::kMaxSuppressionPageSize) {
    throw ApiError::validation("pageSize", "Member must be between 1 and 1000");
  }
  storage::SuppressionQuery q;
  q.reasons = request.reasons;
  q.start_date = request.start_date;
  q.end_date = request.end_date;
  q.limit = static_cast<int>(page_size) + 1;
  const std::string scope = list_scope(ctx, request);
  if (request.next_token) {
    auto position = s.tokens.decode(scope, *request.next_token);
    if (!position) {
      // The one listing whose model has InvalidNextTokenException.
      throw ApiError("InvalidNextTokenException", 400,
                     "The NextToken is not valid for this listing.");
    }
    q.after_email = *position;
  }
  ListSuppressedDestinationsResult result;
  result.destinations = s.suppression.list(ctx.partition, q);
  if (static_cast<std::int64_t>(result.destinations.size()) > page_size) {
    result.destinations.resize(page_size);
    result.next_token = s.tokens.encode(scope, result.destinations.back().email_address);
  }
  return result;
}

std::pair<std::string, SuppressionReason> parse_put_suppressed_destination(const json::object& body) {
  JsonFields f(body);
  std::string email = f.required_string("EmailAddress");
  std::string reason_text = f.required_string("Reason");
  auto reason = parse_suppression_reason(reason_text);
  if (!reason) {
    throw ApiError::validation(f.path("Reason"), "Member must satisfy enum value set: [BOUNCE, COMPLAINT]");
  }
  return {email, *reason};
}

ListSuppressedDestinationsRequest parse_list_suppressed_destinations(const QueryParams& query) {
  ListSuppressedDestinationsRequest r;
  for (const auto& [name, value] : query) {
    if (name == "Reason") {
      auto reason = parse_suppression_reason(value);
      if (!reason) {
        throw ApiError::validation("reasons", "Member must satisfy enum value set: [BOUNCE, COMPLAINT]");
      }
      r.reasons.push_back(*reason);
    } else if (name == "StartDate" || name == "EndDate") {
      auto t = parse_timestamp_text(value);
      if (!t) throw ApiError::validation(name == "StartDate" ? "startDate" : "endDate", "Member must be a timestamp");
      (name == "StartDate" ? r.start_date : r.end_date) = *t;
    }
  }
  apply_paging_query(query, r.page_size, r.next_token);
  return r;
}

json::object suppressed_destination_to_json(const SuppressedDestination& d) {
  return {{"EmailAddress", d.email_address},
          {"Reason", to_string(d.reason)},
          {"LastUpdateTime", d.last_update_time}};
}

json::object list_suppressed_destinations_to_json(const ListSuppressedDestinationsResult& r) {
  json::array items;
  for (const auto& d : r.destinations) items.push_back(suppressed_destination_to_json(d));
  json::object out{{"SuppressedDestinationSummaries", std::move(items)}};
  if (r.next_token) out["NextToken"] = *r.next_token;
  return out;
}

}  // namespace sesv2mock
