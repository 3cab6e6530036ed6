#include "server/core/errors.hpp"

#include <array>
#include <utility>

namespace sesv2mock {

ApiError::ApiError(std::string code, unsigned status, std::string message)
    : std::runtime_error(message),
      code_(std::move(code)),
      status_(status),
      message_(std::move(message)) {}

ApiError ApiError::bad_request(std::string message) {
  return {"BadRequestException", 400, std::move(message)};
}
ApiError ApiError::not_found(std::string message) {
  return {"NotFoundException", 404, std::move(message)};
}
ApiError ApiError::already_exists(std::string message) {
  return {"AlreadyExistsException", 400, std::move(message)};
}
ApiError ApiError::limit_exceeded(std::string message) {
  return {"LimitExceededException", 400, std::move(message)};
}
ApiError ApiError::conflict(std::string message) {
  return {"ConflictException", 409, std::move(message)};
}
ApiError ApiError::internal(std::string message) {
  return {"InternalServiceErrorException", 500, std::move(message)};
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

unsigned status_of_error_code(const std::string& code) {
  static const std::array<std::pair<const char*, unsigned>, 12> kStatuses{{
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
  }};
  for (const auto& [name, status] : kStatuses) {
    if (code == name) return status;
  }
  return 400;
}

}  // namespace sesv2mock
