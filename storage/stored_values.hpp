#pragma once
// Column encodings shared by stores: tags as JSON text (always read and written whole) and a
// set of suppression reasons as comma-separated wire names.
#include <string>
#include <string_view>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock::storage {

std::string tags_to_json(const std::vector<Tag>& tags);
// Stored JSON is written by the stores only; anything unreadable gives no tags rather than
// failing a whole read.
std::vector<Tag> tags_from_json(std::string_view text);

std::string reasons_to_text(const std::vector<SuppressionReason>& reasons);  // "BOUNCE,COMPLAINT"
std::vector<SuppressionReason> reasons_from_text(std::string_view text);

}  // namespace sesv2mock::storage
