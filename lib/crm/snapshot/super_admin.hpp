#pragma once
// The super-admin rule for the commands that work on backups without making
// one (SPEC §8): download copies every customer value out and prune deletes
// backups, so both are checked like create, before any other work.

#include <crm/store/store.hpp>

#include <string_view>

namespace crm::snapshot {

// Reads `user` through one Reader of `store` and throws Error(no_permission)
// unless they are a super admin of the account; `action` completes "only
// super admins can <action>".
void require_super_admin(store::Store& store, std::string_view user, std::string_view action);

}  // namespace crm::snapshot
