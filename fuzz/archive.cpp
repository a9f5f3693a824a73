// Feeds a zip archive to the reader as `crm-restore plan` and `crm-backup
// verify` open a backup (snapshot::BackupReader: ZipReader over libarchive,
// our own central directory parser, manifest.json, every CSV checked against
// it), then streams every object's records as a plan does, and finally asks
// require_aes_encrypted, the check made when the catalog records the archive
// as encrypted. An archive is the input an attacker who can write the
// repository, or hand over a file, controls completely.
//
// An encrypted archive is refused without a passphrase (77); the target then
// tries again with k_passphrase, the one make_seeds.py encrypts its seeds
// with, so that the AES path is fuzzed too.

#include "fuzz_input.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/snapshot/backup_reader.hpp>

#include <optional>
#include <string>

namespace {

constexpr const char* k_passphrase = "fuzz-passphrase";

void read_backup(const std::filesystem::path& path, std::optional<crm::SecretString> passphrase)
{
  const crm::snapshot::BackupReader reader(path, std::move(passphrase));
  for (const auto& object : reader.manifest().objects) {
    if (object.record_count == 0)
      continue;
    std::int64_t records = 0;
    reader.scan(object, [&](crm::store::RecordId, std::span<const std::string> values) {
      crm::fuzz::require(values.size() == object.properties.size(), "a record has a value for each property");
      ++records;
    });
    crm::fuzz::require(records == object.record_count, "a verified archive holds the records its manifest counts");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto& path = crm::fuzz::MemoryFile::write(data, size);
  bool is_encrypted = false;
  crm::fuzz::accepts([&] {
    try {
      read_backup(path, std::nullopt);
    } catch (const crm::Error& error) {
      if (error.kind() != crm::ErrorKind::no_permission)
        throw;
      is_encrypted = true;
    }
  });
  if (is_encrypted)
    crm::fuzz::accepts([&] { read_backup(path, crm::SecretString(std::string(k_passphrase))); });
  crm::fuzz::accepts([&] { crm::archive::require_aes_encrypted(path); });
  return 0;
}
