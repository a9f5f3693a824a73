// crm-schedule systemd-unit: prints (or writes) a .service and .timer pair
// that calls `run`.

#include "commands.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/schedule/encryption.hpp>
#include <crm/schedule/systemd_units.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <pwd.h>
#include <unistd.h>

namespace crm::schedule_app {

namespace {

struct SystemdUnitOptions {
  int every_minutes = 10;
  std::string log_file;
  std::string unit_name = "crm-schedule";
  std::string system_user;
  std::string output_directory;
};

// The user this command runs as: the run must be able to read the store and
// write the repository, which belong to them.
std::string current_user_name()
{
  const passwd* entry = ::getpwuid(::geteuid());
  return entry != nullptr ? entry->pw_name : "";
}

}  // namespace

cli::Subcommand add_systemd_unit(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<SystemdUnitOptions>();
  CLI::App* command =
      app.add_subcommand("systemd-unit", "print a systemd .service and .timer pair that calls `crm-schedule run`");
  command->add_option("--every-minutes", options->every_minutes, "how often the timer calls run (default 10)");
  command->add_option("--log-file", options->log_file, "append output to this file instead of the journal");
  command->add_option("--name", options->unit_name, "unit name without suffix (default crm-schedule)");
  command->add_option("--service-user", options->system_user, "User= of the service (default: the current user)");
  command->add_option("--output-dir", options->output_directory,
                      "write <name>.service and <name>.timer into this directory instead of printing them");
  return {command, [options, &common] {
            schedule::Invocation invocation = run_invocation(common, options->every_minutes, options->log_file);
            invocation.unit_name = options->unit_name;
            invocation.system_user = options->system_user.empty() ? current_user_name() : options->system_user;
            invocation.passphrase_file = schedule::passphrase_file_of(invocation.repository).value_or("");
            const schedule::SystemdUnits units = schedule::systemd_units(schedule::make_absolute(invocation));
            if (!options->output_directory.empty()) {
              // Unit files are configuration, readable by systemd and the admin: 0644.
              const std::filesystem::path directory = options->output_directory;
              write_file_atomically(directory / units.service_name, units.service, 0644);
              write_file_atomically(directory / units.timer_name, units.timer, 0644);
              if (!common.is_json) {
                fmt::print("{}\n{}\n", (directory / units.service_name).string(),
                           (directory / units.timer_name).string());
                return 0;
              }
            }
            if (common.is_json) {
              cli::print_json({{"service_name", units.service_name},
                               {"service", units.service},
                               {"timer_name", units.timer_name},
                               {"timer", units.timer}});
              return 0;
            }
            fmt::print("# {}\n{}\n# {}\n{}", units.service_name, units.service, units.timer_name, units.timer);
            return 0;
          }};
}

}  // namespace crm::schedule_app
