#pragma once
// The one error type of the service. Anything below the HTTP layer throws ApiError; the
// router turns it into status + x-amzn-ErrorType + {"message"} in one place. Every code
// this server answers with has its HTTP status in one table (errors.cpp).
#include <stdexcept>
#include <string>

namespace sesv2mock {

class ApiError : public std::runtime_error {
 public:
  // The status comes from the error table (400 for a code it does not list).
  ApiError(std::string code, std::string message);
  // An explicit status: injected faults and the HTTP server's own transport errors.
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
  static ApiError invalid_next_token(std::string message);
  static ApiError conflict(std::string message);  // control API: illegal state change
  static ApiError internal(std::string message);
  static ApiError not_implemented(std::string message);
  static ApiError unknown_operation(std::string message);

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
