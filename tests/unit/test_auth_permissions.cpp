#include <crm/auth/permissions.hpp>
#include <crm/base/error.hpp>
#include <support/error_of.hpp>

#include <catch2/catch.hpp>

using crm::Error;
using crm::ErrorKind;
using crm::auth::require_super_admin;
using crm::auth::require_tier;
using crm::store::Account;
using crm::store::PlanTier;
using crm::store::User;

namespace {

template <typename Call> Error refusal(Call call) { return crm::test::error_of(call); }

Account account_on(PlanTier tier)
{
  Account account;
  account.tier = tier;
  return account;
}

}  // namespace

TEST_CASE("require_super_admin lets a super admin through", "[auth]")
{
  User admin;
  admin.name = "ada";
  admin.is_super_admin = true;
  const std::optional<User> user = admin;
  CHECK(require_super_admin(user, "ada", "make backups").name == "ada");
}

TEST_CASE("require_super_admin refuses a user who is not a super admin", "[auth]")
{
  User sales;
  sales.name = "bob";
  const Error error = refusal([&] { require_super_admin(std::optional<User>(sales), "bob", "make backups"); });
  CHECK(error.kind() == ErrorKind::no_permission);
  CHECK(std::string(error.what()) == "bob is not a super admin; only super admins can make backups");
}

TEST_CASE("require_super_admin refuses an unknown user", "[auth]")
{
  const Error error = refusal([] { require_super_admin(std::nullopt, "mallory", "restore data"); });
  CHECK(error.kind() == ErrorKind::no_permission);
  CHECK(std::string(error.what()) == "no user mallory in this account");
}

TEST_CASE("require_tier lets an account on the plan or above through", "[auth]")
{
  CHECK_NOTHROW(require_tier(account_on(PlanTier::enterprise), PlanTier::enterprise, "scheduled backups"));
  CHECK_NOTHROW(require_tier(account_on(PlanTier::enterprise), PlanTier::professional, "x"));
  CHECK_NOTHROW(require_tier(account_on(PlanTier::professional), PlanTier::professional, "x"));
  CHECK_NOTHROW(require_tier(account_on(PlanTier::starter), PlanTier::starter, "x"));
}

TEST_CASE("require_tier refuses an account on a smaller plan, naming both plans", "[auth]")
{
  const Error error =
      refusal([] { require_tier(account_on(PlanTier::professional), PlanTier::enterprise, "scheduled backups"); });
  CHECK(error.kind() == ErrorKind::no_permission);
  CHECK(std::string(error.what()) == "scheduled backups needs the enterprise plan; this account is on professional");
  CHECK(refusal([] { require_tier(account_on(PlanTier::starter), PlanTier::professional, "x"); }).kind() ==
        ErrorKind::no_permission);
}
