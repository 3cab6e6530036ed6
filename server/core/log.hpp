#pragma once
// Minimal leveled logging to stderr (--log-level). Thread-safe: one fprintf per line.
#include <cstdarg>
#include <string_view>

namespace sesv2mock::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3 };

void set_level(std::string_view name);  // "error", "warn", "info" or "debug"
bool enabled(Level level);
void write(Level level, const char* format, ...) __attribute__((format(printf, 2, 3)));

}  // namespace sesv2mock::log
