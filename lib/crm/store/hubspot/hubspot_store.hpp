#pragma once
// Opens `hubspot:` (docs/hubspot.md): the private app's token from
// CRM_HUBSPOT_TOKEN_FILE (a file no group or other may read: else
// Error(no_permission)) or CRM_HUBSPOT_TOKEN, never from argv; the API at
// CRM_HUBSPOT_BASE_URL (default https://api.hubapi.com); what the API cannot
// tell from the repository's settings: `hubspot.tier` (starter, professional
// or enterprise; default professional) and `hubspot.sso_users` (e-mails,
// comma-separated, of users who sign in with SSO; default none).

#include <crm/store/store.hpp>

#include <memory>
#include <string_view>

namespace crm::store::hubspot {

std::unique_ptr<Store> open_hubspot_store(std::string_view rest, Access access, const StoreSettings& settings);

}  // namespace crm::store::hubspot
