#pragma once
// Fixture sections of the sending resources: EmailIdentities and ConfigurationSets.
#include <utility>

#include "server/control/fixture_node.hpp"
#include "server/core/sending_model.hpp"

namespace sesv2mock::fixture {

// {EmailIdentity, VerificationStatus?, ConfigurationSetName?, Tags?, CreatedTimestamp?,
//  Account?, Region?}; VerificationStatus defaults to SUCCESS.
std::pair<Partition, EmailIdentity> parse_email_identity(const Node& n, const Partition& fallback,
                                                         double now);
// {ConfigurationSetName, SuppressedReasons?, SendingEnabled?, Tags?, CreatedTimestamp?,
//  Account?, Region?}; SuppressedReasons absent = no override, [] = override with none.
std::pair<Partition, ConfigurationSet> parse_configuration_set(const Node& n,
                                                               const Partition& fallback,
                                                               double now);

}  // namespace sesv2mock::fixture
