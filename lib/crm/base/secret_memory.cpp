#include "crm/base/secret_memory.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace crm {

bool is_secret_environment_name(std::string_view name)
{
  return std::find(k_secret_environment_names.begin(), k_secret_environment_names.end(), name) !=
         k_secret_environment_names.end();
}

bool has_secret_in_environment()
{
  for (const std::string_view name : k_secret_environment_names) {
    const char* value = std::getenv(std::string(name).c_str());
    if (value != nullptr && *value != '\0')
      return true;
  }
  return false;
}

void keep_secrets_out_of_core_dumps()
{
  // Best effort: neither call can fail for an unprivileged process lowering
  // its own limits, and a failure must not stop the command.
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void wipe(std::string& secret)
{
  // resize() to the capacity reallocates nothing and makes every byte of
  // the buffer the string's own, so all of it can be zeroed.
  secret.resize(secret.capacity());
  ::explicit_bzero(secret.data(), secret.size());
  secret.clear();
}

// Copies then wipes rather than moving or swapping: moving a short string
// copies its bytes out of the object anyway, and swap() passes them through
// a temporary on the stack; a copy leaves the bytes in exactly two places,
// and the source is wiped right after.
SecretString::SecretString(std::string&& value) noexcept
{
  m_value.assign(value);
  wipe(value);
}

SecretString::SecretString(SecretString&& other) noexcept
{
  m_value.assign(other.m_value);
  other.clear();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept
{
  if (this != &other) {
    clear();
    m_value.assign(other.m_value);
    other.clear();
  }
  return *this;
}

}  // namespace crm
