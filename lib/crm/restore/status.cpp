#include "crm/restore/status.hpp"

#include <crm/restore/applier.hpp>

namespace crm::restore {

namespace {

std::string outcome_of(const catalog::RestoreRun& run)
{
  switch (run.state) {
  case catalog::RunState::planned: return "planned";
  case catalog::RunState::applying: return "interrupted";
  case catalog::RunState::applied: return "completed";
  case catalog::RunState::partly_applied: return "partly applied";
  case catalog::RunState::failed: return run.error == k_interrupted_before_writing ? "interrupted" : "failed";
  }
  return "failed";
}

}  // namespace

RestoreStatus restore_status(store::Store& store, catalog::Journal& journal, bool is_journal_writable,
                             const Clock& clock)
{
  RestoreStatus status;
  const std::string store_id = store.read()->account().store_id;
  const auto runs = journal.runs(store_id);
  if (runs.empty())
    return status;
  status.last_run = runs.front();
  // Only a run the journal says is applying can be running; whether its
  // process still lives is read from the lock without taking it.
  if (status.last_run->state == catalog::RunState::applying) {
    status.is_running = journal.is_restore_running(store_id);
    if (!status.is_running && is_journal_writable)
      status.last_run = settle_interrupted_run(store, journal, *status.last_run, clock);
  }
  status.outcome = status.is_running ? "running" : outcome_of(*status.last_run);
  const auto history = restore_history(journal, store_id);
  if (!history.empty())
    status.last_import = history.front();
  return status;
}

}  // namespace crm::restore
