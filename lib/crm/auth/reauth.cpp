#include <crm/auth/reauth.hpp>
#include <crm/auth/totp.hpp>
#include <crm/base/error.hpp>
#include <crm/crypto/base32.hpp>

#include <fmt/format.h>
#include <string>

namespace crm::auth {

void reauthenticate(store::Writer& writer, const store::User& user, std::optional<std::string> code,
                    const Clock& clock)
{
  if (user.uses_sso)
    return;
  if (!code || code->empty())
    throw Error(ErrorKind::no_permission, "two-factor code required",
                "give the current code of your authenticator app with --otp-file FILE (- for stdin) or CRM_OTP");
  if (user.totp_secret.empty())
    throw Error(ErrorKind::no_permission,
                fmt::format("two-factor code is wrong or expired: {} has no two-factor secret", user.name),
                "set up two-factor authentication for this user, or sign in with SSO");
  const std::optional<std::string> secret = crypto::base32_decode(user.totp_secret);
  if (!secret || secret->empty())
    throw Error(ErrorKind::config, fmt::format("the two-factor secret stored for {} is not base32", user.name),
                "set up two-factor authentication for this user again");
  // Authenticator apps show "123 456"; a code typed or pasted that way, or
  // with a line break, is still the code.
  std::erase_if(*code, [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
  const std::optional<std::int64_t> step = match_totp(*secret, *code, clock.now());
  if (!step)
    throw Error(ErrorKind::no_permission, "two-factor code is wrong or expired",
                "give the code your authenticator app shows now, and check that this machine's clock is right");
  if (!writer.use_totp_step(user.name, *step))
    throw Error(ErrorKind::no_permission, "this two-factor code was already used", "wait for the next code");
}

}  // namespace crm::auth
