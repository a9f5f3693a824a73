#pragma once
// The restores a store has seen, as the journal records them: each applied
// (or partly applied) run is the import "Data Restore - <Object>", its run id
// the import id, with what its details say (the plan hash, the undo file).

#include <crm/catalog/journal.hpp>
#include <crm/store/model.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace crm::restore {

struct RestoreImport {
  store::Import import;
  std::string plan_hash;
  std::string backup_id;
  std::string source_file;
  std::filesystem::path undo_file;
  std::string undo_sha256;
  std::vector<std::string> properties;
  std::int64_t undo_of_import = 0;  // set when the restore was an undo
  std::int64_t records_failed = 0;  // refused by the backend
};

// Newest first, of the store `store_id`.
std::vector<RestoreImport> restore_history(catalog::Journal& journal, std::string_view store_id);

// Error(not_found) when the journal has no restore import `import_id` of the store.
RestoreImport find_restore_import(catalog::Journal& journal, std::string_view store_id, std::int64_t import_id);

}  // namespace crm::restore
