#include "server/core/settings.hpp"

#include <filesystem>

namespace sesv2mock {

std::string_view to_string(ProcessingMode m) {
  switch (m) {
    case ProcessingMode::Immediate:
      return "immediate";
    case ProcessingMode::Delayed:
      return "delayed";
    case ProcessingMode::Manual:
      return "manual";
  }
  return "immediate";
}

std::optional<ProcessingMode> parse_processing_mode(std::string_view s) {
  if (s == "immediate")
    return ProcessingMode::Immediate;
  if (s == "delayed")
    return ProcessingMode::Delayed;
  if (s == "manual")
    return ProcessingMode::Manual;
  return std::nullopt;
}

std::string Settings::effective_s3_dir() const {
  if (!s3_dir.empty())
    return s3_dir;
  if (db_path == ":memory:")
    return "data/s3";
  auto parent = std::filesystem::path(db_path).parent_path();
  return (parent.empty() ? std::filesystem::path("s3") : parent / "s3").string();
}

}  // namespace sesv2mock
