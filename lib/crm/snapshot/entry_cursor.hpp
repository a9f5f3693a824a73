#pragma once
// Pulls the records of one CSV entry of a backup archive, one at a time, in
// hs_object_id order: what BackupReader::scan and diff's merge join stand on.
// Every row is checked as it is read (strict CSV, field count, increasing
// ids), and at the end of the entry its SHA-256 and record count are compared
// with the manifest: Error(data), in verify()'s words. An entry read to its end
// has been checked exactly as verify() checks it, which is what lets
// BackupReader skip verifying it a second time (Verification::alongside).

#include <crm/base/secret_memory.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/snapshot/manifest.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace crm::archive {
class ZipReader;
}
namespace crm::csv {
class Reader;
}

namespace crm::snapshot {

class EntryCursor {
public:
  // An object with no records gives a cursor that is at its end at once.
  EntryCursor(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase,
              const ObjectEntry& object);
  ~EntryCursor();
  EntryCursor(const EntryCursor&) = delete;
  EntryCursor& operator=(const EntryCursor&) = delete;

  // Moves to the next record; false after the last one.
  bool next();
  store::RecordId id() const { return m_id; }
  // The record's values in the order of the object's properties; valid until
  // the next call of next().
  std::span<const std::string> values() const { return std::span<const std::string>(m_fields).subspan(1); }

private:
  std::size_t read_hashed(char* buffer, std::size_t capacity);
  bool next_row();
  // Reads the rest of the entry to tell damage (a checksum mismatch) from a
  // malformed row, and throws the one found.
  [[noreturn]] void fail(const std::string& problem);

  std::filesystem::path m_archive;
  ObjectEntry m_object;
  std::unique_ptr<archive::ZipReader> m_zip;
  std::unique_ptr<csv::Reader> m_csv;
  crypto::Sha256 m_hasher;
  std::vector<std::string> m_fields;
  store::RecordId m_id = 0;
  std::int64_t m_records = 0;
  bool m_is_done = false;
};

}  // namespace crm::snapshot
