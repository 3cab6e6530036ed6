#pragma once
// The listings the web inspector (and tests) read per account and region, on top of the
// same domain services the SES v2 routes use: import jobs, the suppression list, contact
// lists with their topics, a list's contacts, and a message's HTML part as a page of its
// own. Account and region come from ?account=&region= (defaults: the default partition).
#include <optional>

#include "server/api/api.hpp"
#include "server/contacts/contact_service.hpp"
#include "server/imports/import_job_service.hpp"
#include "server/sending/message_inspection.hpp"
#include "server/suppression/suppression_service.hpp"

namespace sesv2mock::api {

// The message's HTML part is a document from outside: no scripts, no fetches, no forms;
// inline styles and data: images only. `sandbox` makes it an opaque origin even when opened
// directly rather than in the inspector's sandboxed iframe.
inline constexpr const char* kMailHtmlContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

// ?account=&region=; absent members keep the default partition. Throws a validation error
// (400) for an account that is not 12 digits or a region that is not a region name.
Partition partition_of_query(const QueryParams& query);
// The same, or nullopt when the query names neither (listings over every partition).
std::optional<Partition> optional_partition_of_query(const QueryParams& query);

class InspectorApi {
 public:
  InspectorApi(ImportJobService& jobs, SuppressionService& suppression, ContactService& contacts,
               MessageInspection& messages)
      : jobs_(jobs), suppression_(suppression), contacts_(contacts), messages_(messages) {}
  RouteTable routes();

 private:
  ApiResponse list_jobs(const ApiRequest& r);
  ApiResponse list_suppressed(const ApiRequest& r);
  ApiResponse list_contact_lists(const ApiRequest& r);
  ApiResponse list_contacts(const ApiRequest& r);
  ApiResponse message_html(const ApiRequest& r);

  ImportJobService& jobs_;
  SuppressionService& suppression_;
  ContactService& contacts_;
  MessageInspection& messages_;
};

}  // namespace sesv2mock::api
