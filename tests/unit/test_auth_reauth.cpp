#include "support/temp_dir.hpp"
#include "test_restore_memory_store.hpp"

#include <crm/auth/reauth.hpp>
#include <crm/auth/totp.hpp>
#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/crypto/base32.hpp>

#include <catch2/catch.hpp>

using crm::Error;
using crm::ErrorKind;
using crm::FixedClock;
using crm::auth::reauthenticate;
using namespace crm::store;

namespace {

const std::string k_secret = "12345678901234567890";
constexpr std::string_view k_store = "store-aaaa";

// A store that knows ada's second factor (or, with knows_second_factor
// false, an API backend that knows none), and a journal.
struct Fixture {
  crm::test::TempDir dir;
  crm::catalog::Repository repository = crm::catalog::Repository::open(dir / "repo", crm::catalog::OpenIntent::create);
  crm::catalog::Journal journal = repository.journal();
  crm::test::MemoryStore store;
  User user{"ada", true, false};

  Fixture() { store.data.totp_secrets["ada"] = crm::crypto::base32_encode(k_secret); }

  void check(std::optional<std::string> code, const FixedClock& clock)
  {
    std::optional<crm::SecretString> secret;
    if (code)
      secret.emplace(std::move(*code));
    reauthenticate(store, journal, k_store, user, secret, clock);
  }

  // The error reauthenticate throws, or a failed test.
  Error refusal(std::optional<std::string> code, const FixedClock& clock)
  {
    try {
      check(std::move(code), clock);
    } catch (const Error& error) {
      return error;
    }
    FAIL("reauthenticate accepted");
    return Error(ErrorKind::internal, "unreachable");
  }
};

std::string code_at(crm::UnixTime time) { return crm::auth::totp_code(k_secret, crm::auth::totp_step(time)); }

}  // namespace

TEST_CASE("reauthenticate lets an SSO user through without a code", "[auth]")
{
  Fixture fixture;
  fixture.user.uses_sso = true;
  const FixedClock clock(1700000000);
  CHECK_NOTHROW(fixture.check(std::nullopt, clock));
  CHECK(fixture.journal.second_factor(k_store, "ada").last_step == -1);
}

TEST_CASE("reauthenticate asks for a code when none is given", "[auth]")
{
  Fixture fixture;
  const FixedClock clock(1700000000);
  for (const std::optional<std::string>& missing : {std::optional<std::string>(), std::optional<std::string>("")}) {
    const Error error = fixture.refusal(missing, clock);
    CHECK(error.kind() == ErrorKind::no_permission);
    CHECK(std::string(error.what()) == "two-factor code required");
    CHECK_FALSE(error.hint().empty());
  }
}

TEST_CASE("reauthenticate accepts the current code and records its step in the journal", "[auth]")
{
  Fixture fixture;
  const FixedClock clock(1700000000);
  CHECK_NOTHROW(fixture.check(code_at(clock.now()), clock));
  CHECK(fixture.journal.second_factor(k_store, "ada").last_step == crm::auth::totp_step(clock.now()));
}

TEST_CASE("reauthenticate accepts the code as authenticator apps show it, with a space", "[auth]")
{
  Fixture fixture;
  const FixedClock clock(1700000000);
  const std::string code = code_at(clock.now());
  CHECK_NOTHROW(fixture.check(code.substr(0, 3) + " " + code.substr(3) + "\n", clock));
}

TEST_CASE("reauthenticate refuses a wrong or expired code", "[auth]")
{
  Fixture fixture;
  const FixedClock clock(1700000000);
  const std::string current = code_at(clock.now());
  for (const std::string& wrong : {current == "123456" ? std::string("654321") : std::string("123456"),
                                   code_at(clock.now() - 90), std::string("12345"), std::string("abcdef")}) {
    const Error error = fixture.refusal(wrong, clock);
    CHECK(error.kind() == ErrorKind::no_permission);
    CHECK(std::string(error.what()) == "two-factor code is wrong or expired");
  }
  CHECK(fixture.journal.second_factor(k_store, "ada").last_step == -1);
  CHECK(fixture.journal.second_factor(k_store, "ada").failed_attempts == 4);
}

TEST_CASE("reauthenticate refuses a code used before, and takes the next one", "[auth]")
{
  Fixture fixture;
  FixedClock clock(1700000000);
  const std::string code = code_at(clock.now());
  fixture.check(code, clock);
  const Error error = fixture.refusal(code, clock);
  CHECK(error.kind() == ErrorKind::no_permission);
  CHECK(error.line() == "this two-factor code was already used (wait for the next code)");
  // Still inside the window a step later: the same code is still refused.
  clock.advance(30);
  CHECK(fixture.refusal(code, clock).kind() == ErrorKind::no_permission);
  CHECK_NOTHROW(fixture.check(code_at(clock.now()), clock));
}

TEST_CASE("five wrong codes in a row lock restores for the user for 15 minutes", "[auth]")
{
  Fixture fixture;
  FixedClock clock(1700000000);
  const std::string wrong = code_at(clock.now()) == "123456" ? "654321" : "123456";
  for (int attempt = 1; attempt < crm::catalog::Journal::k_max_failed_codes; ++attempt)
    CHECK(std::string(fixture.refusal(wrong, clock).what()) == "two-factor code is wrong or expired");
  const Error locking = fixture.refusal(wrong, clock);
  CHECK(locking.kind() == ErrorKind::no_permission);
  CHECK_THAT(locking.what(), Catch::Contains("restores are now locked for ada until"));
  // Locked: even the right code is refused, saying until when.
  const Error locked = fixture.refusal(code_at(clock.now()), clock);
  CHECK(locked.kind() == ErrorKind::no_permission);
  CHECK_THAT(locked.what(), Catch::Contains("restores are locked for ada until 2023-11-14 22:28 UTC"));
  clock.advance(crm::catalog::Journal::k_lockout_seconds);
  CHECK_NOTHROW(fixture.check(code_at(clock.now()), clock));
  CHECK(fixture.journal.second_factor(k_store, "ada").failed_attempts == 0);
}

TEST_CASE("a right code resets the count of wrong ones", "[auth]")
{
  Fixture fixture;
  FixedClock clock(1700000000);
  const std::string wrong = code_at(clock.now()) == "123456" ? "654321" : "123456";
  for (int attempt = 1; attempt < crm::catalog::Journal::k_max_failed_codes; ++attempt)
    fixture.refusal(wrong, clock);
  fixture.check(code_at(clock.now()), clock);
  clock.advance(30);
  CHECK(std::string(fixture.refusal(wrong, clock).what()) == "two-factor code is wrong or expired");
}

TEST_CASE("reauthenticate refuses a user without a two-factor secret anywhere", "[auth]")
{
  Fixture fixture;
  fixture.store.data.totp_secrets.clear();
  const FixedClock clock(1700000000);
  const Error error = fixture.refusal(code_at(clock.now()), clock);
  CHECK(error.kind() == ErrorKind::no_permission);
  CHECK_THAT(error.line(), Catch::Contains("crm-restore 2fa enroll"));
}

TEST_CASE("a backend that cannot verify a second factor uses the repository's enrollment", "[auth]")
{
  Fixture fixture;
  fixture.store.knows_second_factor = false;
  const FixedClock clock(1700000000);
  CHECK(fixture.refusal(code_at(clock.now()), clock).kind() == ErrorKind::no_permission);  // not enrolled
  const std::string secret = crm::auth::enroll_second_factor(fixture.journal, k_store, "ada", clock);
  const std::string key = *crm::crypto::base32_decode(secret);
  CHECK(key.size() == 20);
  CHECK_NOTHROW(fixture.check(crm::auth::totp_code(key, crm::auth::totp_step(clock.now())), clock));
  CHECK(fixture.journal.remove_enrollment(k_store, "ada"));
  CHECK_FALSE(fixture.journal.remove_enrollment(k_store, "ada"));
}

TEST_CASE("otpauth_uri is what authenticator apps scan", "[auth]")
{
  CHECK(crm::auth::otpauth_uri("crm-backup", "ada@example.com", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") ==
        "otpauth://totp/crm-backup:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=crm-backup"
        "&algorithm=SHA1&digits=6&period=30");
  CHECK_THAT(crm::auth::otpauth_uri("crm backup", "a b", "AB"),
             Catch::StartsWith("otpauth://totp/crm%20backup:a%20b?"));
}

TEST_CASE("reauthenticate reports a stored secret that is not base32 as a configuration error", "[auth]")
{
  Fixture fixture;
  fixture.store.data.totp_secrets["ada"] = "not base32!";
  const FixedClock clock(1700000000);
  const Error error = fixture.refusal("123456", clock);
  CHECK(error.kind() == ErrorKind::config);
  CHECK_THAT(error.what(), !Catch::Contains("not base32!"));
}
