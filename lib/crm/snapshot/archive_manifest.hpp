#pragma once
// Reads only the manifest of a backup archive, for `crm-backup show`: the
// entry names are still checked as in verify, but no CSV is read or hashed.
// Use verify() or BackupReader before trusting anything else in the archive.

#include <crm/base/secret_memory.hpp>
#include <crm/snapshot/manifest.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crm::snapshot {

// Error(data) when the archive has no well-formed manifest.
Manifest read_manifest(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase);

}  // namespace crm::snapshot
