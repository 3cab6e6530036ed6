#pragma once
// Every SES v2 operation of the model (implemented here or not), so the router can answer
// an unimplemented one with 501 and its name, and fault injection can refuse misspelt names.
#include <span>
#include <string_view>

namespace sesv2mock::api {

struct Sesv2Operation {
  const char* method;
  const char* path;  // template, e.g. "/v2/email/import-jobs/{JobId}"
  const char* name;
};

std::span<const Sesv2Operation> sesv2_operations();

// True for the name of any SES v2 operation.
bool is_sesv2_operation(std::string_view name);

}  // namespace sesv2mock::api
