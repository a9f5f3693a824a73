// crm-schedule disable: turns recurring backups off (super admins).

#include "commands.hpp"

#include <crm/schedule/configuration.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::schedule_app {

cli::Subcommand add_disable(CLI::App& app, const cli::CommonOptions& common)
{
  CLI::App* command = app.add_subcommand("disable", "stop recurring backups (super admins)");
  return {command, [&common] {
            const auto store = cli::open_store(common, store::Access::read_only);
            const bool was_enabled = schedule::disable(*store, cli::require_repo(common), cli::require_user(common));
            if (common.is_json)
              cli::print_json({{"enabled", false}, {"was_enabled", was_enabled}});
            else
              fmt::print("{}\n", was_enabled ? "schedule disabled" : "no schedule was enabled; nothing changed");
            return 0;
          }};
}

}  // namespace crm::schedule_app
