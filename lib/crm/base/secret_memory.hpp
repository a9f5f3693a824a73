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

// Overwrites `secret`'s bytes with zeros (in a way the compiler cannot drop),
// up to its capacity (bytes a shrink left behind included), and empties it.
void wipe(std::string& secret);

// A secret in memory (a passphrase, a two-factor code): its bytes are wiped
// when it is cleared, destroyed or moved from, and it cannot be copied by
// accident (no copy constructor, no conversion to std::string). Read it
// through view() or c_str() where it is used, and let it go out of scope.
class SecretString {
public:
  SecretString() = default;
  // Takes `value`'s buffer and wipes what `value` leaves behind.
  explicit SecretString(std::string&& value) noexcept;
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(SecretString&& other) noexcept;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString() { clear(); }

  void clear() noexcept { wipe(m_value); }
  bool empty() const { return m_value.empty(); }
  std::size_t size() const { return m_value.size(); }
  std::string_view view() const { return m_value; }
  const char* c_str() const { return m_value.c_str(); }
  // A deliberate copy, for a second holder that needs its own.
  SecretString duplicate() const { return SecretString(std::string(m_value)); }
  // For a test: the buffer, whose bytes stay owned (clear() keeps it).
  const char* data() const { return m_value.data(); }

  friend bool operator==(const SecretString& a, std::string_view b) { return a.view() == b; }

private:
  std::string m_value;
};

// A deliberate copy of a secret that may be missing.
inline std::optional<SecretString> duplicate(const std::optional<SecretString>& secret)
{
  if (!secret)
    return std::nullopt;
  return secret->duplicate();
}

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
