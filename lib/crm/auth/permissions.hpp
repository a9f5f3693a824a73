#pragma once
// Who may do what: super admins only for backups and restores (SPEC §1), and
// features that need a plan tier (schedules: enterprise).

#include <crm/store/model.hpp>

#include <optional>
#include <string_view>

namespace crm::auth {

// The user when they are a super admin. Error(no_permission) "no user <name>
// in this account" when `user` is empty, "<name> is not a super admin; only
// super admins can <action>" otherwise.
const store::User& require_super_admin(const std::optional<store::User>& user, std::string_view user_name,
                                       std::string_view action);

// Error(no_permission) "<feature> needs the <minimum> plan; this account is
// on <tier>" when the account's tier is below `minimum`
// (starter < professional < enterprise).
void require_tier(const store::Account& account, store::PlanTier minimum, std::string_view feature);

}  // namespace crm::auth
