#include "crm/catalog/settings.hpp"

#include <crm/catalog/read_only_refusal.hpp>

namespace crm::catalog {

std::optional<std::string> Settings::get(std::string_view key) const { return m_catalog.setting(key); }

std::map<std::string, std::string, std::less<>> Settings::all() const { return m_catalog.settings(); }

void Settings::set(std::string_view key, std::string_view value)
{
  if (!m_is_writable)
    throw read_only_refusal("change a setting");
  m_catalog.set_setting(key, value);
}

void Settings::erase(std::string_view key)
{
  if (!m_is_writable)
    throw read_only_refusal("change a setting");
  m_catalog.erase_setting(key);
}

}  // namespace crm::catalog
