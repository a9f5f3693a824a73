#include "crm/snapshot/super_admin.hpp"

#include <crm/auth/permissions.hpp>

namespace crm::snapshot {

void require_super_admin(store::Store& store, std::string_view user, std::string_view action)
{
  const auto reader = store.read();
  auth::require_super_admin(reader->find_user(user), user, action);
}

}  // namespace crm::snapshot
