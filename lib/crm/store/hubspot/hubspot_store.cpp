#include "crm/store/hubspot/hubspot_store.hpp"

#include <crm/base/error.hpp>
#include <crm/base/secret_file.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/store/hubspot/api_client.hpp>
#include <crm/store/hubspot/hubspot_session.hpp>

#include <fmt/format.h>

#include <cstdlib>

namespace crm::store::hubspot {

namespace {

constexpr std::size_t k_max_token_bytes = 4096;

std::string trimmed(std::string text)
{
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  std::string trimmed = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  wipe(text);
  return trimmed;
}

// Every way the token cannot be had is "not permitted" (exit 77): without a
// token, nothing may be read, whatever the reason.
std::string read_token_file(const char* path)
{
  try {
    return trimmed(read_secret_file(path, "HubSpot token file", FileAccess::owner_only, k_max_token_bytes));
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::no_permission)
      throw;
    throw Error(ErrorKind::no_permission, error.what(),
                "set CRM_HUBSPOT_TOKEN_FILE to a file holding the private app's token");
  }
}

std::string read_token()
{
  keep_secrets_out_of_core_dumps();
  std::string token;
  if (const char* path = std::getenv("CRM_HUBSPOT_TOKEN_FILE"); path != nullptr && *path != '\0')
    token = read_token_file(path);
  else if (const char* text = std::getenv("CRM_HUBSPOT_TOKEN"); text != nullptr)
    token = trimmed(text);
  if (token.empty())
    throw Error(ErrorKind::no_permission, "no HubSpot token: the store hubspot: needs a private app's token",
                "put it in a file only you can read and set CRM_HUBSPOT_TOKEN_FILE (or set CRM_HUBSPOT_TOKEN)");
  for (const char c : token)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
      throw Error(ErrorKind::no_permission, "the HubSpot token holds spaces or control characters",
                  "put only the private app's token in CRM_HUBSPOT_TOKEN_FILE");
  return token;
}

AccountSettings account_settings(const StoreSettings& settings)
{
  AccountSettings account;
  if (const auto tier = settings.find("hubspot.tier"); tier != settings.end()) {
    try {
      account.tier = parse_plan_tier(tier->second);
    } catch (const Error&) {
      throw Error(ErrorKind::config, fmt::format("the repository setting hubspot.tier is '{}'", tier->second),
                  "set it to starter, professional or enterprise (docs/hubspot.md)");
    }
  }
  if (const auto users = settings.find("hubspot.sso_users"); users != settings.end()) {
    std::string_view list = users->second;
    while (!list.empty()) {
      const auto comma = list.find(',');
      std::string_view user = list.substr(0, comma);
      while (!user.empty() && user.front() == ' ')
        user.remove_prefix(1);
      while (!user.empty() && user.back() == ' ')
        user.remove_suffix(1);
      if (!user.empty())
        account.sso_users.emplace(user);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  return account;
}

// HubSpot's documented limits per private app and 10 seconds; the headers
// of the first answer correct it.
int ten_second_limit(PlanTier tier) { return tier == PlanTier::starter ? 100 : 190; }

class HubSpotStore final : public Store {
public:
  HubSpotStore(ApiSettings api, AccountSettings account, Access access)
      : m_api(std::move(api)), m_account(std::move(account)), m_access(access)
  {
  }

  Guarantees guarantees() const override { return {false, false, false}; }

  std::unique_ptr<Reader> read() override { return std::make_unique<HubSpotSession>(m_api, m_account, false); }

  std::unique_ptr<Writer> write() override
  {
    if (m_access != Access::read_write)
      throw Error(ErrorKind::no_permission, "the HubSpot store was opened read-only");
    return std::make_unique<HubSpotSession>(m_api, m_account, true);
  }

private:
  ApiClient m_api;
  AccountSettings m_account;
  Access m_access;
};

}  // namespace

std::unique_ptr<Store> open_hubspot_store(std::string_view rest, Access access, const StoreSettings& settings)
{
  if (!rest.empty())
    throw Error(ErrorKind::usage, fmt::format("unexpected text after 'hubspot:': '{}'", rest),
                "write --store hubspot: and give the account through the token (docs/hubspot.md)");
  AccountSettings account = account_settings(settings);
  ApiSettings api;
  if (const char* base_url = std::getenv("CRM_HUBSPOT_BASE_URL"); base_url != nullptr && *base_url != '\0')
    api.base_url = base_url;
  api.requests_per_ten_seconds = ten_second_limit(account.tier);
  api.token = SecretString(read_token());
  return std::make_unique<HubSpotStore>(std::move(api), std::move(account), access);
}

}  // namespace crm::store::hubspot
