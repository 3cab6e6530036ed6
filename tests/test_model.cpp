#include <doctest/doctest.h>

#include "server/core/model.hpp"

using namespace sesv2mock;

TEST_CASE("import job state machine") {
  const JobStatus all[] = {JobStatus::Created, JobStatus::Processing, JobStatus::Completed,
                           JobStatus::Failed, JobStatus::Cancelled};
  int legal = 0;
  for (auto from : all) {
    for (auto to : all)
      legal += is_legal_transition(from, to) ? 1 : 0;
  }
  CHECK(legal == 5);  // exactly the five edges below
  CHECK(is_legal_transition(JobStatus::Created, JobStatus::Processing));
  CHECK(is_legal_transition(JobStatus::Created, JobStatus::Cancelled));
  CHECK(is_legal_transition(JobStatus::Processing, JobStatus::Completed));
  CHECK(is_legal_transition(JobStatus::Processing, JobStatus::Failed));
  CHECK(is_legal_transition(JobStatus::Processing, JobStatus::Cancelled));
  CHECK_FALSE(is_legal_transition(JobStatus::Created, JobStatus::Completed));
  CHECK_FALSE(is_legal_transition(JobStatus::Completed, JobStatus::Processing));
  CHECK_FALSE(is_legal_transition(JobStatus::Processing, JobStatus::Processing));
  CHECK(is_final(JobStatus::Cancelled));
  CHECK_FALSE(is_final(JobStatus::Processing));
}

TEST_CASE("wire names round-trip and unknown names are refused") {
  CHECK(to_string(JobStatus::Processing) == "PROCESSING");
  CHECK(parse_job_status("CANCELLED") == JobStatus::Cancelled);
  CHECK_FALSE(parse_job_status("cancelled").has_value());
  CHECK(parse_data_format("JSON") == DataFormat::Json);
  CHECK_FALSE(parse_data_format("XML").has_value());
  CHECK(to_string(DestinationType::ContactList) == "CONTACT_LIST");
  CHECK(parse_suppression_reason("COMPLAINT") == SuppressionReason::Complaint);
  CHECK(parse_subscription_status("OPT_OUT") == SubscriptionStatus::OptOut);
}
