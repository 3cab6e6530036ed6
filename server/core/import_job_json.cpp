// The ImportDestination and ImportDataSource shapes as JSON: shared by the API codec and the
// fixture files, which use the wire shapes.
#include "server/core/import_job_json.hpp"

#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

template <typename E>
E required_enum(const JsonFields& f, std::string_view name,
                std::optional<E> (*parse)(std::string_view), const char* allowed) {
  auto text = f.string(name);
  if (!text)
    throw ApiError::missing_field(f.path(name));
  auto value = parse(*text);
  if (!value) {
    throw ApiError::validation(f.path(name),
                               std::string("Member must satisfy enum value set: ") + allowed);
  }
  return *value;
}

}  // namespace

ImportDestination parse_import_destination(const JsonFields& parent, const json::object& obj) {
  JsonFields f = parent.nested("ImportDestination", obj);
  const json::object* suppression = f.object("SuppressionListDestination");
  const json::object* contacts = f.object("ContactListDestination");
  if ((suppression == nullptr) == (contacts == nullptr)) {
    throw ApiError::bad_request(
        "1 validation error detected: Value at 'importDestination' failed to satisfy "
        "constraint: Member must have exactly one of SuppressionListDestination or "
        "ContactListDestination");
  }
  ImportDestination d;
  if (suppression) {
    JsonFields s = f.nested("SuppressionListDestination", *suppression);
    d.type = DestinationType::SuppressionList;
    d.action = required_enum<ImportAction>(s, "SuppressionListImportAction", parse_import_action,
                                           "[DELETE, PUT]");
  } else {
    JsonFields c = f.nested("ContactListDestination", *contacts);
    d.type = DestinationType::ContactList;
    d.contact_list_name = c.required_string("ContactListName");
    d.action = required_enum<ImportAction>(c, "ContactListImportAction", parse_import_action,
                                           "[DELETE, PUT]");
  }
  return d;
}

ImportDataSource parse_import_data_source(const JsonFields& parent, const json::object& obj) {
  JsonFields f = parent.nested("ImportDataSource", obj);
  ImportDataSource source;
  source.s3_url = f.required_string("S3Url");
  source.data_format = required_enum<DataFormat>(f, "DataFormat", parse_data_format, "[CSV, JSON]");
  return source;
}

json::object import_destination_to_json(const ImportDestination& d) {
  if (d.type == DestinationType::SuppressionList) {
    return {{"SuppressionListDestination", {{"SuppressionListImportAction", to_string(d.action)}}}};
  }
  return {{"ContactListDestination",
           {{"ContactListName", d.contact_list_name},
            {"ContactListImportAction", to_string(d.action)}}}};
}

}  // namespace sesv2mock
