#include <crm/auth/reauth.hpp>
#include <crm/auth/totp.hpp>
#include <crm/base/error.hpp>
#include <crm/crypto/base32.hpp>

#include <catch2/catch.hpp>
#include <map>

using crm::Error;
using crm::ErrorKind;
using crm::FixedClock;
using crm::auth::reauthenticate;
using namespace crm::store;

namespace {

// A store writer that only keeps the TOTP replay guard.
class FakeWriter final : public Writer {
public:
  std::map<std::string, std::int64_t, std::less<>> last_steps;

  Account account() override { return {}; }
  std::vector<ObjectType> object_types() override { return {}; }
  std::optional<ObjectType> find_object_type(std::string_view) override { return std::nullopt; }
  std::int64_t count_records(const ObjectType&) override { return 0; }
  void scan_records(const ObjectType&, std::span<const std::string>, const RecordFn&) override {}
  void scan_deleted(const ObjectType&, const std::function<void(RecordId)>&) override {}
  std::vector<Workflow> workflows() override { return {}; }
  std::optional<User> find_user(std::string_view) override { return std::nullopt; }
  std::vector<Import> imports() override { return {}; }
  std::vector<Notification> notifications() override { return {}; }
  std::vector<AuditEntry> audit_log() override { return {}; }
  void update_record(const ObjectType&, RecordId, std::span<const std::string>, std::span<const std::string>) override
  {
  }
  std::int64_t add_import(const Import&) override { return 0; }
  void add_audit(const AuditEntry&) override {}
  void add_notification(const Notification&) override {}
  void enroll(std::int64_t, RecordId, crm::UnixTime) override {}
  bool use_totp_step(std::string_view user, std::int64_t step) override
  {
    const auto found = last_steps.find(user);
    if (found != last_steps.end() && step <= found->second)
      return false;
    last_steps[std::string(user)] = step;
    return true;
  }
  void commit() override {}
};

const std::string k_secret = "12345678901234567890";

User totp_user()
{
  User user;
  user.name = "ada";
  user.is_super_admin = true;
  user.totp_secret = crm::crypto::base32_encode(k_secret);
  return user;
}

std::string code_at(crm::UnixTime time) { return crm::auth::totp_code(k_secret, crm::auth::totp_step(time)); }

// The error reauthenticate throws, or a failed test.
Error refusal(FakeWriter& writer, const User& user, std::optional<std::string> code, const FixedClock& clock)
{
  try {
    reauthenticate(writer, user, std::move(code), clock);
  } catch (const Error& error) {
    return error;
  }
  FAIL("reauthenticate accepted");
  return Error(ErrorKind::internal, "unreachable");
}

}  // namespace

TEST_CASE("reauthenticate lets an SSO user through without a code", "[auth]")
{
  FakeWriter writer;
  User user = totp_user();
  user.uses_sso = true;
  const FixedClock clock(1700000000);
  CHECK_NOTHROW(reauthenticate(writer, user, std::nullopt, clock));
  CHECK(writer.last_steps.empty());
}

TEST_CASE("reauthenticate asks for a code when none is given", "[auth]")
{
  FakeWriter writer;
  const FixedClock clock(1700000000);
  for (const std::optional<std::string>& missing : {std::optional<std::string>(), std::optional<std::string>("")}) {
    const Error error = refusal(writer, totp_user(), missing, clock);
    CHECK(error.kind() == ErrorKind::no_permission);
    CHECK(std::string(error.what()) == "two-factor code required");
    CHECK_FALSE(error.hint().empty());
  }
}

TEST_CASE("reauthenticate accepts the current code and records its step", "[auth]")
{
  FakeWriter writer;
  const FixedClock clock(1700000000);
  CHECK_NOTHROW(reauthenticate(writer, totp_user(), code_at(clock.now()), clock));
  CHECK(writer.last_steps.at("ada") == crm::auth::totp_step(clock.now()));
}

TEST_CASE("reauthenticate accepts the code as authenticator apps show it, with a space", "[auth]")
{
  FakeWriter writer;
  const FixedClock clock(1700000000);
  const std::string code = code_at(clock.now());
  CHECK_NOTHROW(reauthenticate(writer, totp_user(), code.substr(0, 3) + " " + code.substr(3) + "\n", clock));
}

TEST_CASE("reauthenticate refuses a wrong or expired code", "[auth]")
{
  FakeWriter writer;
  const FixedClock clock(1700000000);
  const std::string current = code_at(clock.now());
  for (const std::string& wrong : {current == "123456" ? std::string("654321") : std::string("123456"),
                                  code_at(clock.now() - 90), std::string("12345"), std::string("abcdef")}) {
    const Error error = refusal(writer, totp_user(), wrong, clock);
    CHECK(error.kind() == ErrorKind::no_permission);
    CHECK(std::string(error.what()) == "two-factor code is wrong or expired");
  }
  CHECK(writer.last_steps.empty());
}

TEST_CASE("reauthenticate refuses a code used before, and takes the next one", "[auth]")
{
  FakeWriter writer;
  FixedClock clock(1700000000);
  const std::string code = code_at(clock.now());
  reauthenticate(writer, totp_user(), code, clock);
  const Error error = refusal(writer, totp_user(), code, clock);
  CHECK(error.kind() == ErrorKind::no_permission);
  CHECK(error.line() == "this two-factor code was already used (wait for the next code)");
  // Still inside the window a step later: the same code is still refused.
  clock.advance(30);
  CHECK(refusal(writer, totp_user(), code, clock).kind() == ErrorKind::no_permission);
  CHECK_NOTHROW(reauthenticate(writer, totp_user(), code_at(clock.now()), clock));
}

TEST_CASE("reauthenticate refuses a user without a two-factor secret", "[auth]")
{
  FakeWriter writer;
  User user = totp_user();
  user.totp_secret.clear();
  const FixedClock clock(1700000000);
  const Error error = refusal(writer, user, code_at(clock.now()), clock);
  CHECK(error.kind() == ErrorKind::no_permission);
}

TEST_CASE("reauthenticate reports a stored secret that is not base32 as a configuration error", "[auth]")
{
  FakeWriter writer;
  User user = totp_user();
  user.totp_secret = "not base32!";
  const FixedClock clock(1700000000);
  const Error error = refusal(writer, user, "123456", clock);
  CHECK(error.kind() == ErrorKind::config);
  CHECK_THAT(error.what(), !Catch::Contains("not base32!"));
}
