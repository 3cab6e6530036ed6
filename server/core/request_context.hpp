#pragma once
// Who is asking, and the query string of the request: what every operation may look at
// besides its typed input. Filled by the router from the HTTP request.
#include <string>
#include <utility>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

// The partition comes from the SigV4 credential scope; the Host the client used is kept for
// URLs handed back (such as the failed-records download).
struct RequestContext {
  Partition partition;
  std::string host;
  std::string request_id;
};

// Decoded query parameters in order (a name may repeat, e.g. Reason=BOUNCE&Reason=COMPLAINT).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

}  // namespace sesv2mock
