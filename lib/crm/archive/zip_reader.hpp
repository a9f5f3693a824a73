#pragma once
// Reads a zip that may be hostile (SPEC §6): only entry names the caller
// allows (no paths, no "..", no links, no duplicates), regular files only,
// sizes counted while decompressing against hard caps, every libarchive
// warning treated as an error. Any violation is Error(data) naming the entry.
// An encrypted entry without a passphrase, or with a wrong one, is
// Error(no_permission). Encryption is all or nothing and WinZip AES only: an
// archive mixing encrypted and plain entries (an empty entry aside), or
// holding a ZipCrypto entry, is Error(data).

#include <crm/base/secret_memory.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crm::archive {

struct ZipReaderLimits {
  std::size_t max_entries = 4096;
  std::uint64_t max_entry_bytes = std::uint64_t{64} << 30;  // uncompressed, counted while reading
  std::uint64_t max_total_bytes = std::uint64_t{256} << 30;
  // Uncompressed bytes per compressed byte, checked once an entry passes
  // k_ratio_floor_bytes. Deflate cannot exceed about 1032; our CSV stays
  // far below 100. Only stored and deflate entries are read at all.
  std::uint64_t max_compression_ratio = 1000;
};

// Entries smaller than this are not held to the ratio cap.
inline constexpr std::uint64_t k_ratio_floor_bytes = std::uint64_t{1} << 20;

class ZipReader {
public:
  using NameFilter = std::function<bool(std::string_view entry_name)>;

  ZipReader(const std::filesystem::path& path, NameFilter is_allowed_name,
            const std::optional<SecretString>& passphrase = std::nullopt, ZipReaderLimits limits = {});
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  // Moves to the next entry; false at the end of the archive.
  bool next_entry();
  const std::string& entry_name() const;
  bool is_entry_encrypted() const;
  // Reads up to `capacity` bytes of the current entry's content; 0 at its end.
  std::size_t read(char* buffer, std::size_t capacity);

private:
  struct State;
  std::unique_ptr<State> m_state;
};

// True for a plain file name: not empty, at most 255 bytes, printable ASCII
// only, no '/', '\\', no "..", no leading '.', and nothing Windows would
// mangle or refuse on extraction (no ':*?"<>|', no leading or trailing space,
// no trailing '.'). ZipWriter writes only such names.
bool is_plain_entry_name(std::string_view name);

// For an archive that was written encrypted (the catalog says so): throws
// Error(data) unless it has an encrypted entry and every entry but an empty
// one is WinZip AES encrypted, in its central directory and local header. A wholly plaintext
// archive would otherwise be read without asking for the passphrase.
void require_aes_encrypted(const std::filesystem::path& path);

}  // namespace crm::archive
