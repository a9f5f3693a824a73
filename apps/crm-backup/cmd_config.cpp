// crm-backup config: the repository's settings, for what a store's API cannot
// tell (docs/hubspot.md) and the notify command (docs/repository.md).
// Reading is for anyone who can read the repository; changing a setting is
// for super admins, checked before the repository is touched.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/snapshot/super_admin.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace crm::backup_app {

namespace {

// A setting as the command line names it (words joined by '-', like the
// options; '_' is taken too) and the key it is stored under.
struct Setting {
  std::string_view name;
  std::string_view key;
  std::string_view meaning;
};

constexpr std::array<Setting, 3> k_settings{{
    {"notify-command", "notify_command",
     "program run when a backup, restore or scheduled run is done; CRM_NOTIFY_COMMAND overrides it"},
    {"hubspot.tier", "hubspot.tier", "the HubSpot account's plan: starter, professional (default) or enterprise"},
    {"hubspot.sso-users", "hubspot.sso_users",
     "e-mails, comma-separated, of HubSpot users who sign in with SSO (default none)"},
}};

struct ConfigOptions {
  std::string action;  // list, get, set, unset
  std::string key;
  std::string value;
};

const Setting& require_known(std::string name)
{
  std::replace(name.begin(), name.end(), '_', '-');
  const auto found =
      std::find_if(k_settings.begin(), k_settings.end(), [&](const Setting& setting) { return setting.name == name; });
  if (found != k_settings.end())
    return *found;
  std::string known;
  for (const auto& setting : k_settings)
    known += fmt::format("{}{}", known.empty() ? "" : ", ", setting.name);
  throw crm::Error(crm::ErrorKind::usage, fmt::format("no setting '{}'", crm::printable(name)),
                   fmt::format("choose from {}", known));
}

int run_config(const ConfigOptions& options, const crm::cli::CommonOptions& common)
{
  const auto repository_path = crm::cli::require_repo(common);
  if (options.action == "list") {
    auto repository = crm::catalog::Repository::open(repository_path, crm::catalog::OpenIntent::read);
    const auto settings = repository.settings().all();
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    for (const auto& setting : k_settings) {
      const auto found = settings.find(setting.key);
      if (common.is_json)
        json[std::string(setting.name)] = found != settings.end() ? nlohmann::ordered_json(found->second) : nullptr;
      else
        fmt::print("{:<18} {:<30} {}\n", setting.name,
                   found != settings.end() ? crm::printable(found->second, 60) : "(not set)", setting.meaning);
    }
    if (common.is_json)
      crm::cli::print_json(json);
    return 0;
  }
  const Setting& setting = require_known(options.key);
  if (options.action == "get") {
    auto repository = crm::catalog::Repository::open(repository_path, crm::catalog::OpenIntent::read);
    const auto value = repository.settings().get(setting.key);
    if (!value)
      throw crm::Error(crm::ErrorKind::not_found, fmt::format("{} is not set", setting.name),
                       fmt::format("set it with crm-backup config set {} VALUE", setting.name));
    if (common.is_json)
      crm::cli::print_json({{"name", setting.name}, {"value", *value}});
    else
      fmt::print("{}\n", *value);
    return 0;
  }
  const std::string& user = crm::cli::require_user(common);
  crm::snapshot::require_super_admin(*crm::cli::open_store(common, crm::store::Access::read_only), user,
                                     "change the repository's settings");
  auto repository = crm::catalog::Repository::open(repository_path, crm::catalog::OpenIntent::create);
  repository.acquire_writer_lock();
  if (options.action == "set") {
    if (options.value.empty())
      throw crm::Error(crm::ErrorKind::usage, "config set needs a value", "crm-backup config set KEY VALUE");
    repository.settings().set(setting.key, options.value);
  } else {
    repository.settings().erase(setting.key);
  }
  if (common.is_json)
    crm::cli::print_json({{"name", setting.name}, {"value", crm::cli::json_text(options.value)}});
  return 0;
}

}  // namespace

crm::cli::Subcommand add_config(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<ConfigOptions>();
  CLI::App* command = app.add_subcommand("config", "Show or change the repository's settings");
  command->require_subcommand(1);
  CLI::App* list = command->add_subcommand("list", "every setting and its value");
  list->callback([options] { options->action = "list"; });
  CLI::App* get = command->add_subcommand("get", "one setting's value");
  get->add_option("key", options->key, "the setting")->required();
  get->callback([options] { options->action = "get"; });
  CLI::App* set = command->add_subcommand("set", "change a setting (super admins only)");
  set->add_option("key", options->key, "the setting")->required();
  set->add_option("value", options->value, "its new value")->required();
  set->callback([options] { options->action = "set"; });
  CLI::App* unset = command->add_subcommand("unset", "back to the default (super admins only)");
  unset->add_option("key", options->key, "the setting")->required();
  unset->callback([options] { options->action = "unset"; });
  return {command, [options, &common] { return run_config(*options, common); }};
}

}  // namespace crm::backup_app
