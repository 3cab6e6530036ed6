#include "server/control/fixtures.hpp"
#include "server/control/export_fixtures.hpp"
#include "server/control/template_fixtures.hpp"

#include "server/core/import_job_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "server/control/fixture_node.hpp"
#include "server/control/sending_fixtures.hpp"
#include "server/core/email_address.hpp"
#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"
#include "server/jobs/import_worker.hpp"
#include "server/s3/s3_location.hpp"
#include "storage/configuration_set_store.hpp"
#include "storage/contact_store.hpp"
#include "storage/fixture_writer.hpp"

namespace sesv2mock {

namespace json = boost::json;
namespace fs = std::filesystem;

using fixture::each;
using fixture::Node;
using fixture::partition_of;
using fixture::reject;

namespace {

constexpr std::size_t kMaxTopicsPerList = 20;

std::string address(const Node& n, std::string_view name) {
  std::string raw = n.required_string(name);
  std::string why;
  auto email = normalize_email_address(raw, &why);
  if (!email)
    reject(n.at(name), why);
  return *email;
}

storage::FixtureJob parse_job(const Node& n, const Partition& fallback, double now) {
  n.only({"JobId", "Account", "Region", "ImportDestination", "ImportDataSource", "JobStatus",
          "CreatedTimestamp", "CompletedTimestamp", "ProcessedRecordsCount", "FailedRecordsCount",
          "FailureInfo", "FailedRecords"});
  storage::FixtureJob out;
  ImportJob& job = out.job;
  job.job_id = n.required_string("JobId");
  job.partition = partition_of(n, fallback);
  auto destination = n.child("ImportDestination");
  auto source = n.child("ImportDataSource");
  if (!destination)
    reject(n.at("ImportDestination"), "is required.");
  if (!source)
    reject(n.at("ImportDataSource"), "is required.");
  try {
    // Same shapes as CreateImportJob, so the same codec reads them.
    const json::object empty;
    JsonFields fields(empty, n.path(), /*exact_names=*/true);
    job.destination = parse_import_destination(fields, n.get("ImportDestination")->as_object());
    job.source = parse_import_data_source(fields, n.get("ImportDataSource")->as_object());
  } catch (const ApiError& e) {
    reject(e.field().empty() ? n.path() : e.field(), e.message());
  }
  if (!parse_s3_url(job.source.s3_url))
    reject(n.at("ImportDataSource") + ".S3Url", "must look like s3://bucket/key.");
  job.status = n.enumeration<JobStatus>("JobStatus", parse_job_status,
                                        "CREATED, PROCESSING, COMPLETED, FAILED, CANCELLED");
  job.created_timestamp = n.timestamp("CreatedTimestamp").value_or(now);
  job.completed_timestamp = n.timestamp("CompletedTimestamp");
  if (is_final(job.status) && !job.completed_timestamp)
    job.completed_timestamp = job.created_timestamp;
  if (!is_final(job.status) && job.completed_timestamp) {
    reject(n.at("CompletedTimestamp"), "is only allowed for COMPLETED, FAILED or CANCELLED jobs.");
  }
  if (job.completed_timestamp && *job.completed_timestamp < job.created_timestamp) {
    reject(n.at("CompletedTimestamp"), "is before CreatedTimestamp.");
  }
  job.status_changed_at = job.completed_timestamp.value_or(job.created_timestamp);
  job.processed_records = n.count("ProcessedRecordsCount").value_or(0);
  job.failed_records = n.count("FailedRecordsCount").value_or(0);
  if (job.failed_records > job.processed_records) {
    reject(n.at("FailedRecordsCount"), "is larger than ProcessedRecordsCount.");
  }
  if (auto failure = n.child("FailureInfo")) {
    failure->only({"ErrorMessage"});
    job.error_message = failure->string("ErrorMessage");
    if (job.error_message && job.status != JobStatus::Failed) {
      reject(failure->at("ErrorMessage"), "is only allowed for FAILED jobs.");
    }
  }
  if (const auto* records = n.array("FailedRecords")) {
    std::set<std::int64_t> lines;
    for (std::size_t i = 0; i < records->size(); ++i) {
      Node r((*records)[i], n.at("FailedRecords") + "[" + std::to_string(i) + "]");
      r.only({"LineNumber", "FailureReason", "Record"});
      auto line = r.count("LineNumber");
      if (!line || *line < 1)
        reject(r.at("LineNumber"), "is required and must be >= 1.");
      if (!lines.insert(*line).second)
        reject(r.at("LineNumber"), "repeats another failed record's line.");
      out.failed_records.push_back(
          {*line, r.string("Record").value_or(""), r.required_string("FailureReason")});
    }
    if (static_cast<std::int64_t>(records->size()) > job.failed_records) {
      reject(n.at("FailedRecords"), "has more entries than FailedRecordsCount.");
    }
  }
  return out;
}

std::pair<Partition, SuppressedDestination> parse_suppressed(const Node& n,
                                                             const Partition& fallback,
                                                             double now) {
  n.only({"EmailAddress", "Reason", "LastUpdateTime", "Account", "Region"});
  SuppressedDestination d;
  d.email_address = address(n, "EmailAddress");
  d.reason =
      n.enumeration<SuppressionReason>("Reason", parse_suppression_reason, "BOUNCE, COMPLAINT");
  d.last_update_time = n.timestamp("LastUpdateTime").value_or(now);
  return {partition_of(n, fallback), d};
}

storage::FixtureContactList parse_contact_list(const Node& n, const Partition& fallback,
                                               double now) {
  n.only({"ContactListName", "Description", "Topics", "Tags", "Contacts", "Account", "Region",
          "CreatedTimestamp", "LastUpdatedTimestamp"});
  storage::FixtureContactList out;
  out.partition = partition_of(n, fallback);
  ContactList& list = out.list;
  list.contact_list_name = n.required_string("ContactListName");
  list.description = n.string("Description");
  list.created_timestamp = n.timestamp("CreatedTimestamp").value_or(now);
  list.last_updated_timestamp =
      n.timestamp("LastUpdatedTimestamp").value_or(list.created_timestamp);
  std::set<std::string> topic_names;
  if (const auto* topics = n.array("Topics")) {
    if (topics->size() > kMaxTopicsPerList)
      reject(n.at("Topics"), "has more than 20 topics.");
    for (std::size_t i = 0; i < topics->size(); ++i) {
      Node t((*topics)[i], n.at("Topics") + "[" + std::to_string(i) + "]");
      t.only({"TopicName", "DisplayName", "Description", "DefaultSubscriptionStatus"});
      Topic topic;
      topic.topic_name = t.required_string("TopicName");
      topic.display_name = t.string("DisplayName").value_or(topic.topic_name);
      topic.description = t.string("Description").value_or("");
      topic.default_subscription_status = t.enumeration<SubscriptionStatus>(
          "DefaultSubscriptionStatus", parse_subscription_status, "OPT_IN, OPT_OUT");
      if (!topic_names.insert(topic.topic_name).second)
        reject(t.at("TopicName"), "repeats another topic.");
      list.topics.push_back(topic);
    }
  }
  if (const auto* tags = n.array("Tags")) {
    for (std::size_t i = 0; i < tags->size(); ++i) {
      Node t((*tags)[i], n.at("Tags") + "[" + std::to_string(i) + "]");
      t.only({"Key", "Value"});
      list.tags.push_back({t.required_string("Key"), t.string("Value").value_or("")});
    }
  }
  if (const auto* contacts = n.array("Contacts")) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < contacts->size(); ++i) {
      Node c((*contacts)[i], n.at("Contacts") + "[" + std::to_string(i) + "]");
      c.only({"EmailAddress", "TopicPreferences", "UnsubscribeAll", "AttributesData",
              "CreatedTimestamp", "LastUpdatedTimestamp"});
      Contact contact;
      contact.email_address = address(c, "EmailAddress");
      if (!seen.insert(contact.email_address).second)
        reject(c.at("EmailAddress"), "repeats another contact.");
      contact.unsubscribe_all = c.boolean("UnsubscribeAll").value_or(false);
      contact.attributes_data = c.string("AttributesData");
      if (contact.attributes_data) {
        boost::system::error_code ec;
        auto parsed = json::parse(*contact.attributes_data, ec);
        if (ec || !parsed.is_object())
          reject(c.at("AttributesData"), "must be a JSON object as text.");
      }
      contact.created_timestamp = c.timestamp("CreatedTimestamp").value_or(now);
      contact.last_updated_timestamp =
          c.timestamp("LastUpdatedTimestamp").value_or(contact.created_timestamp);
      if (const auto* prefs = c.array("TopicPreferences")) {
        for (std::size_t k = 0; k < prefs->size(); ++k) {
          Node p((*prefs)[k], c.at("TopicPreferences") + "[" + std::to_string(k) + "]");
          p.only({"TopicName", "SubscriptionStatus"});
          TopicPreference pref;
          pref.topic_name = p.required_string("TopicName");
          if (!topic_names.count(pref.topic_name))
            reject(p.at("TopicName"), "names a topic the list does not have.");
          pref.subscription_status = p.enumeration<SubscriptionStatus>(
              "SubscriptionStatus", parse_subscription_status, "OPT_IN, OPT_OUT");
          contact.topic_preferences.push_back(pref);
        }
      }
      out.contacts.push_back(std::move(contact));
    }
  }
  return out;
}

struct S3ObjectFixture {
  S3Location loc;
  fs::path path;
  std::string body;
  std::string field;  // where in the document, for errors
  std::string item;   // the entry itself, e.g. S3Objects[2]
};

// Refuses objects that cannot all be written: a path that is (or would sit under) a folder
// or a file, in the s3 directory or among the document's own objects.
void check_s3_objects_fit(const std::vector<S3ObjectFixture>& objects, const fs::path& root) {
  std::set<fs::path> files;
  std::set<fs::path> folders;
  for (const auto& o : objects) {
    files.insert(o.path.lexically_normal());
    for (fs::path p = o.path.lexically_normal().parent_path(); p != root && p.has_relative_path();
         p = p.parent_path()) {
      folders.insert(p);
      if (p == p.parent_path())
        break;
    }
  }
  for (const auto& o : objects) {
    fs::path p = o.path.lexically_normal();
    std::error_code ec;
    if (folders.count(p) || fs::is_directory(p, ec)) {
      reject(o.field, "names a folder of other objects, so it cannot be an object itself.");
    }
    if (fs::is_symlink(p, ec))
      reject(o.field, "names a link, which fixtures do not overwrite.");
  }
  for (const auto& o : objects) {
    fs::path p = o.path.lexically_normal();
    std::error_code ec;
    for (fs::path parent = p.parent_path(); parent.has_relative_path() && parent != root;
         parent = parent.parent_path()) {
      if (files.count(parent) || (fs::exists(parent, ec) && !fs::is_directory(parent, ec))) {
        reject(o.field, "would sit under another object, which cannot be a folder.");
      }
      if (parent == parent.parent_path())
        break;
    }
  }
}

S3ObjectFixture parse_s3_object(const Node& n, const std::string& root) {
  n.only({"S3Url", "Bucket", "Key", "Body", "Lines"});
  S3Location loc;
  std::string field;
  if (auto url = n.string("S3Url")) {
    field = n.at("S3Url");
    auto parsed = parse_s3_url(*url);
    if (!parsed)
      reject(field, "must look like s3://bucket/key.");
    loc = *parsed;
  } else {
    loc.bucket = n.required_string("Bucket");
    loc.key = n.required_string("Key");
    field = n.at("Key");
  }
  S3ObjectFixture out;
  out.loc = loc;
  out.field = field;
  out.item = n.path();
  try {
    out.path = local_object_path(root, loc);
  } catch (const std::exception& e) {
    reject(field, e.what());
  }
  const auto* lines = n.array("Lines");
  auto body = n.string("Body");
  if ((lines != nullptr) == body.has_value())
    reject(n.path(), "needs exactly one of Body or Lines.");
  if (body) {
    out.body = *body;
  } else {
    for (std::size_t i = 0; i < lines->size(); ++i) {
      const auto& line = (*lines)[i];
      if (line.is_string()) {
        out.body += line.get_string();
      } else if (line.is_object()) {
        out.body += json::serialize(line);  // a JSON record written as an object
      } else {
        reject(n.at("Lines") + "[" + std::to_string(i) + "]", "must be a string or an object.");
      }
      out.body.push_back('\n');
    }
  }
  return out;
}

// After a successful write: wakes the worker for new jobs and counts what was loaded.
json::object summarize(ImportWorker& worker, const storage::FixtureSet& set,
                       std::size_t s3_objects) {
  if (!set.jobs.empty())
    worker.wake();
  std::int64_t contacts = 0;
  for (const auto& l : set.contact_lists)
    contacts += static_cast<std::int64_t>(l.contacts.size());
  return {{"importJobs", set.jobs.size()},
          {"suppressedDestinations", set.suppressed.size()},
          {"contactLists", set.contact_lists.size()},
          {"contacts", contacts},
          {"s3Objects", s3_objects},
          {"emailIdentities", set.identities.size()},
          {"configurationSets", set.configuration_sets.size()},
          {"emailTemplates", set.templates.size()},
          {"exportJobs", set.export_jobs.size()}};
}

}  // namespace

// EmailIdentities and ConfigurationSets: an identity's ConfigurationSetName must be a set
// of the same document or one that exists already.
void FixtureLoader::load_sending_sections(const Node& root, const Partition& fallback, double now,
                                          storage::FixtureSet& set) {
  std::set<std::string> keys;
  each(root, "ConfigurationSets", [&](const Node& n) {
    auto entry = fixture::parse_configuration_set(n, fallback, now);
    std::string key = entry.first.account + "/" + entry.first.region + "/" + entry.second.name;
    if (!keys.insert(key).second) {
      reject(n.at("ConfigurationSetName"), "repeats another set of the same account and region.");
    }
    set.configuration_sets.push_back(std::move(entry));
  });
  storage::ConfigurationSetStore sets(db_);
  std::set<std::string> identity_keys;
  each(root, "EmailIdentities", [&](const Node& n) {
    auto entry = fixture::parse_email_identity(n, fallback, now);
    const Partition& p = entry.first;
    std::string key = p.account + "/" + p.region + "/" + identity_key(entry.second.identity_name);
    if (!identity_keys.insert(key).second) {
      reject(n.at("EmailIdentity"), "repeats another identity of the same account and region.");
    }
    if (const auto& cs = entry.second.configuration_set_name) {
      if (!keys.count(p.account + "/" + p.region + "/" + *cs) && !sets.exists(p, *cs)) {
        reject(n.at("ConfigurationSetName"), "Configuration set <" + *cs + "> does not exist.");
      }
    }
    set.identities.push_back(std::move(entry));
  });
}

json::object FixtureLoader::load(const json::value& document) {
  if (!document.is_object())
    reject("(document)", "must be a JSON object.");
  const double now = now_epoch_seconds();
  Node root(document, "");
  root.only({"$schema", "Description", "Account", "Region", "ImportJobs", "SuppressedDestinations",
             "ContactLists", "S3Objects", "EmailIdentities", "ConfigurationSets", "EmailTemplates",
             "ExportJobs"});
  Partition fallback = partition_of(root, Partition{});

  // Validate everything first; nothing is written until the whole document is good.
  storage::FixtureSet set;
  std::vector<S3ObjectFixture> objects;
  std::set<std::string> job_ids;
  each(root, "ImportJobs", [&](const Node& n) {
    auto job = parse_job(n, fallback, now);
    if (!job_ids.insert(job.job.job_id).second)
      reject(n.at("JobId"), "repeats another job's JobId.");
    // Replacing a job under a running import would mix the fixture's counts with the import's.
    if (worker_.is_busy(job.job.job_id)) {
      reject(n.at("JobId"), "names a job whose file is being imported right now; cancel it first.");
    }
    set.jobs.push_back(std::move(job));
  });
  each(root, "SuppressedDestinations",
       [&](const Node& n) { set.suppressed.push_back(parse_suppressed(n, fallback, now)); });
  std::set<std::string> list_keys;
  each(root, "ContactLists", [&](const Node& n) {
    auto list = parse_contact_list(n, fallback, now);
    const std::string key =
        list.partition.account + "/" + list.partition.region + "/" + list.list.contact_list_name;
    if (!list_keys.insert(key).second) {
      reject(n.at("ContactListName"), "repeats another list of the same account and region.");
    }
    set.contact_lists.push_back(std::move(list));
  });
  load_sending_sections(root, fallback, now, set);
  std::set<std::string> template_keys;
  each(root, "EmailTemplates", [&](const Node& n) {
    auto entry = fixture::parse_email_template(n, fallback, now);
    if (!template_keys
             .insert(entry.first.account + "/" + entry.first.region + "/" + entry.second.name)
             .second)
      reject(n.at("TemplateName"), "repeats another template of the same account and region.");
    set.templates.push_back(std::move(entry));
  });
  std::set<std::string> export_ids;
  each(root, "ExportJobs", [&](const Node& n) {
    auto job = fixture::parse_export_job(n, fallback, now);
    if (!export_ids.insert(job.job_id).second)
      reject(n.at("JobId"), "repeats another export job's JobId.");
    set.export_jobs.push_back(std::move(job));
  });
  const std::string s3_root = settings_.effective_s3_dir();
  each(root, "S3Objects", [&](const Node& n) { objects.push_back(parse_s3_object(n, s3_root)); });
  for (std::size_t i = 0; i < set.jobs.size(); ++i) {
    const auto& job = set.jobs[i].job;
    if (job.destination.type != DestinationType::ContactList)
      continue;
    bool in_fixture =
        std::any_of(set.contact_lists.begin(), set.contact_lists.end(), [&](const auto& l) {
          return l.partition == job.partition &&
                 l.list.contact_list_name == job.destination.contact_list_name;
        });
    if (!in_fixture && !contacts_.exists(job.partition, job.destination.contact_list_name)) {
      reject("ImportJobs[" + std::to_string(i) +
                 "].ImportDestination.ContactListDestination.ContactListName",
             "ContactList " + job.destination.contact_list_name + " doesn't exist.");
    }
  }

  if (uploader_) {
    // An S3 endpoint is configured: the objects go there (PutObject, one by one), then the
    // records. S3 has no transactions, so objects uploaded before a failure stay.
    for (const auto& o : objects) {
      try {
        uploader_(o.loc, o.body);
      } catch (const S3ErrorResponse& e) {
        // S3 answered, and refused: a missing bucket, a denied key... the fixture's to fix.
        if (e.status() >= 400 && e.status() < 500)
          reject(o.item, e.what());
        throw ApiError::internal("Fixture rejected at " + o.item + ": " + e.what());
      } catch (const std::exception& e) {
        throw ApiError::internal("Fixture rejected at " + o.item + ": " + e.what());
      }
    }
    try {
      storage::write_fixtures(db_, set);
    } catch (const std::exception& e) {
      throw ApiError::internal(std::string("The fixture could not be written: ") + e.what());
    }
    if (!set.export_jobs.empty() && export_wake_)
      export_wake_();
    return summarize(worker_, set, objects.size());
  }

  check_s3_objects_fit(objects, fs::path(s3_root).lexically_normal());
  for (const auto& o : objects) {
    try {
      check_local_object_path(s3_root, o.loc);  // no link on the way, wherever it points
    } catch (const std::runtime_error& e) {
      reject(o.field, e.what());
    }
  }

  // S3 objects first, each through a temporary file; if anything fails, the objects are put
  // back as they were and the records are not written. Every access stays inside the s3
  // directory (s3_location.hpp opens each folder without following links).
  struct Previous {
    S3Location loc;
    std::optional<std::string> content;  // nullopt: did not exist
  };
  std::vector<Previous> previous;
  try {
    for (const auto& o : objects) {
      Previous before{o.loc, read_local_object(s3_root, o.loc)};
      write_local_object(s3_root, o.loc, o.body);
      previous.push_back(std::move(before));
    }
    storage::write_fixtures(db_, set);
  } catch (const std::exception& e) {
    for (auto it = previous.rbegin(); it != previous.rend(); ++it) {
      try {
        if (it->content) {
          write_local_object(s3_root, it->loc, *it->content);
        } else {
          remove_local_object(s3_root, it->loc);
        }
      } catch (const std::exception&) {
        // best effort: the first failure is the one reported
      }
    }
    throw ApiError::internal(std::string("The fixture could not be written: ") + e.what());
  }
  if (!set.export_jobs.empty() && export_wake_)
    export_wake_();
  return summarize(worker_, set, objects.size());
}

std::string FixtureLoader::load_path(const std::string& path) {
  std::vector<fs::path> files;
  if (fs::is_directory(path)) {
    for (const auto& entry : fs::directory_iterator(path)) {
      const std::string name = entry.path().filename().string();
      bool schema = name.size() > 12 && name.compare(name.size() - 12, 12, ".schema.json") == 0;
      if (entry.is_regular_file() && entry.path().extension() == ".json" && !schema) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path)) {
    files.push_back(path);
  } else {
    throw std::runtime_error("fixture path " + path + " does not exist");
  }
  std::string summary;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto document = json::parse(text.str(), ec);
    if (ec)
      throw std::runtime_error(file.string() + " is not valid JSON: " + ec.message());
    try {
      summary += file.filename().string() + " " + json::serialize(load(document)) + "; ";
    } catch (const ApiError& e) {
      throw std::runtime_error(file.string() + ": " + e.message());
    }
  }
  return summary;
}

}  // namespace sesv2mock
