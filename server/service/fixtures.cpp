#include "server/service/fixtures.hpp"

#include "server/service/errors.hpp"

namespace sesv2mock {

std::string load_fixture(Services&, const boost::json::value&) {
  throw ApiError::bad_request("Fixtures are not supported yet.");
}

std::string load_fixture_path(Services&, const std::string& path) {
  throw ApiError::bad_request("Fixtures are not supported yet: " + path);
}

}  // namespace sesv2mock
