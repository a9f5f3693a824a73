// A merge join on hs_object_id. The old side is always a backup entry, read
// by BackupReader::scan on a thread of its own and pulled through a
// store::ScanCursor, so that inflating and parsing it overlaps the new side;
// the new side is pushed, either by a second BackupReader::scan or by the store's
// scan, into ObjectMerger::on_new_record, which advances the old cursor up
// to the pushed id. Memory holds a few batches of old rows and one new row.

#include "crm/snapshot/diff.hpp"

#include <crm/base/error.hpp>
#include <crm/store/scan_cursor.hpp>

#include <fmt/format.h>

#include <optional>

namespace crm::snapshot {

namespace {

class ObjectMerger {
public:
  ObjectMerger(ObjectDiff& diff, store::ScanCursor* old_cursor, const std::vector<std::string>& old_properties,
               const std::vector<std::string>& new_properties, const DiffOptions& options)
      : m_diff(diff), m_old(old_cursor), m_options(options)
  {
    for (std::size_t old_index = 0; old_index < old_properties.size(); ++old_index) {
      bool is_shared = false;
      for (std::size_t new_index = 0; new_index < new_properties.size(); ++new_index) {
        if (old_properties[old_index] == new_properties[new_index]) {
          m_shared.push_back({old_properties[old_index], old_index, new_index});
          is_shared = true;
        }
      }
      if (!is_shared)
        diff.properties_only_in_old.push_back(old_properties[old_index]);
    }
    for (const auto& name : new_properties) {
      bool is_shared = false;
      for (const auto& shared : m_shared)
        is_shared = is_shared || shared.name == name;
      if (!is_shared)
        diff.properties_only_in_new.push_back(name);
    }
    m_changes.assign(m_shared.size(), 0);
  }

  template <typename Values> void on_new_record(store::RecordId id, const Values& new_values)
  {
    const store::ScannedRow* old = current_old();
    for (; old != nullptr && old->id < id; old = current_old()) {
      record_removed(old->id);
      m_old->advance();
    }
    if (old != nullptr && old->id == id) {
      compare(id, old->values, new_values);
      m_old->advance();
      return;
    }
    ++m_diff.added;
    if (m_diff.added_ids.size() < m_options.max_listed_records)
      m_diff.added_ids.push_back(id);
  }

  void finish()
  {
    for (const store::ScannedRow* old = current_old(); old != nullptr; old = current_old()) {
      record_removed(old->id);
      m_old->advance();
    }
    for (std::size_t index = 0; index < m_shared.size(); ++index)
      if (m_changes[index] > 0)
        m_diff.changes_by_property.push_back({m_shared[index].name, m_changes[index]});
  }

private:
  struct SharedProperty {
    std::string name;
    std::size_t old_index;
    std::size_t new_index;
  };

  const store::ScannedRow* current_old() { return m_old ? m_old->current() : nullptr; }

  void record_removed(store::RecordId id)
  {
    ++m_diff.removed;
    if (m_diff.removed_ids.size() < m_options.max_listed_records)
      m_diff.removed_ids.push_back(id);
  }

  template <typename Values>
  void compare(store::RecordId id, std::span<const std::string> old_values, const Values& new_values)
  {
    std::optional<ChangedRecord> changed;
    const bool is_listed = m_diff.changed_records.size() < m_options.max_listed_records;
    for (std::size_t index = 0; index < m_shared.size(); ++index) {
      const SharedProperty& shared = m_shared[index];
      const std::string_view old_value = old_values[shared.old_index];
      const std::string_view new_value = new_values[shared.new_index];
      if (old_value == new_value)
        continue;
      ++m_changes[index];
      if (!changed)
        changed = ChangedRecord{id, {}, {}};
      changed->properties.push_back(shared.name);
      if (m_options.is_values && is_listed)
        changed->values.emplace_back(old_value, new_value);
    }
    if (!changed) {
      ++m_diff.unchanged;
      return;
    }
    ++m_diff.changed;
    if (is_listed)
      m_diff.changed_records.push_back(std::move(*changed));
  }

  ObjectDiff& m_diff;
  store::ScanCursor* m_old;
  const DiffOptions& m_options;
  std::vector<SharedProperty> m_shared;
  std::vector<std::int64_t> m_changes;
};

std::vector<std::string> property_names(const std::vector<store::Property>& properties)
{
  std::vector<std::string> names;
  for (const auto& property : properties)
    names.push_back(property.name);
  return names;
}

// How far the backup side reads ahead of the merge: enough rows that the two
// threads rarely wait for each other, few enough to keep memory flat.
constexpr std::size_t k_batch_rows = 512;
constexpr std::size_t k_batches = 4;

// `object`'s records of `backup`, pushed by BackupReader::scan (which checks
// each row, and the entry's hash and count at its end) for a ScanCursor to pull.
store::ScanCursor::Scan entry_scan(const BackupReader& backup, const ObjectEntry& object)
{
  return [&backup, &object](const store::RecordFn& emit) {
    std::vector<std::string_view> views;
    backup.scan(object, [&](store::RecordId id, std::span<const std::string> values) {
      views.assign(values.begin(), values.end());
      emit(id, views);
    });
  };
}

std::string label_of(const BackupReader& backup)
{
  return fmt::format("backup of {}", format_iso8601(backup.manifest().snapshot_time));
}

// Old-side object types in manifest order, then those only on the new side.
// Nothing leaves before the archives are verified (they are verified
// alongside: BackupReader), and a damaged archive is the error reported,
// whatever the merge ran into first.
template <typename NewSide>
DiffReport merge_objects(const BackupReader& old_backup, const BackupReader* new_backup,
                         const std::vector<std::string>& new_names, const NewSide& diff_one)
{
  const auto require_verified = [&] {
    old_backup.require_verified();
    if (new_backup)
      new_backup->require_verified();
  };
  DiffReport report;
  try {
    for (const auto& object : old_backup.manifest().objects)
      report.objects.push_back(diff_one(&object, object.name));
    for (const auto& name : new_names)
      if (!old_backup.manifest().find(name))
        report.objects.push_back(diff_one(nullptr, name));
  } catch (const Error&) {
    require_verified();
    throw;
  }
  require_verified();
  return report;
}

}  // namespace

bool DiffReport::has_differences() const
{
  for (const auto& object : objects)
    if (object.has_differences())
      return true;
  return false;
}

DiffReport diff_backups(const BackupReader& old_backup, const BackupReader& new_backup, const DiffOptions& options)
{
  std::vector<std::string> new_names;
  for (const auto& object : new_backup.manifest().objects)
    new_names.push_back(object.name);
  DiffReport report =
      merge_objects(old_backup, &new_backup, new_names, [&](const ObjectEntry* old_object, const std::string& name) {
        const ObjectEntry* new_object = new_backup.manifest().find(name);
        ObjectDiff diff;
        diff.name = name;
        diff.object_type_id = old_object ? old_object->object_type_id : new_object->object_type_id;
        diff.is_only_in_old = !new_object;
        diff.is_only_in_new = !old_object;
        const ObjectEntry empty;
        std::optional<store::ScanCursor> old_cursor;
        if (old_object)
          old_cursor.emplace(entry_scan(old_backup, *old_object), k_batch_rows, k_batches);
        ObjectMerger merger(diff, old_cursor ? &*old_cursor : nullptr,
                            property_names((old_object ? *old_object : empty).properties),
                            property_names((new_object ? *new_object : empty).properties), options);
        if (new_object)
          new_backup.scan(*new_object, [&](store::RecordId id, std::span<const std::string> values) {
            merger.on_new_record(id, values);
          });
        merger.finish();
        return diff;
      });
  report.old_label = label_of(old_backup);
  report.new_label = label_of(new_backup);
  return report;
}

DiffReport diff_live(const BackupReader& backup, store::Reader& live, const DiffOptions& options)
{
  const std::vector<store::ObjectType> live_types = live.object_types();
  std::vector<std::string> live_names;
  for (const auto& type : live_types)
    live_names.push_back(type.name);
  DiffReport report =
      merge_objects(backup, nullptr, live_names, [&](const ObjectEntry* old_object, const std::string& name) {
        const store::ObjectType* live_type = nullptr;
        for (const auto& type : live_types)
          if (type.name == name)
            live_type = &type;
        ObjectDiff diff;
        diff.name = name;
        diff.object_type_id = old_object ? old_object->object_type_id : live_type->object_type_id;
        diff.is_only_in_old = !live_type;
        diff.is_only_in_new = !old_object;
        std::optional<store::ScanCursor> old_cursor;
        if (old_object)
          old_cursor.emplace(entry_scan(backup, *old_object), k_batch_rows, k_batches);
        const std::vector<std::string> live_properties =
            live_type ? property_names(live_type->properties) : std::vector<std::string>{};
        ObjectMerger merger(diff, old_cursor ? &*old_cursor : nullptr,
                            old_object ? property_names(old_object->properties) : std::vector<std::string>{},
                            live_properties, options);
        if (live_type)
          live.scan_records(
              *live_type, live_properties,
              [&](store::RecordId id, std::span<const std::string_view> values) { merger.on_new_record(id, values); });
        merger.finish();
        return diff;
      });
  report.old_label = label_of(backup);
  report.new_label = "live store";
  return report;
}

}  // namespace crm::snapshot
