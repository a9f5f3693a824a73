#pragma once
// An archive being written into the repository: Repository::begin_archive()
// gives one, the caller writes the zip to fd(), Repository::publish() makes
// it a backup. Until then it is a temporary file (".tmp-..."), invisible to
// readers; dropped unpublished, it is removed.

#include <crm/base/atomic_file.hpp>
#include <crm/base/clock.hpp>

#include <memory>
#include <string>

namespace crm::catalog {

struct PendingArchive {
  std::string id;            // the backup id it will be published under
  UnixTime created_at = 0;   // the snapshot time given to begin_archive()
  std::string archive_name;  // "crm-backup-<id>.zip"
  std::unique_ptr<AtomicFile> file;

  int fd() const { return file->fd(); }
};

}  // namespace crm::catalog
