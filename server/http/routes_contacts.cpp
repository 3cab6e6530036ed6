#include "server/http/router.hpp"

namespace sesv2mock::http {

// Contact lists and contacts (SPEC §2).
void register_contact_routes(Router&) {}

}  // namespace sesv2mock::http
