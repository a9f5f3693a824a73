#pragma once
// Sets (or, with nullptr, unsets) an environment variable for one test; the
// variable gets its earlier value (or none) back when the test ends.

#include <cstdlib>
#include <optional>
#include <string>

namespace crm::test {

class ScopedEnv {
public:
  ScopedEnv(const char* name, const char* value) : m_name(name)
  {
    if (const char* earlier = std::getenv(name))
      m_earlier = earlier;
    if (value != nullptr)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv()
  {
    if (m_earlier)
      ::setenv(m_name, m_earlier->c_str(), 1);
    else
      ::unsetenv(m_name);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* m_name;
  std::optional<std::string> m_earlier;
};

}  // namespace crm::test
