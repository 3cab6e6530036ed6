#include "server/core/log.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>

namespace sesv2mock::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::Info)};
constexpr const char* kNames[] = {"ERROR", "WARN", "INFO", "DEBUG"};

}  // namespace

void set_level(std::string_view name) {
  Level level = Level::Info;
  if (name == "error")
    level = Level::Error;
  if (name == "warn")
    level = Level::Warn;
  if (name == "debug")
    level = Level::Debug;
  g_level = static_cast<int>(level);
}

bool enabled(Level level) {
  return static_cast<int>(level) <= g_level.load();
}

void write(Level level, const char* format, ...) {
  if (!enabled(level))
    return;
  char message[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::fprintf(stderr, "%s %-5s %s\n", stamp, kNames[static_cast<int>(level)], message);
}

}  // namespace sesv2mock::log
