#include "crm/restore/applier.hpp"

#include <crm/auth/permissions.hpp>
#include <crm/auth/reauth.hpp>
#include <crm/base/error.hpp>
#include <crm/base/hex.hpp>
#include <crm/crypto/random.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/notify/notifier.hpp>
#include <crm/restore/plan_reader.hpp>
#include <crm/restore/plan_writer.hpp>
#include <crm/restore/planner.hpp>
#include <crm/restore/private_plan.hpp>
#include <crm/restore/progress_check.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace crm::restore {

using nlohmann::json;

namespace {

constexpr std::int64_t k_progress_every = 256;

[[noreturn]] void changed_since(std::string_view what)
{
  throw Error(ErrorKind::temp_fail, fmt::format("the store changed since the plan was made: {}", what),
              "nothing was written; make a new plan with crm-restore plan");
}

// The plan's properties must still be restorable, and the workflows that may
// re-enroll must be the ones the plan warned about.
void check_definitions(store::Reader& reader, const store::ObjectType& type, const PlanHeader& header,
                       const PlanSummary& summary)
{
  for (const auto& name : header.properties) {
    const store::Property* property = type.find_property(name);
    if (property == nullptr)
      changed_since(fmt::format("property {} is no longer defined", name));
    if (property->is_read_only)
      changed_since(fmt::format("property {} is now read-only", name));
  }
  const auto workflows = reenrolling_workflows(reader.workflows(), type.object_type_id, header.properties);
  const bool is_same = workflows.size() == summary.workflows.size() &&
                       std::equal(workflows.begin(), workflows.end(), summary.workflows.begin(),
                                  [](const WorkflowWarning& now, const WorkflowWarning& planned) {
                                    return now.id == planned.id && now.trigger_properties == planned.trigger_properties;
                                  });
  if (!is_same)
    changed_since("the workflows that may re-enroll its records changed");
}

std::string details_json(const PrivatePlan& plan, const std::filesystem::path& plan_path,
                         const std::filesystem::path& undo_file, std::int64_t run_id)
{
  const auto& source = plan.header().source;
  const json details = {
      {"run_id", run_id},
      {"plan", std::filesystem::absolute(plan_path).lexically_normal().string()},
      {"plan_hash", plan.sha256()},
      {"undo_file", std::filesystem::absolute(undo_file).lexically_normal().string()},
      {"source",
       {{"kind", source.kind},
        {"backup_id", source.backup_id},
        {"file", source.file},
        {"sha256", source.sha256},
        {"undo_of_import", source.undo_of_import}}},
      {"object", plan.header().object_name},
      {"properties", plan.header().properties},
      {"records_updated", plan.summary().records_to_change},
      {"values_set", plan.summary().values_to_set},
      {"values_cleared", plan.summary().values_to_clear},
      {"records_deleted_not_restored", plan.summary().records_deleted},
  };
  return details.dump();
}

// Writes the undo file: every change of the plan reversed, durable before
// the first write to the store. Returns its SHA-256.
std::string write_undo_file(const PrivatePlan& plan, const catalog::RestoreRun& run, const Clock& clock)
{
  PlanHeader header = plan.header();
  header.created_at = clock.now();
  header.created_by = run.user;
  header.source = {"undo",        plan.header().source.backup_id,     run.plan,
                   plan.sha256(), plan.header().source.snapshot_time, plan.header().source.are_checksums_verified,
                   run.id};
  header.refused.clear();
  PlanWriter undo(run.undo_file, header, k_undo_format_name);
  PlanReader changes(plan.path());
  PlanChange change;
  PlanChange reverse;
  while (changes.next_change(change)) {
    reverse.id = change.id;
    reverse.properties = change.properties;
    reverse.before = change.after;
    reverse.after = change.before;
    undo.add_change(reverse);
  }
  return undo.commit({});
}

bool is_triggered(const WorkflowWarning& workflow, const std::vector<std::string>& properties)
{
  return std::any_of(properties.begin(), properties.end(), [&](const auto& name) {
    return std::find(workflow.trigger_properties.begin(), workflow.trigger_properties.end(), name) !=
           workflow.trigger_properties.end();
  });
}

std::string_view outcome_name(store::UpdateStatus status)
{
  return status == store::UpdateStatus::not_found ? "not_found" : "rejected";
}

// Streams the plan's changes still to do to the writer in batches.
class BatchWriter {
public:
  BatchWriter(store::Writer& writer, const store::ObjectType& type, catalog::Journal& journal, catalog::RestoreRun& run,
              bool is_atomic)
      : m_writer(writer), m_type(type), m_journal(journal), m_run(run), m_is_atomic(is_atomic)
  {
  }

  // Queues `change`; a full batch is written at once.
  void add(const PlanChange& change)
  {
    m_batch.push_back({change.id, change.properties, change.after});
    if (m_batch.size() == store::k_max_update_batch)
      flush();
  }

  // Writes what is queued; on a batch-by-batch backend records the batch's
  // outcome and the run's progress in the journal.
  void flush()
  {
    if (m_batch.empty())
      return;
    const auto outcomes = m_writer.update_records(m_type, m_batch);
    std::vector<catalog::RecordFailure> failures;
    for (const auto& outcome : outcomes) {
      if (outcome.status == store::UpdateStatus::applied)
        continue;
      // One transaction: a record that vanished under it means the plan no
      // longer holds, and nothing may be written.
      if (m_is_atomic)
        changed_since(outcome.reason);
      failures.push_back({outcome.id, std::string(outcome_name(outcome.status)), outcome.reason});
    }
    m_run.records_written += static_cast<std::int64_t>(outcomes.size() - failures.size());
    m_run.records_failed += static_cast<std::int64_t>(failures.size());
    if (!m_is_atomic)
      m_journal.record_batch(m_run, failures);
    m_batch.clear();
  }

private:
  store::Writer& m_writer;
  const store::ObjectType& m_type;
  catalog::Journal& m_journal;
  catalog::RestoreRun& m_run;
  bool m_is_atomic;
  std::vector<store::RecordUpdate> m_batch;
};

void report(const ProgressFn& progress, std::string_view stage, std::int64_t done = 0, std::int64_t total = 0)
{
  if (progress)
    progress({stage, done, total, 0});
}

// A journal row for `plan`, not yet in the journal.
catalog::RestoreRun new_run(const PlanHeader& header, const PlanSummary& summary, const std::filesystem::path& plan,
                            const std::string& plan_hash, const std::string& user, catalog::RunState state,
                            UnixTime started_at)
{
  catalog::RestoreRun run;
  run.store_id = header.store_id;
  run.user = user;
  run.object_name = header.object_name;
  run.object_type_id = header.object_type_id;
  run.import_name = import_name(header.object_singular);
  run.plan = std::filesystem::absolute(plan).lexically_normal().string();
  run.plan_hash = plan_hash;
  run.state = state;
  run.started_at = started_at;
  run.records_total = summary.records_to_change;
  run.values_set = summary.values_to_set;
  run.values_cleared = summary.values_to_clear;
  run.undo_of_import = header.source.undo_of_import;
  return run;
}

// The plan is for this store, the user a super admin who acknowledged both
// consequences. Returns the user.
store::User require_applier(store::Store& store, const ApplyRequest& request, const PlanHeader& header)
{
  store::User user;
  {
    auto reader = store.read();
    if (reader->account().store_id != header.store_id)
      throw Error(ErrorKind::data, fmt::format("plan {} was made against another store", request.plan.string()),
                  "make a plan against this store with crm-restore plan");
    user = auth::require_super_admin(reader->find_user(request.user), request.user, "restore data");
  }
  if (!request.is_data_change_acknowledged || !request.is_irreversible_acknowledged)
    throw Error(ErrorKind::no_permission,
                "the restore needs both acknowledgements: it changes data, and the CRM keeps no undo of it",
                "pass --acknowledge-data-change --acknowledge-irreversible, or run at a terminal to answer");
  return user;
}

// The run of this plan a dead process left behind, settled against the store
// first: applied or failed ones are over (none is returned: a new run starts,
// and finds an applied plan's values already there); a partly applied one is
// continued; a planned one is started in its own row.
std::optional<catalog::RestoreRun> unfinished_run(store::Store& store, catalog::Journal& journal,
                                                  const PrivatePlan& plan, const Clock& clock)
{
  std::optional<catalog::RestoreRun> previous = journal.unfinished_run(plan.header().store_id, plan.sha256());
  if (previous && previous->state == catalog::RunState::applying)
    previous = settle_interrupted_run(store, journal, *previous, clock);
  if (previous && (previous->state == catalog::RunState::applied || previous->state == catalog::RunState::failed))
    previous.reset();
  return previous;
}

// Continues an interrupted run whose undo file is still the one it wrote.
catalog::RestoreRun continue_run(catalog::Journal& journal, catalog::RestoreRun run)
{
  std::error_code missing;
  if (!std::filesystem::exists(run.undo_file, missing) || crypto::file_sha256(run.undo_file) != run.undo_sha256)
    throw Error(ErrorKind::data,
                fmt::format("the undo file {} of restore {} changed since the run began", run.undo_file, run.id),
                "put the undo file back as the restore wrote it");
  run.state = catalog::RunState::applying;
  run.error.clear();
  run.records_failed = 0;
  journal.clear_failures(run.id);
  journal.update_run(run);
  return run;
}

// Starts a run in the journal (in the row of the `planned` run `planned_id`
// when not 0), with its undo file's name beside the plan.
catalog::RestoreRun start_run(catalog::Journal& journal, const PrivatePlan& plan, const ApplyRequest& request,
                              std::int64_t planned_id, const Clock& clock)
{
  catalog::RestoreRun run = new_run(plan.header(), plan.summary(), request.plan, plan.sha256(), request.user,
                                    catalog::RunState::applying, clock.now());
  if (planned_id != 0) {
    run.id = planned_id;
    journal.update_run(run);
  } else {
    run.id = journal.add_run(run);
  }
  run.undo_file = std::filesystem::absolute(
                      fmt::format("{}.{}-{}.undo", request.plan.string(), run.id, to_hex(crypto::random_bytes(2))))
                      .lexically_normal()
                      .string();
  run.details_json = details_json(plan, request.plan, run.undo_file, run.id);
  journal.update_run(run);
  return run;
}

// The object type, its definitions and the records the plan changes are still
// as the plan found them; a continued run may find its own writes done.
// Returns the object type and which changes are done.
std::pair<store::ObjectType, PlanProgress> check_unchanged(store::Writer& writer, const PrivatePlan& plan,
                                                           bool is_continued)
{
  const PlanHeader& header = plan.header();
  const auto type = writer.find_object_type(header.object_type_id);
  if (!type || type->name != header.object_name)
    changed_since(fmt::format("object {} is gone", header.object_name));
  check_definitions(writer, *type, header, plan.summary());
  PlanProgress state = check_progress(writer, *type, plan.path());
  if (state.drift)
    changed_since(*state.drift);
  if (state.done > 0 && !is_continued)
    changed_since(fmt::format("{} of its records already hold the values it would write", state.done));
  return {*type, std::move(state)};
}

// Writes the changes not yet done, and enrolls each changed record in the
// workflows its change triggers (when the backend has workflows). Returns the
// number of enrollments.
std::int64_t write_changes(store::Writer& writer, const PrivatePlan& plan, const PlanProgress& state,
                           BatchWriter& batches, UnixTime at, const ProgressFn& progress)
{
  const PlanSummary& summary = plan.summary();
  store::CrmActivity* activity = writer.activity();
  std::int64_t enrollments = 0;
  PlanReader changes(plan.path());
  PlanChange change;
  std::size_t index = 0;
  std::int64_t seen = 0;
  while (changes.next_change(change)) {
    const bool is_done = state.is_done[index++];
    if (!is_done) {
      batches.add(change);
      if (activity != nullptr)
        for (const auto& workflow : summary.workflows)
          if (is_triggered(workflow, change.properties)) {
            activity->enroll(workflow.id, change.id, at);
            ++enrollments;
          }
    }
    if (++seen % k_progress_every == 0)
      report(progress, "write", seen, summary.records_to_change);
  }
  batches.flush();
  report(progress, "write", seen, summary.records_to_change);
  return enrollments;
}

// "Deal restore 2026-01-02 completed: 4987 deals updated (...) from <backup>".
std::string finished_message(const catalog::RestoreRun& run, const PlanHeader& header)
{
  return fmt::format("{} {}: {} {} updated ({} values set, {} cleared) from {}{}", run.import_name,
                     run.state == catalog::RunState::applied ? "completed" : "partly applied", run.records_written,
                     header.object_name, run.values_set, run.values_cleared,
                     header.source.backup_id.empty() ? header.source.file : header.source.backup_id,
                     run.records_failed > 0 ? fmt::format("; {} records refused", run.records_failed) : "");
}

// The CRM's own record of the restore, written with the data: an import, an
// audit entry and a notification on its screen.
void record_in_crm(store::CrmActivity& activity, const catalog::RestoreRun& run, const std::string& message)
{
  store::Import import;
  import.name = run.import_name;
  import.object_type_id = run.object_type_id;
  import.state = run.state == catalog::RunState::applied ? "completed" : "partly completed";
  import.user = run.user;
  import.created_at = run.finished_at;
  import.records_updated = run.records_written;
  import.values_set = run.values_set;
  import.values_cleared = run.values_cleared;
  import.details_json = run.details_json;
  activity.add_import(import);
  activity.add_audit({run.finished_at, run.user, "restore.apply", run.details_json});
  activity.add_notification({run.finished_at, run.user, "restore.done", message});
}

// After the commit: the journal's row and audit entry, and the notification
// (the CRM's own went in with the data).
void record_done(catalog::Journal& journal, const catalog::RestoreRun& run, const std::string& message,
                 const std::string& notify_command)
{
  journal.update_run(run);
  journal.add_audit(run.store_id, {run.finished_at, run.user, "restore.apply", run.details_json});
  notify::Event event;
  event.kind = "restore.done";
  event.user = run.user;
  event.at = run.finished_at;
  event.message = message;
  event.environment = {{"CRM_RESTORE_IMPORT_ID", std::to_string(run.id)},
                       {"CRM_RESTORE_STATE", std::string(catalog::to_string(run.state))},
                       {"CRM_RESTORE_OBJECT", run.object_name},
                       {"CRM_RESTORE_RECORDS", std::to_string(run.records_written)}};
  notify::deliver(event, {&journal, nullptr, run.store_id, notify_command}, {});
}

// Records why the run stopped: partly applied when a batch-by-batch backend
// kept some writes, failed otherwise. The journal's own failure here must not
// hide the restore's error.
void record_failure(catalog::Journal& journal, catalog::RestoreRun& run, const Error& error, bool is_atomic,
                    const Clock& clock)
{
  run.finished_at = clock.now();
  run.error = error.line();
  run.state = !is_atomic && run.records_written > 0 ? catalog::RunState::partly_applied : catalog::RunState::failed;
  try {
    journal.update_run(run);
  } catch (const Error&) {
    // The restore's error is the one to report.
  }
}

}  // namespace

catalog::RestoreRun settle_interrupted_run(store::Store& store, catalog::Journal& journal, catalog::RestoreRun run,
                                           const Clock& clock)
{
  if (run.state != catalog::RunState::applying)
    return run;
  std::error_code error;
  if (!std::filesystem::exists(run.plan, error) || crypto::file_sha256(run.plan) != run.plan_hash)
    return run;  // nothing to compare the store with: it stays "applying" (interrupted)
  auto reader = store.read();
  const auto type = reader->find_object_type(run.object_type_id);
  if (!type)
    return run;
  const PlanProgress progress = check_progress(*reader, *type, run.plan);
  run.records_written = progress.done;
  run.finished_at = clock.now();
  if (progress.done == 0) {
    run.state = catalog::RunState::failed;
    run.error = k_interrupted_before_writing;
  } else if (progress.done == run.records_total) {
    run.state = catalog::RunState::applied;
  } else {
    run.state = catalog::RunState::partly_applied;
    run.error = "interrupted; apply the same plan again to continue";
  }
  journal.update_run(run);
  return run;
}

void record_planned(catalog::Journal& journal, const PlanResult& plan, const std::string& user, const Clock& clock)
{
  journal.add_run(
      new_run(plan.header, plan.summary, plan.path, plan.sha256, user, catalog::RunState::planned, clock.now()));
}

ApplyResult apply_plan(store::Store& store, catalog::Journal& journal, const ApplyRequest& request, const Clock& clock,
                       const ProgressFn& progress)
{
  const PrivatePlan plan(request.plan, request.confirm_hash);
  const PlanHeader& header = plan.header();
  report(progress, "check");
  const store::User user = require_applier(store, request, header);
  // A plan that changes nothing (its summary is checked against its records)
  // is done once its user is: no lock, no code, no import in the CRM or the
  // journal, no undo file.
  if (plan.summary().records_to_change == 0) {
    ApplyResult nothing;
    nothing.plan_hash = plan.sha256();
    nothing.header = header;
    nothing.summary = plan.summary();
    nothing.is_nothing_to_restore = true;
    return nothing;
  }

  const FileLock lock = journal.lock_restores(header.store_id);
  report(progress, "lock");
  auth::reauthenticate(store, journal, header.store_id, user, request.otp_code, clock);
  report(progress, "authenticate");

  // An atomic backend never has a run to continue: it committed or not.
  const store::Guarantees guarantees = store.guarantees();
  const std::optional<catalog::RestoreRun> previous = unfinished_run(store, journal, plan, clock);
  const bool is_planned = previous && previous->state == catalog::RunState::planned;
  const bool is_continued = previous && !is_planned && !guarantees.is_atomic_apply;
  catalog::RestoreRun run = is_continued ? continue_run(journal, *previous)
                                         : start_run(journal, plan, request, is_planned ? previous->id : 0, clock);

  ApplyResult result;
  result.plan_hash = plan.sha256();
  result.header = header;
  result.summary = plan.summary();
  result.is_continued = is_continued;
  result.import_id = run.id;
  result.undo_file = run.undo_file;

  std::unique_ptr<store::Writer> writer;
  try {
    writer = store.write();
    const auto [type, state] = check_unchanged(*writer, plan, is_continued);
    report(progress, "drift");
    if (!is_continued) {
      run.undo_sha256 = write_undo_file(plan, run, clock);
      journal.update_run(run);
    }
    report(progress, "undo");

    const std::int64_t written_before = run.records_written;
    BatchWriter batches(*writer, type, journal, run, guarantees.is_atomic_apply);
    result.enrollments = write_changes(*writer, plan, state, batches, clock.now(), progress);
    result.records_written = run.records_written - written_before;
    result.records_failed = run.records_failed;

    run.state = run.records_failed > 0 ? catalog::RunState::partly_applied : catalog::RunState::applied;
    run.finished_at = clock.now();
    const std::string message = finished_message(run, header);
    if (store::CrmActivity* activity = writer->activity())
      record_in_crm(*activity, run, message);
    writer->commit();
    report(progress, "commit");
    record_done(journal, run, message, request.notify_command);
    return result;
  } catch (const Error& error) {
    writer.reset();  // an atomic backend rolls back here
    record_failure(journal, run, error, guarantees.is_atomic_apply, clock);
    throw;
  }
}

}  // namespace crm::restore
