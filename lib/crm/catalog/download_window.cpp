#include "crm/catalog/download_window.hpp"

namespace crm::catalog {

UnixTime expires_at(const BackupRecord& record) { return record.created_at + k_download_window_seconds; }

bool is_expired(const BackupRecord& record, UnixTime now) { return now >= expires_at(record); }

}  // namespace crm::catalog
