// crm-restore plan: compare a backup with the live store, write the plan file.

#include "commands.hpp"
#include "plan_summary.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/cli/secret_input.hpp>
#include <crm/restore/applier.hpp>
#include <crm/restore/open_backup.hpp>
#include <crm/restore/planner.hpp>
#include <crm/snapshot/super_admin.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>

namespace crm::restore_app {

namespace {

struct PlanOptions {
  std::string backup;
  std::string object;
  std::vector<std::string> properties;
  bool is_all_properties = false;
  std::string output;
  cli::SecretSource passphrase = cli::passphrase_source();
};

// "20260125T020000Z": sortable, and safe in a file name.
std::string compact_time(UnixTime time)
{
  std::string text = format_iso8601(time);
  std::erase_if(text, [](char c) { return c == '-' || c == ':'; });
  return text;
}

int run_plan(const PlanOptions& options, const cli::CommonOptions& common)
{
  cli::require_store(common);
  const std::string& user = cli::require_user(common);
  const SystemClock clock;
  auto store = cli::open_store(common, store::Access::read_only);
  // Who may act is checked before the backup is decrypted, verified or
  // spilled (issue 10, hole 12); make_plan checks again in its snapshot.
  snapshot::require_super_admin(*store, user, "restore data");
  restore::PlanRequest request;
  request.user = user;
  request.object = options.object;
  request.properties = options.properties;
  request.is_all_properties = options.is_all_properties;
  request.output = std::filesystem::absolute(
      options.output.empty()
          ? std::filesystem::path(fmt::format("crm-restore-{}-{}.plan", options.object, compact_time(clock.now())))
          : std::filesystem::path(options.output));
  auto live = store->read();
  std::unique_ptr<restore::BackupSource> backup;
  cli::with_secret(options.passphrase, [&](std::optional<SecretString> passphrase) {
    backup = restore::open_backup(options.backup, common.repo, passphrase, *live, options.object);
  });
  cli::ProgressBar bar("crm-restore");  // records scanned, on a terminal only
  const auto plan = restore::make_plan(*store, *backup, request, clock, bar.callback());
  bar.clear();
  // With a repository, the journal knows the plan from now on ("planned").
  // Informative only: the plan file is written, and a repository this user
  // cannot write (or none yet) must not fail it; apply records the run anyway.
  // A plan that changes nothing is never applied for real (apply_plan), so
  // the journal does not wait for it.
  if (!common.repo.empty() && plan.summary.records_to_change > 0) {
    try {
      auto journal = journal_repository(common, catalog::OpenIntent::write).journal();
      restore::record_planned(journal, plan, user, clock);
    } catch (const Error&) {
    }
  }
  print_plan(plan, common.is_json);
  return 0;
}

}  // namespace

cli::Subcommand add_plan(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<PlanOptions>();
  CLI::App* command = app.add_subcommand("plan", "Compare a backup with the store and write a restore plan to review");
  command->add_option("--backup", options->backup, "backup id (with --repo) or zip file")->required();
  command
      ->add_option("--object", options->object,
                   "companies, contacts, deals, tickets, products, calls, tasks or a custom object")
      ->required();
  auto* properties =
      command->add_option("--properties", options->properties, "properties to restore: a,b,c")->delimiter(',');
  auto* all = command->add_flag("--all-properties", options->is_all_properties, "restore every restorable property");
  properties->excludes(all);
  command->add_option("-o,--output", options->output, "plan file to write (default crm-restore-<object>-<time>.plan)");
  cli::add_secret_file_option(*command, "--passphrase-file", options->passphrase);
  return {command, [options, &common] {
            if (options->properties.empty() && !options->is_all_properties)
              throw Error(ErrorKind::usage, "no properties chosen", "pass --properties a,b,c or --all-properties");
            return run_plan(*options, common);
          }};
}

}  // namespace crm::restore_app
