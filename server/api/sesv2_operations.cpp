#include "server/api/sesv2_operations.hpp"

namespace sesv2mock::api {
namespace {

constexpr Sesv2Operation kSesV2Operations[] = {
#include "server/api/sesv2_operations.inc"
};

}  // namespace

std::span<const Sesv2Operation> sesv2_operations() {
  return kSesV2Operations;
}

bool is_sesv2_operation(std::string_view name) {
  for (const auto& op : kSesV2Operations) {
    if (name == op.name)
      return true;
  }
  return false;
}

}  // namespace sesv2mock::api
