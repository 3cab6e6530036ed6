#pragma once
// What a record of a contact-list import file means (SPEC §3.1), independent of how the
// file was read: the CSV header's columns, and one CSV row or JSON object turned into a
// Contact (PUT) or an address (DELETE), or into the one-sentence reason it failed.
#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

// Positions of the known columns in a contact CSV file. Columns the header does not name
// are ignored; `width` is how many the header has.
struct ContactCsvColumns {
  std::size_t email = 0;
  std::optional<std::size_t> unsubscribe_all;
  std::optional<std::size_t> attributes_data;
  std::vector<std::pair<std::size_t, std::string>> topics;  // column, topic name
  std::size_t width = 0;
};

// The header line, split into fields. Nullopt with `why` when it has no emailAddress column
// or names a column twice (the whole job fails then).
std::optional<ContactCsvColumns> parse_contact_csv_header(const std::vector<std::string>& fields,
                                                          std::string& why);

// Null when `text` holds a JSON object (what AttributesData must be), else why not, as
// the end of a sentence: "it is not valid JSON (...)." or "it is an array."
std::optional<std::string> attributes_data_error(std::string_view text);

class ContactRecordParser {
 public:
  ContactRecordParser(ContactList list, ImportAction action);

  // True with `contact` filled (only its address for DELETE, stamped `now` for PUT), or
  // false with `reason`.
  bool parse_csv(const std::vector<std::string>& fields, const ContactCsvColumns& columns,
                 double now, Contact& contact, std::string& reason) const;
  bool parse_json(const boost::json::object& record, double now, Contact& contact,
                  std::string& reason) const;

  const ContactList& list() const { return list_; }

 private:
  bool set_address(std::string_view raw, Contact& contact, std::string& reason) const;
  bool add_preference(Contact& contact, std::string_view topic, std::string_view status,
                      std::string& reason) const;

  ContactList list_;
  ImportAction action_;
};

}  // namespace sesv2mock
