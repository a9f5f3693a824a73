#include "crm/auth/reauth.hpp"

#include <crm/auth/totp.hpp>
#include <crm/base/error.hpp>
#include <crm/crypto/base32.hpp>
#include <crm/crypto/random.hpp>

#include <fmt/format.h>

#include <cctype>
#include <string>

namespace crm::auth {

namespace {

constexpr std::size_t k_secret_bytes = 20;  // 160 bits, as RFC 4226 recommends

std::string percent_encoded(std::string_view text)
{
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

void reauthenticate(store::Store& store, catalog::Journal& journal, std::string_view store_id, const store::User& user,
                    const std::optional<SecretString>& code, const Clock& clock)
{
  if (user.uses_sso)
    return;
  const UnixTime now = clock.now();
  const catalog::SecondFactor factor = journal.second_factor(store_id, user.name);
  if (factor.locked_until > now)
    throw Error(ErrorKind::no_permission,
                fmt::format("restores are locked for {} until {} after {} wrong two-factor codes in a row", user.name,
                            format_human(factor.locked_until), catalog::Journal::k_max_failed_codes),
                "wait until then and give the code your authenticator app shows");
  if (!code || code->empty())
    throw Error(ErrorKind::no_permission, "two-factor code required",
                "give the current code of your authenticator app with --otp-file FILE (- for stdin) or CRM_OTP");
  std::string secret_base32 =
      store.guarantees().knows_second_factor ? store.second_factor_secret(user.name) : std::string();
  if (secret_base32.empty())
    secret_base32 = factor.secret;
  if (secret_base32.empty())
    throw Error(ErrorKind::no_permission,
                fmt::format("two-factor code is wrong or expired: {} has no two-factor secret", user.name),
                "enroll with crm-restore 2fa enroll, or sign in with SSO");
  const std::optional<std::string> secret = crypto::base32_decode(secret_base32);
  if (!secret || secret->empty())
    throw Error(ErrorKind::config, fmt::format("the two-factor secret stored for {} is not base32", user.name),
                "set up two-factor authentication for this user again");
  // Authenticator apps show "123 456"; a code typed or pasted that way, or
  // with a line break, is still the code.
  std::string digits;
  digits.reserve(code->size());  // no reallocation leaves a copy behind
  for (const char c : code->view())
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      digits.push_back(c);
  const SecretString typed(std::move(digits));
  const std::optional<std::int64_t> step = match_totp(*secret, typed.view(), now);
  if (!step) {
    const catalog::SecondFactor after = journal.record_failed_code(store_id, user.name, now);
    if (after.locked_until > now)
      throw Error(ErrorKind::no_permission,
                  fmt::format("two-factor code is wrong or expired; restores are now locked for {} until {}", user.name,
                              format_human(after.locked_until)),
                  "wait until then and give the code your authenticator app shows");
    throw Error(ErrorKind::no_permission, "two-factor code is wrong or expired",
                "give the code your authenticator app shows now, and check that this machine's clock is right");
  }
  if (!journal.use_totp_step(store_id, user.name, *step))
    throw Error(ErrorKind::no_permission, "this two-factor code was already used", "wait for the next code");
}

std::string enroll_second_factor(catalog::Journal& journal, std::string_view store_id, std::string_view user,
                                 const Clock& clock)
{
  const std::string secret = crypto::base32_encode(crypto::random_bytes(k_secret_bytes));
  journal.enroll(store_id, user, secret, clock.now());
  return secret;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32)
{
  std::string secret(secret_base32);
  std::erase(secret, '=');
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
                     percent_encoded(issuer), percent_encoded(account), secret, percent_encoded(issuer), k_totp_digits,
                     k_totp_step_seconds);
}

}  // namespace crm::auth
