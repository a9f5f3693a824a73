#pragma once
// Sets (or, with nullptr, unsets) an environment variable for one test; the
// variable is unset again when the test ends.

#include <cstdlib>

namespace crm::test {

class ScopedEnv {
public:
  ScopedEnv(const char* name, const char* value) : m_name(name)
  {
    if (value != nullptr)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() { ::unsetenv(m_name); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* m_name;
};

}  // namespace crm::test
