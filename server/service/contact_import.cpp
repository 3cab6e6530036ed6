#include "server/service/import_target.hpp"

namespace sesv2mock {

std::unique_ptr<ImportTarget> make_contact_target(const ImportJob&, storage::Database&) {
  throw JobFailure("Contact list imports are not implemented yet.");
}

}  // namespace sesv2mock
