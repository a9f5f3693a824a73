#pragma once
// Where a plan's "after" values come from: a backup made by crm-backup
// (verified through snapshot::BackupReader) or a zip exported by the hosted
// CRM's own backup screen. Both hand out one object's records in
// hs_object_id order, which is what the planner's merge join needs.

#include <crm/restore/plan.hpp>
#include <crm/snapshot/backup_reader.hpp>
#include <crm/snapshot/manifest.hpp>

namespace crm::restore {

class BackupSource {
public:
  virtual ~BackupSource() = default;

  // What the plan records about its source (kind, id, file, sha256, time,
  // whether checksums were checked).
  virtual const PlanSource& description() const = 0;
  // The store the backup was made from; empty when unknown (hosted exports).
  virtual std::string store_id() const = 0;
  // The object's entry (its properties in column order); nullptr when the
  // backup holds no such object.
  virtual const snapshot::ObjectEntry* find(std::string_view object_name) const = 0;
  // Every record of `object` in strictly increasing id order.
  virtual void scan(const snapshot::ObjectEntry& object, const snapshot::BackupRecordFn& fn) = 0;
  // Throws what a verification still running alongside the scan found
  // (ArchiveBackup); the planner calls it before the plan is published.
  virtual void require_verified() {}
};

}  // namespace crm::restore
