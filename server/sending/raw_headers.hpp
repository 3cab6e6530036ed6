#pragma once
// Text-level edits of a raw message's header section. A raw message is stored as sent,
// byte for byte, except where SES documents a change: re-writing it through the MIME
// library would re-encode and re-fold what the sender wrote.
#include <initializer_list>
#include <string>
#include <string_view>

namespace sesv2mock {

// `raw` without the top-level header fields named in `names` (case-insensitive), each with
// its folded continuation lines. The header section ends at the first empty line (CRLF or
// LF); the body is never touched.
std::string drop_header_fields(std::string_view raw, std::initializer_list<std::string_view> names);

}  // namespace sesv2mock
