#pragma once
// Writes a zip deterministically: entries in the order given, every entry's
// time fixed to `entry_time` (DOS date/time fields in UTC, so the bytes do
// not depend on the time zone), mode 0600, owner 0; with a passphrase,
// WinZip AES-256 entries (AE-2) that 7-Zip and bsdtar open. Entry sizes need
// not be known in advance (streamed with data descriptors and Zip64 fields,
// so entries and archives may exceed 4 GiB). Entry names must pass
// is_plain_entry_name (zip_reader.hpp).
//
// Each entry is cut into blocks of k_zip_block_bytes that `threads` workers
// compress at once (block_deflater.hpp); the bytes written depend only on the
// entries, the level and the time, never on the number of threads.

#include <crm/base/clock.hpp>
#include <crm/base/secret_memory.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crm::archive {

// Input bytes per independently compressed block: large enough that the
// per-block cost (priming the dictionary, a 5-byte sync marker, a hand-off
// between threads) is noise, small enough to keep memory flat.
constexpr std::size_t k_zip_block_bytes = std::size_t{1} << 20;

struct ZipWriterOptions {
  UnixTime entry_time = 0;
  int compression_level = 6;  // deflate 1..9; 0 stores
  // Set: AES-256 encrypted entries. Borrowed (never copied): it must outlive the writer.
  const SecretString* passphrase = nullptr;
  std::size_t threads = 0;  // compressing threads; 0: one per core
  // Receives every byte written to the file, in order: hashing the archive
  // needs no second read.
  std::function<void(std::string_view bytes)> on_output;
  // Source of the AES salts; empty: the operating system's CSPRNG. Tests
  // set it to compare encrypted archives byte for byte.
  std::function<std::string(std::size_t count)> random_bytes;
};

class ZipWriter {
public:
  // Writes to `fd`, which stays owned by the caller. `what` names the output
  // in messages.
  ZipWriter(int fd, std::string what, const ZipWriterOptions& options);
  // Stops the workers. Without close() the file holds no central directory,
  // which no reader opens; the caller discards it.
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  void begin_entry(std::string_view name);
  void write(std::string_view data);
  void end_entry();
  // Writes what is still being compressed and the central directory. Must be
  // called for a valid zip; throws Error(io) on write failure (disk full).
  void close();

private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace crm::archive
