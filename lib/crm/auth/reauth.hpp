#pragma once
// Two-factor re-authentication before an action that changes CRM data
// (restore apply, undo): SPEC §1 and §8, docs/security.md.
//
// Where the secret comes from: a backend that knows its users' second factor
// (the embedded store) answers for its users; otherwise, or for a user it
// has no secret for, the user's enrollment in the journal (crm-restore 2fa
// enroll). The replay guard and the lockout live in the journal for both.

#include <crm/base/clock.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/catalog/journal.hpp>
#include <crm/store/store.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crm::auth {

// Returns when `user` may go on: at once for a user who signs in with SSO;
// otherwise when `code` is the user's current TOTP code (±1 step at
// clock.now()) and newer than any code the user used before. The step is
// spent in the journal at once: a code is good for one attempt, whatever
// follows. Spaces and line breaks in `code` are ignored ("123 456" as the
// apps show it). Throws Error(no_permission): restores locked after
// Journal::k_max_failed_codes wrong codes in a row (saying until when); "two-
// factor code required" when `code` is missing; the user has no secret
// anywhere; "two-factor code is wrong or expired" (counted towards the
// lockout); "this two-factor code was already used". A stored secret that is
// not base32 is Error(config).
void reauthenticate(store::Store& store, catalog::Journal& journal, std::string_view store_id, const store::User& user,
                    const std::optional<SecretString>& code, const Clock& clock);

// A new random TOTP secret (base32, 160 bits) enrolled for `user` in the
// journal; replaces an earlier enrollment.
std::string enroll_second_factor(catalog::Journal& journal, std::string_view store_id, std::string_view user,
                                 const Clock& clock);

// "otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30",
// the text authenticator apps scan; issuer and account percent-encoded.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32);

}  // namespace crm::auth
