// crm-restore history: the completed restore imports, newest first.

#include "commands.hpp"

#include <crm/restore/history.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::restore_app {

namespace {

int run_history(const cli::CommonOptions& common)
{
  auto store = cli::open_store(common, store::Access::read_only);
  auto journal = journal_repository(common, catalog::OpenIntent::read).journal();
  const auto history = restore::restore_history(journal, store->read()->account().store_id);
  if (common.is_json) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& restore : history)
      out.push_back({{"id", restore.import.id},
                     {"name", restore.import.name},
                     {"state", restore.import.state},
                     {"user", restore.import.user},
                     {"created_at", cli::json_time(restore.import.created_at)},
                     {"records_updated", restore.import.records_updated},
                     {"values_set", restore.import.values_set},
                     {"values_cleared", restore.import.values_cleared},
                     {"backup_id", cli::json_text(restore.backup_id)},
                     {"source_file", cli::json_path(restore.source_file)},
                     {"properties", restore.properties},
                     {"plan_hash", restore.plan_hash},
                     {"undo_file", cli::json_path(restore.undo_file)},
                     {"records_failed", restore.records_failed},
                     {"undo_of_import", restore.undo_of_import > 0 ? nlohmann::ordered_json(restore.undo_of_import)
                                                                   : nlohmann::ordered_json()}});
    cli::print_json(out);
    return 0;
  }
  if (history.empty())
    fmt::print("no restores yet\n");
  for (const auto& restore : history)
    fmt::print("{}  {}  {}  by {}: {} records, {} values set, {} cleared{}\n", restore.import.id,
               format_human(restore.import.created_at), restore.import.name, restore.import.user,
               restore.import.records_updated, restore.import.values_set, restore.import.values_cleared,
               restore.undo_of_import > 0 ? fmt::format(" (undo of {})", restore.undo_of_import) : "");
  return 0;
}

}  // namespace

cli::Subcommand add_history(CLI::App& app, const cli::CommonOptions& common)
{
  CLI::App* command = app.add_subcommand("history", "The completed restores, newest first");
  return {command, [&common] { return run_history(common); }};
}

}  // namespace crm::restore_app
