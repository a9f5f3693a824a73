#pragma once
// Checks a backup archive end to end (SPEC §2 verify): only expected entries
// (manifest.json and the CSV files it names), a well-formed manifest, the
// SHA-256 of every CSV, every CSV well-formed (strict RFC 4180), its header
// row equal to hs_object_id followed by the manifest's properties, its record
// count equal to the manifest's, and ids strictly increasing. The archive is
// read once, streaming; memory stays bounded by one row.

#include <crm/base/error.hpp>
#include <crm/base/progress.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/snapshot/manifest.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace crm::snapshot {

// Counts cover the entries verify() read itself (not those read by the caller).
struct VerifyReport {
  Manifest manifest;
  std::int64_t files_checked = 0;  // CSV entries
  std::int64_t records = 0;
  std::uint64_t csv_bytes = 0;  // uncompressed
};

// True for a CSV entry whose content the caller checks itself, by reading it
// in full through an EntryCursor (which checks the same things): verify() then
// only checks that the entry is there once and named by the manifest, and does
// not inflate it a second time.
using IsReadByCaller = std::function<bool(std::string_view entry_name)>;

// Returns the report of a good archive. The first problem found is thrown as
// Error(data) naming it; a missing or wrong passphrase is Error(no_permission);
// a missing file Error(not_found).
VerifyReport verify(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase,
                    const ProgressFn& progress = {}, const IsReadByCaller& is_read_by_caller = {});

// The Error(data) for a damaged or tampered backup: "backup NAME is damaged:
// PROBLEM", the same words from verify() and from an EntryCursor.
Error damaged_backup(const std::filesystem::path& archive, std::string_view problem);

}  // namespace crm::snapshot
