#include <crm/auth/permissions.hpp>
#include <crm/auth/reauth.hpp>
#include <crm/base/error.hpp>
#include <crm/crypto/hmac.hpp>
#include <crm/restore/applier.hpp>
#include <crm/restore/plan_reader.hpp>
#include <crm/restore/plan_writer.hpp>
#include <crm/restore/planner.hpp>
#include <crm/restore/run_state.hpp>

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::restore {

using nlohmann::json;

namespace {

constexpr std::int64_t k_progress_every = 256;

[[noreturn]] void changed_since(std::string_view what)
{
  throw Error(ErrorKind::temp_fail, fmt::format("the store changed since the plan was made: {}", what),
              "nothing was written; make a new plan with crm-restore plan");
}

std::string lowercase(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
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
                                    return now.id == planned.id &&
                                           now.trigger_properties == planned.trigger_properties;
                                  });
  if (!is_same)
    changed_since("the workflows that may re-enroll its records changed");
}

// Every record the plan changes must still be live and hold, in each property
// the plan changes, the value the plan was made against. One pass over the
// live records, merged with one pass over the plan.
void check_drift(store::Writer& writer, const store::ObjectType& type, const std::filesystem::path& plan)
{
  PlanReader reader(plan);
  const auto& properties = reader.header().properties;
  PlanChange change;
  bool has_change = reader.next_change(change);
  std::vector<std::size_t> indexes;
  auto index_of = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(properties.begin(), properties.end(), name) - properties.begin());
  };
  writer.scan_records(type, properties, [&](store::RecordId id, std::span<const std::string_view> values) {
    if (!has_change)
      return;
    if (change.id < id)
      changed_since(fmt::format("record {} of {} was deleted", change.id, type.name));
    if (change.id > id)
      return;
    for (std::size_t index = 0; index < change.properties.size(); ++index)
      if (values[index_of(change.properties[index])] != change.before[index])
        changed_since(fmt::format("{} of record {} of {} changed", change.properties[index], change.id, type.name));
    has_change = reader.next_change(change);
  });
  if (has_change)
    changed_since(fmt::format("record {} of {} was deleted", change.id, type.name));
}

std::string details_json(const CheckedPlan& plan, const std::filesystem::path& plan_path,
                         const std::filesystem::path& undo_file, const std::string& run_id)
{
  const auto& source = plan.header.source;
  const json details = {
      {"run_id", run_id},
      {"plan", std::filesystem::absolute(plan_path).string()},
      {"plan_hash", plan.sha256},
      {"undo_file", std::filesystem::absolute(undo_file).string()},
      {"source", {{"kind", source.kind},
                  {"backup_id", source.backup_id},
                  {"file", source.file},
                  {"sha256", source.sha256},
                  {"undo_of_import", source.undo_of_import}}},
      {"object", plan.header.object_name},
      {"properties", plan.header.properties},
      {"records_updated", plan.summary.records_to_change},
      {"values_set", plan.summary.values_to_set},
      {"values_cleared", plan.summary.values_to_clear},
      {"records_deleted_not_restored", plan.summary.records_deleted},
  };
  return details.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

CheckedPlan check_plan(const std::filesystem::path& plan, std::string_view confirm_hash)
{
  CheckedPlan checked;
  checked.sha256 = file_sha256(plan);
  if (!crypto::constant_time_equal(checked.sha256, lowercase(confirm_hash)))
    throw Error(ErrorKind::data, fmt::format("plan {} does not match the hash given with --confirm", plan.string()),
                "review the plan again: crm-restore plan prints its hash");
  PlanReader reader(plan);
  checked.summary = reader.finish();
  checked.header = reader.header();
  return checked;
}

ApplyResult apply_plan(store::Store& store, const ApplyRequest& request, const Clock& clock,
                       const ProgressFn& progress)
{
  auto report = [&](std::string_view stage, std::int64_t done = 0, std::int64_t total = 0) {
    if (progress)
      progress({stage, done, total, 0});
  };
  const CheckedPlan plan = check_plan(request.plan, request.confirm_hash);
  const PlanHeader& header = plan.header;
  report("check");

  store::User user;
  {
    auto reader = store.read();
    if (reader->account().store_id != header.store_id)
      throw Error(ErrorKind::data, fmt::format("plan {} was made against another store", request.plan.string()),
                  "make a plan against this store with crm-restore plan");
    const auto found = reader->find_user(request.user);
    auth::require_super_admin(found, request.user, "restore data");
    user = *found;
  }
  if (!request.is_data_change_acknowledged || !request.is_irreversible_acknowledged)
    throw Error(ErrorKind::no_permission,
                "the restore needs both acknowledgements: it changes data, and the CRM cannot undo it",
                "pass --acknowledge-data-change --acknowledge-irreversible, or run at a terminal to answer");

  const RunState state(request.store_path);
  const FileLock lock = state.lock();
  report("lock");

  RunRecord run;
  run.state = "running";
  run.run_id = crypto::to_hex(crypto::random_bytes(8));
  run.user = request.user;
  run.object = header.object_name;
  run.plan = std::filesystem::absolute(request.plan).string();
  run.plan_hash = plan.sha256;
  run.started_at = clock.now();
  state.write(run);
  try {
    auto writer = store.write();
    // The code's step is recorded in this same transaction: a restore that
    // rolls back (drift, a kill) does not burn the code, and one that commits
    // can never be replayed.
    auth::reauthenticate(*writer, user, request.otp_code, clock);
    report("authenticate");
    const auto type = writer->find_object_type(header.object_type_id);
    if (!type || type->name != header.object_name)
      changed_since(fmt::format("object {} is gone", header.object_name));
    check_definitions(*writer, *type, header, plan.summary);
    check_drift(*writer, *type, request.plan);
    report("drift");

    ApplyResult result;
    result.plan_hash = plan.sha256;
    result.header = header;
    result.summary = plan.summary;
    result.undo_file = request.plan.parent_path() / fmt::format("{}.{}.undo", request.plan.filename().string(), run.run_id);

    store::Import import;
    import.name = import_name(header.object_singular);
    import.object_type_id = header.object_type_id;
    import.state = "completed";
    import.user = request.user;
    import.created_at = clock.now();
    import.records_updated = plan.summary.records_to_change;
    import.values_set = plan.summary.values_to_set;
    import.values_cleared = plan.summary.values_to_clear;
    import.details_json = details_json(plan, request.plan, result.undo_file, run.run_id);
    result.import_id = writer->add_import(import);

    PlanHeader undo_header = header;
    undo_header.created_at = import.created_at;
    undo_header.created_by = request.user;
    undo_header.source = {"undo", header.source.backup_id, run.plan, plan.sha256, header.source.snapshot_time,
                          header.source.are_checksums_verified, result.import_id};
    undo_header.refused.clear();
    PlanWriter undo(result.undo_file, undo_header, k_undo_format_name);

    PlanReader reader(request.plan);
    PlanChange change;
    PlanChange reverse;
    std::int64_t written = 0;
    while (reader.next_change(change)) {
      writer->update_record(*type, change.id, change.properties, change.after);
      reverse.id = change.id;
      reverse.properties = change.properties;
      reverse.before = change.after;
      reverse.after = change.before;
      undo.add_change(reverse);
      for (const auto& workflow : plan.summary.workflows) {
        const bool is_triggered = std::any_of(change.properties.begin(), change.properties.end(), [&](const auto& name) {
          return std::find(workflow.trigger_properties.begin(), workflow.trigger_properties.end(), name) !=
                 workflow.trigger_properties.end();
        });
        if (is_triggered) {
          writer->enroll(workflow.id, change.id, import.created_at);
          ++result.enrollments;
        }
      }
      if (++written % k_progress_every == 0)
        report("write", written, plan.summary.records_to_change);
    }
    report("write", written, plan.summary.records_to_change);

    writer->add_audit({import.created_at, request.user, "restore.apply", import.details_json});
    writer->add_notification(
        {import.created_at, request.user, "restore.done",
         fmt::format("{} completed: {} {} updated ({} values set, {} cleared) from {}", import.name,
                     import.records_updated, header.object_name, import.values_set, import.values_cleared,
                     header.source.backup_id.empty() ? header.source.file : header.source.backup_id)});
    undo.commit({});
    report("undo");
    writer->commit();
    report("commit");

    run.state = "completed";
    run.finished_at = clock.now();
    run.import_id = result.import_id;
    state.write(run);
    return result;
  } catch (const Error& error) {
    run.state = "failed";
    run.finished_at = clock.now();
    run.error = error.line();
    state.write(run);
    throw;
  }
}

}  // namespace crm::restore
