#pragma once
// The one error type of the service. Anything below the HTTP layer throws ApiError;
// the router turns it into status + x-amzn-ErrorType + {"message"} in one place.
#include <stdexcept>
#include <string>

namespace sesv2mock {

class ApiError : public std::runtime_error {
 public:
  ApiError(std::string code, unsigned status, std::string message);

  const std::string& code() const { return code_; }
  unsigned status() const { return status_; }
  const std::string& message() const { return message_; }
  // For validation errors: the path of the offending field ("" otherwise).
  const std::string& field() const { return field_; }

  static ApiError bad_request(std::string message);
  static ApiError not_found(std::string message);
  static ApiError already_exists(std::string message);
  static ApiError limit_exceeded(std::string message);
  static ApiError conflict(std::string message);  // control API: illegal state change
  static ApiError internal(std::string message);

  // "1 validation error detected: Value at 'field' failed to satisfy constraint: ..."
  static ApiError validation(const std::string& field, const std::string& constraint);
  // Same wording AWS uses when a required member is missing.
  static ApiError missing_field(const std::string& field);

 private:
  std::string code_;
  unsigned status_;
  std::string message_;
  std::string field_;
};

// Status of an AWS error code this server may answer with (400 for unknown codes).
unsigned status_of_error_code(const std::string& code);

}  // namespace sesv2mock
