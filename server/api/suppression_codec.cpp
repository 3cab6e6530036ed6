#include "server/api/suppression_codec.hpp"

#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {
constexpr const char* kReasons = "Member must satisfy enum value set: [BOUNCE, COMPLAINT]";
}

std::pair<std::string, SuppressionReason> parse_put_suppressed_destination(
    const json::object& body) {
  JsonFields f(body);
  std::string email = f.required_string("EmailAddress");
  auto reason = parse_suppression_reason(f.required_string("Reason"));
  if (!reason)
    throw ApiError::validation(f.path("Reason"), kReasons);
  return {email, *reason};
}

ListSuppressedDestinationsRequest parse_list_suppressed_destinations(const QueryParams& query) {
  ListSuppressedDestinationsRequest r;
  for (const auto& [name, value] : query) {
    if (name == "Reason") {
      auto reason = parse_suppression_reason(value);
      if (!reason)
        throw ApiError::validation("reasons", kReasons);
      r.reasons.push_back(*reason);
    } else if (name == "StartDate" || name == "EndDate") {
      auto t = parse_timestamp_text(value);
      if (!t) {
        throw ApiError::validation(name == "StartDate" ? "startDate" : "endDate",
                                   "Member must be a timestamp");
      }
      (name == "StartDate" ? r.start_date : r.end_date) = *t;
    }
  }
  apply_paging_query(query, r.paging.page_size, r.paging.next_token);
  return r;
}

json::object suppressed_destination_to_json(const SuppressedDestination& d) {
  return {{"EmailAddress", d.email_address},
          {"Reason", to_string(d.reason)},
          {"LastUpdateTime", d.last_update_time}};
}

json::object list_suppressed_destinations_to_json(const ListSuppressedDestinationsResult& r) {
  json::array items;
  for (const auto& d : r.rows)
    items.push_back(suppressed_destination_to_json(d));
  json::object out{{"SuppressedDestinationSummaries", std::move(items)}};
  if (r.next_token)
    out["NextToken"] = *r.next_token;
  return out;
}

}  // namespace sesv2mock
