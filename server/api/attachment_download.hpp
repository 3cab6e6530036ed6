#pragma once
// What a browser may safely be handed when the inspector offers one attachment of a
// captured message for download: the bytes come from a sender, so their declared type and
// file name are not trusted. Pure functions, so they are tested without a server.
#include <string>
#include <string_view>

namespace sesv2mock::api {

// The attachment's declared type when it is one a browser shows inertly (plain text,
// common images, PDF, archives); everything else, active content such as text/html or
// image/svg+xml above all, becomes application/octet-stream.
std::string safe_attachment_content_type(std::string_view declared);

// `attachment; filename="..."; filename*=UTF-8''...`: the ASCII fallback keeps letters,
// digits and a few punctuation marks (others become '_'), the extended form carries the
// UTF-8 name percent-encoded. Path parts, control characters and quotes never reach the
// header; an empty (or all-dots) name becomes `fallback`. Names are cut to kMaxFileNameBytes.
std::string attachment_disposition(std::string_view file_name, std::string_view fallback);

inline constexpr std::size_t kMaxFileNameBytes = 200;

}  // namespace sesv2mock::api
