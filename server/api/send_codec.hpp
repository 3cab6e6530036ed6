#pragma once
// JSON of SendEmail and SendBulkEmail requests (model shapes SendEmailRequest,
// SendBulkEmailRequest) and of the stored-message views (GetMessageInsights).
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "server/core/captured_message.hpp"
#include "server/sending/send_service.hpp"

namespace sesv2mock::api {

SendEmailRequest parse_send_email(const boost::json::object& body);
SendBulkEmailRequest parse_send_bulk_email(const boost::json::object& body);
boost::json::object bulk_results_to_json(const std::vector<BulkEntryResult>& results);
boost::json::object message_insights_to_json(const StoredMessage& m);
// InsightsEvent {Timestamp, Type, Details}.
boost::json::object event_to_json(const MessageEvent& e);

// Strict base64 (whitespace ignored); nullopt when malformed.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace sesv2mock::api
