#pragma once
// A backup's archive in the repository, checked against what the catalog
// recorded when it was made, before anything reads it (SPEC §8: "an archive
// is used only after its recorded hash matches"). Restore by id, verify by
// id, diff by id and show all go through here; download checks the same
// hash over the bytes it copies.
//
// The check reads the file once more than the reader that follows; someone
// who can write the repository while the command runs could still swap the
// file in between, but then the reader's own checks (manifest checksums,
// all-or-nothing AES) are what stands.

#include <crm/catalog/backup_record.hpp>
#include <crm/catalog/repository.hpp>

#include <filesystem>

namespace crm::snapshot {

// The path of `record`'s archive once it is checked: its SHA-256 and size
// are those recorded at creation (else Error(data)), and when the catalog
// records it as encrypted every entry is AES-encrypted (else Error(data)). A
// missing file is Error(not_found).
std::filesystem::path checked_archive(const catalog::Repository& repository, const catalog::BackupRecord& record);

}  // namespace crm::snapshot
