#pragma once
// Keeping secrets (passphrases, two-factor codes, API tokens) out of places
// they would outlive their use (SPEC §8): child processes' environments, core
// dumps, and freed memory.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace crm {

// The environment variables through which the tool takes secrets. They are
// never passed on to a child process (the notify command).
inline constexpr std::array<std::string_view, 3> k_secret_environment_names = {"CRM_BACKUP_PASSPHRASE", "CRM_OTP",
                                                                               "CRM_HUBSPOT_TOKEN"};

bool is_secret_environment_name(std::string_view name);
// True when one of k_secret_environment_names is set and not empty.
bool has_secret_in_environment();

// Turns core dumps off for the rest of the process (RLIMIT_CORE 0, and
// PR_SET_DUMPABLE 0, which also keeps other processes of the same user from
// reading our memory through /proc or ptrace). Called as soon as a secret is
// held; a short-lived command never needs them back.
void keep_secrets_out_of_core_dumps();

// Overwrites `secret`'s bytes with zeros (in a way the compiler cannot drop)
// and empties it.
void wipe(std::string& secret);

// Wipes a secret that may have been read, however the scope holding it ends.
class WipedOnExit {
public:
  explicit WipedOnExit(std::optional<std::string>& secret) : m_secret(secret) {}
  WipedOnExit(const WipedOnExit&) = delete;
  WipedOnExit& operator=(const WipedOnExit&) = delete;
  ~WipedOnExit()
  {
    if (m_secret)
      wipe(*m_secret);
  }

private:
  std::optional<std::string>& m_secret;
};

}  // namespace crm
