#include "crm/restore/plan_builder.hpp"

#include <crm/base/error.hpp>
#include <crm/restore/plan_writer.hpp>
#include <crm/store/scan_cursor.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace crm::restore {

namespace {

constexpr std::int64_t k_progress_every = 4096;

// Ids of records that are gone, kept in an anonymous temporary file between
// the join and the recycle-bin pass, so that memory stays bounded even when
// most of an object was deleted.
class IdSpill {
public:
  IdSpill() : m_file(std::tmpfile())
  {
    if (m_file == nullptr)
      throw_errno(errno, "create a temporary file for", "the plan", true);
  }
  ~IdSpill() { std::fclose(m_file); }
  IdSpill(const IdSpill&) = delete;
  IdSpill& operator=(const IdSpill&) = delete;

  void add(store::RecordId id)
  {
    if (std::fwrite(&id, sizeof id, 1, m_file) != 1)
      throw_errno(errno, "write", "the plan's temporary file");
    ++m_count;
  }
  void rewind() { std::rewind(m_file); }
  bool next(store::RecordId& id) { return std::fread(&id, sizeof id, 1, m_file) == 1; }
  std::int64_t count() const { return m_count; }

private:
  std::FILE* m_file;
  std::int64_t m_count = 0;
};

}  // namespace

PlanResult build_plan(store::Reader& reader, const store::ObjectType& type, const PlanHeader& header,
                      const TargetScan& targets, const std::filesystem::path& output, const BuildOptions& options,
                      const ProgressFn& progress)
{
  const auto& properties = header.properties;
  std::vector<WorkflowWarning> workflows = reenrolling_workflows(reader.workflows(), type.object_type_id, properties);
  // For each workflow, which of the plan's properties trigger it.
  std::vector<std::vector<bool>> triggers(workflows.size(), std::vector<bool>(properties.size(), false));
  for (std::size_t workflow = 0; workflow < workflows.size(); ++workflow)
    for (std::size_t index = 0; index < properties.size(); ++index)
      triggers[workflow][index] =
          std::find(workflows[workflow].trigger_properties.begin(), workflows[workflow].trigger_properties.end(),
                    properties[index]) != workflows[workflow].trigger_properties.end();

  PlanWriter writer(output, header);
  PlanSummary summary;
  IdSpill gone;
  PlanChange change;
  std::vector<std::size_t> changed_indexes;
  std::int64_t targets_seen = 0;
  store::RecordId last_target = 0;

  {
    store::ScanCursor live([&](const store::RecordFn& emit) { reader.scan_records(type, properties, emit); });
    targets([&](store::RecordId id, std::span<const std::string* const> values) {
      if (targets_seen > 0 && id <= last_target)
        throw Error(ErrorKind::data,
                    fmt::format("the backup's {} records are not in id order (record {})", type.name, id),
                    "verify the backup with crm-backup verify");
      last_target = id;
      if (++targets_seen % k_progress_every == 0 && progress)
        progress({"plan", targets_seen, options.target_total, 0});
      const store::ScannedRow* row = live.current();
      while (row != nullptr && row->id < id) {
        if (options.is_complete)
          ++summary.records_created;
        live.advance();
        row = live.current();
      }
      if (row == nullptr || row->id != id) {
        gone.add(id);
        return;
      }
      change.id = id;
      change.properties.clear();
      change.before.clear();
      change.after.clear();
      changed_indexes.clear();
      for (std::size_t index = 0; index < properties.size(); ++index) {
        if (values[index] == nullptr || *values[index] == row->values[index])
          continue;
        changed_indexes.push_back(index);
        change.properties.push_back(properties[index]);
        change.before.push_back(row->values[index]);
        change.after.push_back(*values[index]);
      }
      live.advance();
      if (changed_indexes.empty()) {
        ++summary.records_unchanged;
        return;
      }
      writer.add_change(change);
      for (std::size_t workflow = 0; workflow < workflows.size(); ++workflow)
        if (std::any_of(changed_indexes.begin(), changed_indexes.end(),
                        [&](std::size_t index) { return triggers[workflow][index]; }))
          ++workflows[workflow].records;
    });
    for (const store::ScannedRow* row = live.current(); row != nullptr; row = live.current()) {
      if (options.is_complete)
        ++summary.records_created;
      live.advance();
    }
  }

  // Records gone since: in the recycle bin, or purged for good. Both id
  // streams are ordered, so one pass over the recycle bin marks them.
  PlanResult result;
  gone.rewind();
  store::RecordId next_gone = 0;
  bool has_gone = gone.next(next_gone);
  auto emit_gone = [&](bool is_in_recycle_bin) {
    writer.add_deleted({next_gone, is_in_recycle_bin});
    if (result.deleted_sample.size() < k_deleted_sample_size)
      result.deleted_sample.push_back(next_gone);
    has_gone = gone.next(next_gone);
  };
  if (has_gone) {
    reader.scan_deleted(type, [&](store::RecordId deleted_id) {
      while (has_gone && next_gone < deleted_id)
        emit_gone(false);
      if (has_gone && next_gone == deleted_id)
        emit_gone(true);
    });
    while (has_gone)
      emit_gone(false);
  }

  summary.workflows = std::move(workflows);
  for (const store::Gap& gap : reader.gaps())
    if (gap.object == "workflows")
      summary.workflows_unchecked = gap.reason;
  if (progress)
    progress({"plan", targets_seen, options.target_total, 0});
  result.sha256 = writer.commit(summary);
  result.path = output;
  result.header = header;
  result.summary = writer.counts();
  return result;
}

}  // namespace crm::restore
