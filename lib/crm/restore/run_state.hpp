#pragma once
// The restore lock and the record of the last restore run, both files beside
// the store: `<store>.restore-lock` (a FileLock held for the whole apply; the
// kernel frees it when the process dies, even by kill -9) and
// `<store>.restore-status` (a small JSON file, 0600, replaced atomically: the
// run that holds the lock writes "running" when it starts and its outcome
// when it ends). A status that still says "running" while nobody holds the
// lock belongs to a run that died; whether it committed is told by the store
// (its import carries the run id), never by this file.

#include <crm/base/clock.hpp>
#include <crm/base/file_lock.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace crm::restore {

struct RunRecord {
  std::string state;  // "running", "completed", "failed"
  std::string run_id;
  std::string user;
  std::string object;
  std::string plan;       // the plan file's path
  std::string plan_hash;
  UnixTime started_at = 0;
  UnixTime finished_at = 0;
  std::int64_t import_id = 0;  // of a completed run
  std::string error;           // the one-line message of a failed run
};

class RunState {
public:
  explicit RunState(const std::filesystem::path& store_path);

  // Takes the restore lock; Error(temp_fail) when another restore holds it.
  FileLock lock() const;
  // True while some process holds the restore lock (takes and releases it).
  bool is_running() const;

  void write(const RunRecord& record) const;
  // The last run's record; nullopt when no restore ever ran here, or the
  // file is unreadable (status is informative, never fatal).
  std::optional<RunRecord> read() const;

  const std::filesystem::path& lock_path() const { return m_lock_path; }
  const std::filesystem::path& status_path() const { return m_status_path; }

private:
  std::filesystem::path m_lock_path;
  std::filesystem::path m_status_path;
};

}  // namespace crm::restore
