// The unit tests' shared main: doctest, with the server's log quieted to errors so test
// output shows only what failed.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "server/core/log.hpp"

int main(int argc, char** argv) {
  sesv2mock::log::set_level("error");
  doctest::Context context(argc, argv);
  return context.run();
}
