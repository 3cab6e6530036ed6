// The one error table and the messages kept in core/messages.
#include <doctest/doctest.h>

#include "server/core/errors.hpp"
#include "server/core/messages.hpp"

using namespace sesv2mock;

TEST_CASE("every code has its status in the one table") {
  CHECK(status_of_error_code("BadRequestException") == 400);
  CHECK(status_of_error_code("NotFoundException") == 404);
  CHECK(status_of_error_code("AlreadyExistsException") == 400);
  CHECK(status_of_error_code("LimitExceededException") == 400);
  CHECK(status_of_error_code("InvalidNextTokenException") == 400);
  CHECK(status_of_error_code("TooManyRequestsException") == 429);
  CHECK(status_of_error_code("InternalServiceErrorException") == 500);
  CHECK(status_of_error_code("ServiceUnavailable") == 503);
  CHECK(status_of_error_code("ConflictException") == 409);
  CHECK(status_of_error_code("NotImplementedException") == 501);
  CHECK(status_of_error_code("UnknownOperationException") == 404);
  CHECK(status_of_error_code("SomethingElse") == 400);
  // The named constructors take their status from the table.
  CHECK(ApiError::not_found("x").status() == 404);
  CHECK(ApiError::conflict("x").status() == 409);
  CHECK(ApiError::not_implemented("x").status() == 501);
  CHECK(ApiError("TooManyRequestsException", "slow down").status() == 429);
  CHECK(ApiError("TooManyRequestsException", 503, "explicit").status() == 503);
}

TEST_CASE("SES's wording for contact-list errors") {
  CHECK(errors::list_not_found("shop").message() == "List with name: shop doesn't exist.");
  CHECK(errors::contact_not_found("a@x.com").message() == "a@x.com doesn't exist in List.");
  CHECK(errors::contact_exists("a@x.com").message() == "a@x.com already exists in List.");
  CHECK(errors::topic_not_in_list("shop", "golf").message() ==
        "List: shop doesn't contain Topic: golf");
  CHECK(errors::too_many_topics(20).message() == "Maximum of <20> topics allowed per ContactList");
  CHECK(errors::duplicate_topics().message() ==
        "Duplicate topic names are not allowed within a List.");
  CHECK(errors::email_invalid("nope").message() == "EmailAddress nope is invalid");
  CHECK(errors::email_invalid("").message() == "EmailAddress can't be blank.");
  CHECK(errors::email_invalid("  ").message() == "EmailAddress can't be blank.");
  CHECK(errors::list_name_rules().message() ==
        "ContactListName can contain up to 64 characters. Only alphanumeric characters, "
        "underscores(_) and hyphens(-) are allowed.");
  CHECK(errors::description_too_long().message() ==
        "List description can contain up to 500 characters.");
  // CreateImportJob naming a missing list keeps SPEC's wording.
  CHECK(errors::import_list_not_found("shop").message() == "ContactList shop doesn't exist");
  CHECK(errors::import_job_not_found("j-1").code() == "NotFoundException");
  CHECK(errors::import_job_not_found("j-1").message() == "Import job j-1 does not exist.");
  CHECK(errors::job_not_found("Export job", "j-2").message() == "Export job j-2 does not exist.");
}
