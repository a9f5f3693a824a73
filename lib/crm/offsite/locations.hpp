#pragma once
// Where each backup is (crm-backup list): in the repository, and on which
// remotes it is copied, pending or failed. Backups known only from remotes
// (pruned here, or imported) are listed too, from their sidecars.

#include <crm/catalog/backup_record.hpp>
#include <crm/catalog/remote_copies.hpp>
#include <crm/catalog/repository.hpp>

#include <string>
#include <vector>

namespace crm::offsite {

struct BackupLocations {
  catalog::BackupRecord record;
  bool is_local = false;                    // the repository holds its archive
  std::vector<catalog::RemoteCopy> copies;  // by remote name; pruned copies left out
};

// Newest first, like Repository::list.
std::vector<BackupLocations> locate_backups(catalog::Repository& repository);

}  // namespace crm::offsite
