#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "storage/export_job_store.hpp"

using namespace sesv2mock;
using namespace sesv2mock::storage;

namespace {

ExportJob make_export(const std::string& id, double created, const Partition& p = {}) {
  ExportJob job;
  job.job_id = id;
  job.partition = p;
  job.source_type = ExportSourceType::MessageInsights;
  job.data_source_json = R"({"MessageInsightsDataSource":{"StartDate":0,"EndDate":10}})";
  job.destination.data_format = DataFormat::Json;
  job.destination.s3_url = "s3://b/prefix/";
  job.file_url = "s3://b/prefix/" + id + ".json";
  job.created_timestamp = created;
  job.status_changed_at = created;
  return job;
}

}  // namespace

TEST_CASE("ExportJobStore") {
  Database db(":memory:");
  ExportJobStore jobs(db);

  SUBCASE("a job reads back as stored") {
    auto job = make_export("a", 1000);
    REQUIRE(jobs.insert_if_below_limit(job, 5));
    auto got = jobs.find("a");
    REQUIRE(got);
    CHECK(got->seq == job.seq);
    CHECK(got->data_source_json == job.data_source_json);
    CHECK(got->destination.data_format == DataFormat::Json);
    CHECK(got->destination.s3_url == std::optional<std::string>("s3://b/prefix/"));
    CHECK(got->file_url == "s3://b/prefix/a.json");
    CHECK(got->status == JobStatus::Created);
    CHECK_FALSE(got->completed_timestamp);
    CHECK_FALSE(jobs.find(Partition{"111111111111", "us-east-1"}, "a"));
    CHECK(jobs.find(Partition{}, "a"));
  }
  SUBCASE("insert refuses past the unfinished-job limit of the partition") {
    auto a = make_export("a", 1), b = make_export("b", 2), c = make_export("c", 3);
    auto other = make_export("d", 4, {"111111111111", "eu-west-1"});
    CHECK(jobs.insert_if_below_limit(a, 2));
    CHECK(jobs.insert_if_below_limit(b, 2));
    CHECK_FALSE(jobs.insert_if_below_limit(c, 2));
    CHECK(jobs.insert_if_below_limit(other, 2));
    CHECK(jobs.transition("a", JobStatus::Created, JobStatus::Cancelled, 5));
    CHECK(jobs.insert_if_below_limit(c, 2));
  }
  SUBCASE("listing: newest first, filters, keyset continuation, every partition") {
    auto a = make_export("a", 10), b = make_export("b", 30), c = make_export("c", 20);
    auto d = make_export("d", 40, {"111111111111", "us-east-1"});
    c.source_type = ExportSourceType::MetricsData;
    for (auto* j : {&a, &b, &c, &d})
      REQUIRE(jobs.insert_if_below_limit(*j, 10));
    jobs.transition("b", JobStatus::Created, JobStatus::Processing, 31);
    Partition p;
    auto ids = [](const std::vector<ExportJob>& v) {
      std::vector<std::string> out;
      for (const auto& j : v)
        out.push_back(j.job_id);
      return out;
    };
    CHECK(ids(jobs.list(&p, std::nullopt, std::nullopt, std::nullopt, 10)) ==
          std::vector<std::string>{"b", "c", "a"});
    CHECK(ids(jobs.list(&p, ExportSourceType::MetricsData, std::nullopt, std::nullopt, 10)) ==
          std::vector<std::string>{"c"});
    CHECK(ids(jobs.list(&p, std::nullopt, JobStatus::Processing, std::nullopt, 10)) ==
          std::vector<std::string>{"b"});
    CHECK(ids(jobs.list(&p, std::nullopt, std::nullopt, ExportJobStore::ListPosition{30, b.seq},
                        10)) == std::vector<std::string>{"c", "a"});
    CHECK(ids(jobs.list(nullptr, std::nullopt, std::nullopt, std::nullopt, 2)) ==
          std::vector<std::string>{"d", "b"});
    CHECK(ids(jobs.unfinished()) == std::vector<std::string>{"a", "b", "c", "d"});
  }
  SUBCASE("batches commit only while PROCESSING; restart and complete") {
    auto a = make_export("a", 1);
    REQUIRE(jobs.insert_if_below_limit(a, 5));
    ExportBatch batch{7, 5, 42, 900};
    CHECK_FALSE(jobs.commit_batch("a", batch));  // still CREATED
    REQUIRE(jobs.transition("a", JobStatus::Created, JobStatus::Processing, 2));
    CHECK(jobs.commit_batch("a", batch));
    CHECK(jobs.commit_batch("a", ExportBatch{3, 1, 43, 1000}));
    auto got = *jobs.find("a");
    CHECK(got.processed_records == 10);
    CHECK(got.exported_records == 6);
    CHECK(got.checkpoint_seq == 43);
    CHECK(got.checkpoint_offset == 1000);
    CHECK(jobs.restart("a"));
    got = *jobs.find("a");
    CHECK(got.processed_records == 0);
    CHECK(got.checkpoint_offset == 0);
    CHECK(jobs.complete("a"));
    got = *jobs.find("a");
    CHECK(got.status == JobStatus::Completed);
    CHECK(got.completed_timestamp.has_value());
    CHECK_FALSE(jobs.complete("a"));
    CHECK_FALSE(jobs.restart("a"));
    CHECK_FALSE(jobs.commit_batch("a", batch));
  }
  SUBCASE("fail_unfinished passes a CREATED job through PROCESSING; final jobs stay") {
    auto a = make_export("a", 1), b = make_export("b", 2);
    REQUIRE(jobs.insert_if_below_limit(a, 5));
    REQUIRE(jobs.insert_if_below_limit(b, 5));
    CHECK(jobs.fail_unfinished("a", 3, "boom"));
    auto got = *jobs.find("a");
    CHECK(got.status == JobStatus::Failed);
    CHECK(got.error_message == std::optional<std::string>("boom"));
    CHECK_FALSE(jobs.fail_unfinished("a", 4, "again"));
    CHECK_FALSE(jobs.transition("b", JobStatus::Created, JobStatus::Completed, 5));  // illegal
    CHECK(jobs.find("b")->status == JobStatus::Created);
  }
  SUBCASE("erase_all of one partition keeps the others") {
    auto a = make_export("a", 1), d = make_export("d", 2, {"111111111111", "us-east-1"});
    REQUIRE(jobs.insert_if_below_limit(a, 5));
    REQUIRE(jobs.insert_if_below_limit(d, 5));
    Partition p;
    jobs.erase_all(&p);
    CHECK_FALSE(jobs.find("a"));
    CHECK(jobs.find("d"));
    jobs.erase_all(nullptr);
    CHECK_FALSE(jobs.find("d"));
  }
}
