#include "crm/offsite/locations.hpp"

#include <crm/offsite/sidecar.hpp>

#include <algorithm>
#include <map>

namespace crm::offsite {

std::vector<BackupLocations> locate_backups(catalog::Repository& repository)
{
  std::map<std::string, std::vector<catalog::RemoteCopy>> copies_by_id;
  for (catalog::RemoteCopy& copy : repository.remote_copies().copies())
    if (copy.state != catalog::CopyState::pruned)
      copies_by_id[copy.backup_id].push_back(std::move(copy));

  std::vector<BackupLocations> backups;
  for (catalog::BackupRecord& record : repository.list()) {
    BackupLocations located;
    located.is_local = true;
    if (auto found = copies_by_id.find(record.id); found != copies_by_id.end()) {
      located.copies = std::move(found->second);
      copies_by_id.erase(found);
    }
    located.record = std::move(record);
    backups.push_back(std::move(located));
  }
  for (auto& [id, copies] : copies_by_id) {
    const auto copied = std::find_if(copies.begin(), copies.end(), [](const catalog::RemoteCopy& copy) {
      return copy.state == catalog::CopyState::copied;
    });
    if (copied == copies.end())
      continue;  // neither here nor checked on a remote: nothing to show
    BackupLocations located;
    located.record = parse_sidecar(copied->sidecar).record;
    located.copies = std::move(copies);
    backups.push_back(std::move(located));
  }
  std::stable_sort(backups.begin(), backups.end(), [](const BackupLocations& a, const BackupLocations& b) {
    return a.record.created_at > b.record.created_at;
  });
  return backups;
}

}  // namespace crm::offsite
