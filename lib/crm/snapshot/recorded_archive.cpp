#include "crm/snapshot/recorded_archive.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/error.hpp>
#include <crm/base/file_read.hpp>
#include <crm/crypto/sha256.hpp>

#include <fmt/format.h>

namespace crm::snapshot {

std::filesystem::path checked_archive(const catalog::Repository& repository, const catalog::BackupRecord& record)
{
  const std::filesystem::path archive = repository.archive_path(record);
  std::error_code error;
  if (!std::filesystem::is_regular_file(archive, error))
    throw Error(ErrorKind::not_found,
                fmt::format("the archive of backup {} is missing: {}", record.id, archive.string()),
                "crm-backup list shows the backups");

  crypto::Sha256 hash;
  std::int64_t size = 0;
  read_file_chunks(archive, [&](std::string_view chunk) {
    hash.update(chunk);
    size += static_cast<std::int64_t>(chunk.size());
  });
  if (size != record.size_bytes || hash.hex_digest() != record.sha256)
    throw Error(ErrorKind::data,
                fmt::format("the archive of backup {} does not match the SHA-256 recorded when it was made: "
                            "it was damaged or changed",
                            record.id),
                "do not use it; restore from another backup or copy");
  if (record.is_encrypted)
    archive::require_aes_encrypted(archive);
  return archive;
}

}  // namespace crm::snapshot
