#pragma once
// `crm-backup export`: a backup's CSV files as plain files in a directory,
// `<object>.csv` for each object with records (an object without records has
// no file in the archive, and gets none here either), in one of two forms:
//
// - exact: the entry's bytes, identical to the archive's;
// - spreadsheet: csv::SpreadsheetWriter's form (byte order mark, property
//   labels as headers, formula-like text escaped), record by record.
//
// The archive is verified completely first, as by `crm-backup verify`; then
// it is read once more and every file is streamed out of it while what was
// read is hashed (EntryCursor in the spreadsheet form), and published only
// when that hash is the manifest's: an archive swapped or damaged in
// between is Error(data). Files are written through AtomicFile (0600);
// memory stays bounded by a read buffer or one record.
//
// An export never replaces a file: when a file it would write already
// exists, it is Error(cannot_create) before anything is written (a directory
// mixing two exports would mislead). All or nothing: when it fails, the
// files it published are removed again, and the directories it made.

#include <crm/base/progress.hpp>
#include <crm/base/secret_memory.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::snapshot {

enum class ExportForm { exact, spreadsheet };

// The header of the hs_object_id column in the spreadsheet form (HubSpot's
// own exports call it so).
inline constexpr std::string_view k_record_id_label = "Record ID";

struct ExportedFile {
  std::string object;          // "contacts"
  std::filesystem::path path;  // absolute
  std::int64_t records = 0;
};

struct ExportResult {
  std::filesystem::path directory;  // absolute, symbolic links resolved
  std::vector<ExportedFile> files;  // in the manifest's order
  std::int64_t records = 0;         // of every file
};

// Exports `archive` into `directory`, made (mode 0700, missing parents too)
// when it does not exist. A damaged archive: Error(data); a missing or wrong
// passphrase: Error(no_permission); a directory or file that cannot be
// created, or a file that exists: Error(cannot_create); disk full: Error(io).
ExportResult export_backup(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase,
                           const std::filesystem::path& directory, ExportForm form, const ProgressFn& progress = {});

}  // namespace crm::snapshot
