#pragma once
// Secrets (passphrases, two-factor codes, tokens) never come from argv, where
// every user of the machine can read them (SPEC §8). They come from a file
// named by an option (- for stdin), from an environment variable, or from a
// prompt on the terminal with echo off, in that order. Options that look like
// they take a secret are traps: giving one fails with exit 64.

#include <crm/base/secret_memory.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace crm::cli {

constexpr std::string_view k_passphrase_env = "CRM_BACKUP_PASSPHRASE";
constexpr std::string_view k_otp_env = "CRM_OTP";
constexpr std::size_t k_max_secret_bytes = 64 << 10;
// A passphrase typed for a new encrypted archive: shorter ones are refused
// (a mistyped or guessable passphrase makes a backup unrecoverable or open).
constexpr std::size_t k_min_new_passphrase_characters = 12;

// Where one secret may come from.
struct SecretSource {
  std::string what;        // "passphrase": names the secret in the prompt and in messages
  std::string file;        // from an option such as --passphrase-file; "-" is stdin; empty: not given
  std::string env_name;    // such as CRM_BACKUP_PASSPHRASE; empty: none
  bool may_prompt = true;  // ask on the terminal when stdin is one
  bool is_new = false;     // being chosen (a new archive's): typed twice, at least
                           // k_min_new_passphrase_characters when typed
};

// The passphrase of encrypted archives: --passphrase-file or CRM_BACKUP_PASSPHRASE.
SecretSource passphrase_source();
// The passphrase of a new encrypted archive: the same sources, but a typed one
// is asked twice and must be long enough (is_new).
SecretSource new_passphrase_source();
// The two-factor code for re-authentication: --otp-file or CRM_OTP.
SecretSource otp_source();

// Adds `name` (such as "--passphrase-file") storing into `source.file`.
CLI::Option* add_secret_file_option(CLI::App& app, const std::string& name, SecretSource& source);

// The secret from the first source that has one, or std::nullopt, in a
// SecretString (wiped when it goes); core dumps are off from the first call
// on, the buffers it passed through are wiped:
// - the file, when given: read whole (at most k_max_secret_bytes), one
//   trailing LF or CRLF removed. A missing file is Error(not_found), an empty
//   one Error(usage).
// - the environment variable, when set and not empty, as it is.
// - the prompt "<What>: " on /dev/tty with echo off, only when may_prompt and
//   stdin is a terminal (never under cron or in a pipe); the line typed,
//   without its line break. An empty line gives std::nullopt. A file "-"
//   while stdin is a terminal prompts the same way (an empty line is then
//   Error(usage)). A new secret (is_new) is asked twice; two different
//   answers, or fewer than k_min_new_passphrase_characters, are Error(usage).
std::optional<SecretString> read_secret(const SecretSource& source);

// For what may or may not be encrypted (an archive): runs `use` with the
// secret from `source`'s file or environment, without prompting; only when
// that throws Error(no_permission) (encrypted, and no secret given) and
// `source` may prompt at a terminal, asks and runs `use` once more. So an
// archive that is not encrypted never asks for a passphrase.
void with_secret(const SecretSource& source, const std::function<void(std::optional<SecretString>)>& use);

// Adds hidden trap options to `app` and to each of its subcommands that exist
// now (call it after adding them): --passphrase, --password, --otp, --totp,
// --token, --secret, with or without a value. Giving one throws, while
// parsing, Error(usage, "secrets are never taken on the command line", <how
// to give that secret instead>). A name a command already defines is left to
// that command.
void add_secret_traps(CLI::App& app);

}  // namespace crm::cli
