#include "crm/auth/permissions.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

namespace crm::auth {

const store::User& require_super_admin(const std::optional<store::User>& user, std::string_view user_name,
                                       std::string_view action)
{
  if (!user)
    throw Error(ErrorKind::no_permission, fmt::format("no user {} in this account", user_name),
                "act as a super admin of this account (--as NAME or CRM_USER)");
  if (!user->is_super_admin)
    throw Error(ErrorKind::no_permission,
                fmt::format("{} is not a super admin; only super admins can {}", user_name, action),
                "ask a super admin of this account");
  return *user;
}

void require_tier(const store::Account& account, store::PlanTier minimum, std::string_view feature)
{
  // The enumerators are declared from the smallest plan to the largest.
  if (!account.has_backup_plan_limits || static_cast<int>(account.tier) >= static_cast<int>(minimum))
    return;
  throw Error(ErrorKind::no_permission,
              fmt::format("{} needs the {} plan; this account is on {}", feature, store::to_string(minimum),
                          store::to_string(account.tier)),
              "upgrade the account's plan");
}

}  // namespace crm::auth
