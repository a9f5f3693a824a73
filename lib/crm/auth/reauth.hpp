#pragma once
// Two-factor re-authentication before an action that changes CRM data
// (restore apply, undo): SPEC §1 and §8.

#include <crm/base/clock.hpp>
#include <crm/store/model.hpp>
#include <crm/store/store.hpp>

#include <optional>
#include <string>

namespace crm::auth {

// Returns when `user` may go on: at once for a user who signed in with SSO;
// otherwise when `code` is the user's current TOTP code (±1 step at
// clock.now()) and newer than any code the user used before. The used step
// is recorded through `writer` (use_totp_step), so it takes effect when the
// caller commits the writer together with the action it guards. Spaces and
// line breaks in `code` are ignored ("123 456" as the apps show it).
// Throws Error(no_permission): "two-factor code required" when `code` is
// missing, "two-factor code is wrong or expired" when it does not match (or
// is not six digits, or the user has no secret), "this two-factor code was
// already used" on a replay. A stored secret that is not base32 is
// Error(config).
void reauthenticate(store::Writer& writer, const store::User& user, std::optional<std::string> code,
                    const Clock& clock);

}  // namespace crm::auth
