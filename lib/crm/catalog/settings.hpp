#pragma once
// The repository's small settings ("notify_command", "hubspot.tier",
// "schedule.keep_daily", ...), kept in its catalog. Got from
// Repository::settings(); valid while that repository is.

#include <crm/catalog/catalog.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace crm::catalog {

class Settings {
public:
  // `is_writable`: the repository was opened to write or create; set and
  // erase refuse (Error(internal), a bug) otherwise.
  Settings(Catalog& catalog, bool is_writable) : m_catalog(catalog), m_is_writable(is_writable) {}

  std::optional<std::string> get(std::string_view key) const;
  std::map<std::string, std::string, std::less<>> all() const;
  void set(std::string_view key, std::string_view value);
  void erase(std::string_view key);

private:
  Catalog& m_catalog;
  bool m_is_writable;
};

}  // namespace crm::catalog
