#pragma once
// Reads the records of a backup archive for restore and diff. Nothing is
// handed out before the whole archive has been verified (entry names,
// checksums, CSV well-formedness, counts against the manifest): a failed
// verification is Error(data) and no row is ever seen.

#include <crm/base/secret_memory.hpp>
#include <crm/snapshot/manifest.hpp>
#include <crm/store/model.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>

namespace crm::snapshot {

// One backed-up record: its id and values in the order of the entry's
// properties; valid only during the call.
using BackupRecordFn = std::function<void(store::RecordId id, std::span<const std::string> values)>;

class BackupReader {
public:
  // Verifies `archive` completely; throws Error(data) for a corrupt or
  // tampered archive, Error(no_permission) for a missing or wrong passphrase.
  BackupReader(std::filesystem::path archive, std::optional<SecretString> passphrase);

  const Manifest& manifest() const { return m_manifest; }
  const std::filesystem::path& archive_path() const { return m_archive; }
  const std::optional<SecretString>& passphrase() const { return m_passphrase; }
  // Streams `object`'s records in hs_object_id order (a second pass over the
  // archive; memory stays bounded by one row).
  void scan(const ObjectEntry& object, const BackupRecordFn& fn) const;

private:
  std::filesystem::path m_archive;
  std::optional<SecretString> m_passphrase;  // wiped when the reader goes
  Manifest m_manifest;
};

}  // namespace crm::snapshot
