#pragma once
// The crm::Error an action throws, for tests that check its kind, message and
// hint. The test fails when the action throws none.

#include <crm/base/error.hpp>

#include <catch2/catch.hpp>

#include <functional>

namespace crm::test {

inline Error error_of(const std::function<void()>& action)
{
  try {
    action();
  } catch (const Error& error) {
    return error;
  }
  FAIL("no error was thrown");
  return Error(ErrorKind::internal, "unreachable");
}

}  // namespace crm::test
