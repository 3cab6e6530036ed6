#pragma once
// Every error the domain modules answer with, worded in one place. Where real SES's wording
// is known (verified against AWS by other emulators) it is used verbatim, so client test
// suites that assert on messages pass; the others are our own, stable wording.
#include <cstdint>
#include <string>

#include "server/core/errors.hpp"

namespace sesv2mock::errors {

// Jobs. `noun` names the kind ("Import job", later "Export job").
ApiError job_not_found(const std::string& noun, const std::string& job_id);
ApiError import_job_not_found(const std::string& job_id);
ApiError import_list_not_found(const std::string& list_name);  // SPEC's CreateImportJob wording
ApiError import_jobs_limit(std::int64_t max_unfinished);
ApiError s3_url_pattern();

// Export jobs (our own wording: SES's messages for these are not documented).
ApiError export_job_not_found(const std::string& job_id);
ApiError export_jobs_limit(std::int64_t max_unfinished);
ApiError export_data_source_count();
ApiError export_dates_out_of_order(const std::string& source_member);
ApiError export_metrics_not_midnight();
ApiError export_s3_url_pattern();
ApiError export_cancel_finished(const std::string& job_id, const std::string& status);

// Paging (every List operation).
ApiError page_size_range(std::int64_t min, std::int64_t max);
ApiError invalid_next_token(bool as_invalid_next_token_exception);

// Contact lists and contacts (SES's wording).
ApiError list_not_found(const std::string& list_name);
ApiError list_exists(const std::string& list_name);
ApiError lists_limit(std::int64_t max_lists);
ApiError list_name_rules();
ApiError description_too_long();
ApiError too_many_topics(std::size_t max_topics);
ApiError duplicate_topics();
ApiError topic_not_in_list(const std::string& list_name, const std::string& topic);
ApiError contact_not_found(const std::string& email);
ApiError contact_exists(const std::string& email);
ApiError email_invalid(const std::string& email);  // blank: "EmailAddress can't be blank."
ApiError duplicate_topic_preference(const std::string& topic);
ApiError attributes_not_object(const std::string& why);

// Tags of a resource (the `Tag` shape of the model).
ApiError too_many_tags(std::size_t max_tags);
ApiError tag_key_length(std::size_t max_length);
ApiError tag_value_length(std::size_t max_length);
ApiError tag_characters(const std::string& which);  // which: "key" or "value"
ApiError duplicate_tag_key(const std::string& key);
ApiError reserved_tag_prefix();

// Suppression list.
ApiError suppressed_not_found(const std::string& email);
ApiError suppression_email_invalid(const std::string& why);

// Control API.
ApiError illegal_job_move(const std::string& job_id, const std::string& from, const std::string& to,
                          const std::string& noun = "Import job");
ApiError fault_not_found(const std::string& fault_id);

}  // namespace sesv2mock::errors
