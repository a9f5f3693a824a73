#include "crm/catalog/download.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/file_read.hpp>
#include <crm/catalog/download_window.hpp>
#include <crm/crypto/sha256.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace crm::catalog {

namespace fs = std::filesystem;

namespace {

class SourceFile {
public:
  explicit SourceFile(int fd) : m_fd(fd) {}
  ~SourceFile() { ::close(m_fd); }
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;
  int fd() const { return m_fd; }

private:
  int m_fd;
};

}  // namespace

DownloadResult download(Repository& repository, std::string_view id, const fs::path& out, UnixTime now)
{
  const BackupRecord record = repository.find(id);
  if (is_expired(record, now))
    throw Error(ErrorKind::not_found,
                fmt::format("backup {} expired on {}; the download window is 14 days", record.id,
                            format_human(expires_at(record))),
                "make a new backup");

  const fs::path source_path = repository.archive_path(record);
  const int source_fd = ::open(source_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (source_fd < 0) {
    if (errno == ENOENT)
      throw Error(
          ErrorKind::data,
          fmt::format("the archive of backup {} is missing from {}", record.id, repository.directory().string()),
          "the repository was changed outside crm-backup; make a new backup");
    throw_errno(errno, "read the archive", source_path.string());
  }
  SourceFile source(source_fd);

  std::error_code error;
  const fs::path target = fs::is_directory(out, error) ? out / source_path.filename() : out;
  AtomicFile copy(target, 0600);
  crypto::Sha256 digest;
  std::int64_t copied = 0;
  read_fd_chunks(source.fd(), source_path.string(), [&](std::string_view chunk) {
    digest.update(chunk);
    copy.write(chunk);
    copied += static_cast<std::int64_t>(chunk.size());
  });
  if (copied != record.size_bytes || digest.hex_digest() != record.sha256)
    throw Error(ErrorKind::data,
                fmt::format("backup {} in {} does not match its checksum: the archive was damaged or changed",
                            record.id, repository.directory().string()),
                "do not use it; make a new backup");
  copy.commit();
  return DownloadResult{target, copied};
}

}  // namespace crm::catalog
