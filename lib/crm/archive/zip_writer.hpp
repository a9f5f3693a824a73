#pragma once
// Writes a zip (libarchive) deterministically: entries in the order given,
// every entry's time fixed to `entry_time` (DOS date/time fields in UTC, so
// the bytes do not depend on the time zone), mode 0600, owner 0; with a
// passphrase, AES-256 entries (WinZip AE-1: AES plus CRC-32) that 7-Zip and
// bsdtar open. Entry sizes need not be known in advance (streamed with data
// descriptors and Zip64 fields, so entries and archives may exceed 4 GiB).
// Entry names must pass is_plain_entry_name (zip_reader.hpp).

#include <crm/base/clock.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crm::archive {

struct ZipWriterOptions {
  UnixTime entry_time = 0;
  int compression_level = 6;              // deflate 0..9
  std::optional<std::string> passphrase;  // set: AES-256 encrypted entries
};

class ZipWriter {
public:
  // Writes to `fd`, which stays owned by the caller. `what` names the output
  // in messages.
  ZipWriter(int fd, std::string what, const ZipWriterOptions& options);
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  void begin_entry(std::string_view name);
  void write(std::string_view data);
  void end_entry();
  // Writes the central directory. Must be called for a valid zip; throws
  // Error(io) on write failure (disk full).
  void close();

private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace crm::archive
