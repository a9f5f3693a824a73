#include "crm/offsite/fetch.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/file_read.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/offsite/remote_directory.hpp>
#include <crm/offsite/sidecar.hpp>
#include <crm/snapshot/recorded_archive.hpp>

#include <fmt/format.h>

namespace crm::offsite {

namespace {

std::optional<catalog::BackupRecord> local_record(catalog::Repository& repository, std::string_view id)
{
  try {
    return repository.find(id);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::not_found)
      throw;
    return std::nullopt;
  }
}

}  // namespace

ResolvedArchive fetch(catalog::Repository& repository, std::string_view id, std::string_view remote_name)
{
  catalog::RemoteCopies copies = repository.remote_copies();
  std::optional<catalog::RemoteCopy> chosen;
  for (catalog::RemoteCopy& copy : copies.copies_of(id))
    if (copy.state == catalog::CopyState::copied && (remote_name.empty() || copy.remote_name == remote_name)) {
      chosen = std::move(copy);
      break;
    }
  if (!chosen) {
    if (remote_name.empty())
      throw Error(ErrorKind::not_found, fmt::format("no backup {} in {}", id, repository.directory().string()),
                  "crm-backup list shows the backups");
    throw Error(ErrorKind::not_found, fmt::format("backup {} has no copy on remote {}", id, remote_name),
                "crm-backup list shows where each backup is; crm-backup remote sync copies pending ones");
  }
  const std::optional<catalog::Remote> remote = copies.find_remote(chosen->remote_name);
  if (!remote)
    throw Error(ErrorKind::not_found, fmt::format("no remote {}", chosen->remote_name),
                "crm-backup remote list shows the remotes");

  // What the archive must be: the catalog row when there is one (the
  // repository's own record), otherwise what the sidecar recorded.
  catalog::BackupRecord record = parse_sidecar(chosen->sidecar).record;
  if (record.id != id)
    throw Error(ErrorKind::data, fmt::format("the sidecar of backup {} in the catalog names backup {}", id, record.id),
                "the catalog was changed outside crm-backup; run crm-backup remote import again");
  if (std::optional<catalog::BackupRecord> row = local_record(repository, id))
    record = std::move(*row);

  ResolvedArchive resolved;
  resolved.record = record;
  resolved.remote_name = remote->name;
  resolved.scratch = std::make_shared<ScratchDirectory>();
  RemoteDirectory directory(remote->name, remote->destination);
  AtomicFile file(resolved.scratch->path() / record.archive_name, 0600);
  crypto::Sha256 hash;
  std::int64_t size = 0;
  directory.download(record.archive_name, [&](std::string_view bytes) {
    hash.update(bytes);
    size += static_cast<std::int64_t>(bytes.size());
    file.write(bytes);
  });
  if (size != record.size_bytes || hash.hex_digest() != record.sha256)
    throw Error(ErrorKind::data,
                fmt::format("the copy of backup {} on {} does not match the SHA-256 recorded when it was made: "
                            "it was damaged or changed",
                            id, directory.describe()),
                "do not use it; crm-backup remote sync copies it again while the repository holds the backup");
  file.commit();
  resolved.path = file.path();
  if (record.is_encrypted)
    archive::require_aes_encrypted(resolved.path);
  return resolved;
}

ResolvedArchive resolve(catalog::Repository& repository, std::string_view id)
{
  if (std::optional<catalog::BackupRecord> record = local_record(repository, id))
    return ResolvedArchive{snapshot::checked_archive(repository, *record), *record, {}, nullptr};
  return fetch(repository, id);
}

ResolvedArchive fetch_for_verify(const std::filesystem::path& repository_path, std::string_view id,
                                 std::string_view remote_name, const Clock& clock)
{
  auto repository = catalog::Repository::open(repository_path, catalog::OpenIntent::read);
  try {
    return fetch(repository, id, remote_name);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::data)
      throw;
    try {
      catalog::Repository::open(repository_path, catalog::OpenIntent::write)
          .remote_copies()
          .record_attempt(remote_name, id, catalog::CopyState::failed, error.what(), clock.now());
    } catch (const Error&) {
      // A reader that cannot write the catalog still gets the verdict.
    }
    throw;
  }
}

catalog::DownloadResult download_copy(catalog::Repository& repository, std::string_view id,
                                      const std::filesystem::path& out)
{
  const ResolvedArchive fetched = fetch(repository, id);
  std::error_code error;
  const std::filesystem::path target =
      std::filesystem::is_directory(out, error) ? out / fetched.record.archive_name : out;
  AtomicFile copy(target, 0600);
  std::int64_t copied = 0;
  read_file_chunks(fetched.path, [&](std::string_view chunk) {
    copy.write(chunk);
    copied += static_cast<std::int64_t>(chunk.size());
  });
  copy.commit();
  return catalog::DownloadResult{target, copied};
}

bool is_local_backup(catalog::Repository& repository, std::string_view id)
{
  return local_record(repository, id).has_value();
}

}  // namespace crm::offsite
