#pragma once
// The EmailTemplates fixture section.
#include <utility>

#include "server/control/fixture_node.hpp"
#include "storage/template_store.hpp"

namespace sesv2mock::fixture {

// {TemplateName, Subject?, Text?, Html?, Tags?, CreatedTimestamp?, Account?, Region?}
std::pair<Partition, storage::StoredTemplate> parse_email_template(const Node& n,
                                                                   const Partition& fallback,
                                                                   double now);

}  // namespace sesv2mock::fixture
