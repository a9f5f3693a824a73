#pragma once
// Reads the records of a backup archive for restore and diff. Nothing is
// handed out before the whole archive has been verified (entry names,
// checksums, CSV well-formedness, counts against the manifest): a failed
// verification is Error(data) and no row is ever seen.
//
// Diff and restore plan instead verify alongside their work
// (Verification::alongside): the manifest is read at once, the verification
// runs on a thread of its own, and require_verified() waits for it before any
// result leaves. The rows read meanwhile come through scan()'s EntryCursor,
// which checks each row, and the entry's hash and count at its end, exactly as
// verify() does; so the entries the caller says it reads in full are not
// inflated a second time by the verifying thread, and require_verified()
// checks any of them the caller did not read to the end after all.

#include <crm/base/secret_memory.hpp>
#include <crm/snapshot/manifest.hpp>
#include <crm/store/model.hpp>

#include <atomic>
#include <exception>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace crm::snapshot {

// One backed-up record: its id and values in the order of the entry's
// properties; valid only during the call.
using BackupRecordFn = std::function<void(store::RecordId id, std::span<const std::string> values)>;

enum class Verification {
  before,     // the constructor verifies the whole archive
  alongside,  // a second thread verifies it; require_verified() waits for it
};

// The objects the caller will scan() to the end (diff: all of them; restore
// plan: the one restored). Used with Verification::alongside only.
using IsReadInFull = std::function<bool(const ObjectEntry& object)>;

class BackupReader {
public:
  // With Verification::before, verifies `archive` completely; throws
  // Error(data) for a corrupt or tampered archive, Error(no_permission) for
  // a missing or wrong passphrase. With alongside, only the manifest is read
  // here (the passphrase is still checked here).
  BackupReader(std::filesystem::path archive, std::optional<SecretString> passphrase,
               Verification verification = Verification::before, const IsReadInFull& is_read_in_full = {});
  // Stops a verification still running (at its next entry) and waits for it.
  ~BackupReader();
  // The verifying thread refers to this object: it stays where it is made.
  BackupReader(const BackupReader&) = delete;
  BackupReader& operator=(const BackupReader&) = delete;

  const Manifest& manifest() const { return m_manifest; }
  // Waits for a verification running alongside and throws what it found
  // (also a manifest that differs from the one read first, or damage a scan()
  // ran into); checks the entries meant to be read in full that were not;
  // returns at once when the constructor verified.
  void require_verified() const;
  // Streams `object`'s records in hs_object_id order (a pass over its entry
  // of the archive; memory stays bounded by one row). Safe to call from
  // several threads at once.
  void scan(const ObjectEntry& object, const BackupRecordFn& fn) const;

private:
  void wait_for_verification() const;
  void remember_failure(std::exception_ptr failure) const;
  std::exception_ptr failure() const;

  std::filesystem::path m_archive;
  std::optional<SecretString> m_passphrase;  // wiped when the reader goes
  Manifest m_manifest;
  std::atomic<bool> m_is_cancelled = false;
  mutable std::future<Manifest> m_verified;          // valid while a verification runs alongside
  std::vector<const ObjectEntry*> m_read_by_caller;  // entries the verifying thread leaves to scan()
  mutable std::mutex m_mutex;                        // guards the two below
  mutable std::set<std::string> m_read_through;      // entries scan() has read and checked to the end
  mutable std::exception_ptr m_failure;              // the first damage found, for every later require_verified()
};

}  // namespace crm::snapshot
