#pragma once
// Reads the records of a backup archive for restore and diff. Nothing is
// handed out before the whole archive has been verified (entry names,
// checksums, CSV well-formedness, counts against the manifest): a failed
// verification is Error(data) and no row is ever seen.
//
// Diff may instead verify alongside its work (Verification::alongside): the
// manifest is read at once, the full verification runs on a thread of its
// own, and require_verified() waits for it before any result leaves diff. The
// rows diff reads meanwhile come through EntryCursor, which checks each
// entry's hash and count against the manifest as it reads.

#include <crm/base/secret_memory.hpp>
#include <crm/snapshot/manifest.hpp>
#include <crm/store/model.hpp>

#include <atomic>
#include <exception>
#include <filesystem>
#include <functional>
#include <future>
#include <optional>
#include <span>
#include <string>

namespace crm::snapshot {

// One backed-up record: its id and values in the order of the entry's
// properties; valid only during the call.
using BackupRecordFn = std::function<void(store::RecordId id, std::span<const std::string> values)>;

enum class Verification {
  before,     // the constructor verifies the whole archive
  alongside,  // a second thread verifies it; require_verified() waits for it
};

class BackupReader {
public:
  // With Verification::before, verifies `archive` completely; throws
  // Error(data) for a corrupt or tampered archive, Error(no_permission) for
  // a missing or wrong passphrase. With alongside, only the manifest is read
  // here (the passphrase is still checked here).
  BackupReader(std::filesystem::path archive, std::optional<SecretString> passphrase,
               Verification verification = Verification::before);
  // Stops a verification still running (at its next entry) and waits for it.
  ~BackupReader();
  // The verifying thread refers to this object: it stays where it is made.
  BackupReader(const BackupReader&) = delete;
  BackupReader& operator=(const BackupReader&) = delete;

  const Manifest& manifest() const { return m_manifest; }
  const std::filesystem::path& archive_path() const { return m_archive; }
  const std::optional<SecretString>& passphrase() const { return m_passphrase; }
  // Waits for a verification running alongside and throws what it found
  // (also a manifest that differs from the one read first); returns at once
  // when the constructor verified.
  void require_verified() const;
  // Streams `object`'s records in hs_object_id order (a second pass over the
  // archive; memory stays bounded by one row).
  void scan(const ObjectEntry& object, const BackupRecordFn& fn) const;

private:
  std::filesystem::path m_archive;
  std::optional<SecretString> m_passphrase;  // wiped when the reader goes
  Manifest m_manifest;
  std::atomic<bool> m_is_cancelled = false;
  mutable std::future<Manifest> m_verified;  // valid while a verification runs alongside
  mutable std::exception_ptr m_failure;      // what it found, for every later require_verified()
};

}  // namespace crm::snapshot
