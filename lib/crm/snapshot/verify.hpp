#pragma once
// Checks a backup archive end to end (SPEC §2 verify): only expected entries
// (manifest.json and the CSV files it names), a well-formed manifest, the
// SHA-256 of every CSV, every CSV well-formed (strict RFC 4180), its header
// row equal to hs_object_id followed by the manifest's properties, its record
// count equal to the manifest's, and ids strictly increasing. The archive is
// read once, streaming; memory stays bounded by one row.

#include <crm/base/progress.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/snapshot/manifest.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace crm::snapshot {

struct VerifyReport {
  Manifest manifest;
  std::int64_t files_checked = 0;  // CSV entries
  std::int64_t records = 0;
  std::uint64_t csv_bytes = 0;  // uncompressed
};

// Returns the report of a good archive. The first problem found is thrown as
// Error(data) naming it; a missing or wrong passphrase is Error(no_permission);
// a missing file Error(not_found).
VerifyReport verify(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase,
                    const ProgressFn& progress = {});

}  // namespace crm::snapshot
