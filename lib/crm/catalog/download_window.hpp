#pragma once
// SPEC §1: a backup can be downloaded for 14 days after it was made (counted
// from its snapshot time); after that it has expired.

#include <crm/base/clock.hpp>
#include <crm/catalog/backup_record.hpp>

#include <cstdint>

namespace crm::catalog {

constexpr std::int64_t k_download_window_seconds = 14 * 24 * 60 * 60;

// The first instant at which `record` can no longer be downloaded.
UnixTime expires_at(const BackupRecord& record);
// True from expires_at(record) on.
bool is_expired(const BackupRecord& record, UnixTime now);

}  // namespace crm::catalog
