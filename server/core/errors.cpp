#include "server/core/errors.hpp"

#include <string_view>
#include <utility>

namespace sesv2mock {
namespace {

struct ErrorCode {
  std::string_view code;
  unsigned status;
};

// Every error code and its HTTP status, in this one place. SES answers most client errors
// with 400; the mock's own codes (control API, unknown routes) follow HTTP meaning.
constexpr ErrorCode kErrorTable[] = {
    {"BadRequestException", 400},
    {"NotFoundException", 404},
    {"AlreadyExistsException", 400},
    {"LimitExceededException", 400},
    {"InvalidNextTokenException", 400},
    {"TooManyRequestsException", 429},
    {"ConcurrentModificationException", 500},
    {"InternalServiceErrorException", 500},
    {"AccountSuspendedException", 400},
    {"SendingPausedException", 400},
    {"ServiceUnavailable", 503},
    {"ThrottlingException", 400},
    {"ConflictException", 409},
    {"NotImplementedException", 501},
    {"UnknownOperationException", 404},
};

constexpr unsigned kUnknownCodeStatus = 400;

}  // namespace

unsigned status_of_error_code(const std::string& code) {
  for (const auto& entry : kErrorTable) {
    if (entry.code == code)
      return entry.status;
  }
  return kUnknownCodeStatus;
}

ApiError::ApiError(std::string code, unsigned status, std::string message)
    : std::runtime_error(message),
      code_(std::move(code)),
      status_(status),
      message_(std::move(message)) {}

ApiError::ApiError(std::string code, std::string message)
    : ApiError(code, status_of_error_code(code), std::move(message)) {}

ApiError ApiError::bad_request(std::string message) {
  return {"BadRequestException", std::move(message)};
}
ApiError ApiError::not_found(std::string message) {
  return {"NotFoundException", std::move(message)};
}
ApiError ApiError::already_exists(std::string message) {
  return {"AlreadyExistsException", std::move(message)};
}
ApiError ApiError::limit_exceeded(std::string message) {
  return {"LimitExceededException", std::move(message)};
}
ApiError ApiError::invalid_next_token(std::string message) {
  return {"InvalidNextTokenException", std::move(message)};
}
ApiError ApiError::conflict(std::string message) {
  return {"ConflictException", std::move(message)};
}
ApiError ApiError::internal(std::string message) {
  return {"InternalServiceErrorException", std::move(message)};
}
ApiError ApiError::not_implemented(std::string message) {
  return {"NotImplementedException", std::move(message)};
}
ApiError ApiError::unknown_operation(std::string message) {
  return {"UnknownOperationException", std::move(message)};
}

ApiError ApiError::validation(const std::string& field, const std::string& constraint) {
  ApiError error = bad_request("1 validation error detected: Value at '" + field +
                               "' failed to satisfy constraint: " + constraint);
  error.field_ = field;
  return error;
}

ApiError ApiError::missing_field(const std::string& field) {
  return validation(field, "Member must not be null");
}

}  // namespace sesv2mock
