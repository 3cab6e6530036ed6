#pragma once
// The web inspector's files (server/ui/assets), embedded in the binary at build time by
// cmake/embed_assets.cmake.
#include <span>
#include <string_view>

namespace sesv2mock::ui {

struct EmbeddedAsset {
  std::string_view path;  // relative to server/ui/assets, e.g. "app.js"
  std::string_view body;
};

std::span<const EmbeddedAsset> embedded_assets();

}  // namespace sesv2mock::ui
