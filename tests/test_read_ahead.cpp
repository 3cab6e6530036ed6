#include <doctest/doctest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "server/imports/read_ahead.hpp"

using sesv2mock::ReadAhead;

TEST_CASE("ReadAhead runs each task on its own thread, one at a time, and hands back results") {
  ReadAhead ahead;
  CHECK_FALSE(ahead.pending());
  std::thread::id seen;
  ahead.start([&] {
    seen = std::this_thread::get_id();
    return true;
  });
  CHECK(ahead.pending());
  CHECK(ahead.wait() == true);
  CHECK_FALSE(ahead.pending());
  CHECK(seen != std::this_thread::get_id());
  const std::thread::id first = seen;
  ahead.start([&] {
    seen = std::this_thread::get_id();
    return false;
  });
  CHECK(ahead.wait() == false);
  CHECK(seen == first);  // the same thread: none is started per task
}

TEST_CASE("ReadAhead rethrows what its task threw, and goes on running tasks") {
  ReadAhead ahead;
  ahead.start([]() -> bool { throw std::runtime_error("unreadable"); });
  CHECK_THROWS_WITH_AS(ahead.wait(), "unreadable", std::runtime_error);
  ahead.start([] { return true; });
  CHECK(ahead.wait());
}

TEST_CASE("ReadAhead's destructor waits for a running task") {
  std::atomic<bool> finished{false};
  {
    ReadAhead ahead;
    ahead.start([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;
      return true;
    });
  }
  CHECK(finished.load());
}

TEST_CASE("ReadAhead's thread runs at a lower priority than its owner") {
  const int own = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  int seen = -100;
  ReadAhead ahead;
  ahead.start([&] {
    seen = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
    return true;
  });
  ahead.wait();
  CHECK(seen == std::min(19, own + ReadAhead::kNice));
  CHECK(seen > own);
}
