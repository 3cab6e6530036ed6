#include "server/control/template_fixtures.hpp"

#include "server/sending/template_service.hpp"

namespace sesv2mock::fixture {

std::pair<Partition, storage::StoredTemplate> parse_email_template(const Node& n,
                                                                   const Partition& fallback,
                                                                   double now) {
  n.only(
      {"TemplateName", "Subject", "Text", "Html", "Tags", "CreatedTimestamp", "Account", "Region"});
  storage::StoredTemplate t;
  t.name = n.required_string("TemplateName");
  if (t.name.size() > TemplateLimits::kMaxNameLength)
    reject(n.at("TemplateName"), "is too long.");
  t.subject = n.string("Subject");
  t.text = n.string("Text");
  t.html = n.string("Html");
  if (!t.subject && !t.text && !t.html)
    reject(n.at("TemplateName"), "has no Subject, Text or Html.");
  if (const auto* items = n.array("Tags")) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      Node tag((*items)[i], n.at("Tags") + "[" + std::to_string(i) + "]");
      tag.only({"Key", "Value"});
      t.tags.push_back({tag.required_string("Key"), tag.string("Value").value_or("")});
    }
  }
  t.created_timestamp = n.timestamp("CreatedTimestamp").value_or(now);
  return {partition_of(n, fallback), t};
}

}  // namespace sesv2mock::fixture
