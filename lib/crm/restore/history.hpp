#pragma once
// The restores a store has seen: its completed imports named
// "Data Restore - <Object>", with what their details say (the run id, the
// plan hash, the undo file).

#include <crm/store/store.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crm::restore {

struct RestoreImport {
  store::Import import;
  std::string run_id;
  std::string plan_hash;
  std::string backup_id;
  std::string source_file;
  std::filesystem::path undo_file;
  std::vector<std::string> properties;
  std::int64_t undo_of_import = 0;  // set when the restore was an undo
};

// Newest first.
std::vector<RestoreImport> restore_history(store::Reader& reader);

// Error(not_found) when the store has no restore import `import_id`.
RestoreImport find_restore_import(store::Reader& reader, std::int64_t import_id);

}  // namespace crm::restore
