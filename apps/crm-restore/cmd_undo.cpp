// crm-restore undo: a plan that puts back what a restore overwrote.

#include "commands.hpp"
#include "plan_summary.hpp"

#include <crm/base/clock.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/restore/undo.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>

namespace crm::restore_app {

namespace {

struct UndoOptions {
  std::int64_t import_id = 0;
  std::string output;
};

int run_undo(const UndoOptions& options, const cli::CommonOptions& common)
{
  auto store = cli::open_store(common, store::Access::read_only);
  auto journal = journal_repository(common, catalog::OpenIntent::read).journal();
  const SystemClock clock;
  restore::UndoRequest request;
  request.user = cli::require_user(common);
  request.import_id = options.import_id;
  request.output = std::filesystem::absolute(
      options.output.empty() ? std::filesystem::path(fmt::format("crm-restore-undo-{}.plan", options.import_id))
                             : std::filesystem::path(options.output));
  cli::ProgressBar bar("crm-restore");
  const auto plan = restore::make_undo_plan(*store, journal, request, clock, bar.callback());
  bar.clear();
  print_plan(plan, common.is_json);
  return 0;
}

}  // namespace

cli::Subcommand add_undo(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<UndoOptions>();
  CLI::App* command = app.add_subcommand("undo", "Make a plan that puts back the values a restore overwrote");
  command->add_option("import", options->import_id, "the restore's import id (crm-restore history)")->required();
  command->add_option("-o,--output", options->output, "plan file to write (default crm-restore-undo-<id>.plan)");
  return {command, [options, &common] { return run_undo(*options, common); }};
}

}  // namespace crm::restore_app
