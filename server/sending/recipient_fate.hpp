#pragma once
// What happens to one recipient of an accepted message, decided the way the SES developer
// guide describes it (pages cited in recipient_fate.cpp): mailbox simulator, account-level
// suppression list, list management, else delivery.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/captured_message.hpp"
#include "server/core/model.hpp"

namespace sesv2mock {

enum class SimulatorAddress { Success, Bounce, Ooto, Complaint, SuppressionList };

// success@, bounce@, ooto@, complaint@, suppressionlist@simulator.amazonses.com, with an
// optional +label in the local part; nullopt for any other address.
std::optional<SimulatorAddress> simulator_address(std::string_view address);

// A simple ISP name from the recipient's domain (GetMessageInsights' Isp). SES's exact names
// are not documented ("e.g., Gmail, Yahoo"); ours: Gmail, Yahoo, Outlook, AOL, iCloud,
// Amazon SES Mailbox Simulator, else "Other".
std::string isp_of(std::string_view address);

// Events and fate of a recipient: SEND first (the model's InsightsEvent doc: suppressed
// sends still count as sends), then the outcome.
StoredRecipient simulated_recipient(SimulatorAddress kind, double now);
StoredRecipient suppressed_recipient(double now);
StoredRecipient unsubscribed_recipient(double now, const std::string& list_name,
                                       const std::optional<std::string>& topic);
StoredRecipient delivered_recipient(double now);
StoredRecipient rendering_failed_recipient(double now);

// Whether a contact of a list receives a message sent for `topic` (nullopt: the list as a
// whole): not when it unsubscribed from everything, opted out of the topic, or has no
// preference and the topic's default is OPT_OUT.
bool contact_receives(const ContactList& list, const Contact& contact,
                      const std::optional<std::string>& topic);

}  // namespace sesv2mock
