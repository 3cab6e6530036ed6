#pragma once
// Request ids (x-amzn-RequestId): random version-4 UUIDs from a per-thread generator seeded
// once from the OS, so a request costs no system call (getrandom per id showed in profiles).
#include <string>

namespace sesv2mock::http {

std::string next_request_id();

}  // namespace sesv2mock::http
