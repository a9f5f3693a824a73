#pragma once
// The byte layouts of a zip's records (PKWARE APPNOTE 6.3), as ZipWriter
// writes them: local file header, data descriptor, central directory header,
// end of central directory (with its Zip64 record and locator when needed).
// Pure functions of their fields, so the same entries give the same bytes;
// docs/backup-format.md ("Zip container") describes every field.

#include <crm/base/clock.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace crm::archive {

enum class ZipMethod : std::uint16_t { stored = 0, deflated = 8 };

// What the records of one entry say about it.
struct ZipEntryRecord {
  std::string name;
  ZipMethod method = ZipMethod::deflated;  // the method of the data before encryption
  bool is_encrypted = false;               // WinZip AES-256, vendor version AE-2 (method 99)
  std::uint32_t dos_time = 0;              // dos_time_utc()
  UnixTime time = 0;                       // the "UT" extra field's time
  std::uint32_t crc32 = 0;                 // written as 0 when encrypted (AE-2)
  std::uint64_t compressed_size = 0;       // bytes stored, AES salt, verifier and MAC included
  std::uint64_t uncompressed_size = 0;
  std::uint64_t local_header_offset = 0;
};

// The MS-DOS date (high 16 bits) and time (low 16 bits) of `time` in UTC,
// clamped to 1980-01-01 .. 2107-12-31.
std::uint32_t dos_time_utc(UnixTime time);

// A local header for a streamed entry: general purpose bit 3 set, CRC and
// sizes left to the data descriptor (sizes 0xFFFFFFFF with a Zip64 extra of
// zeros, so the descriptor holds 64-bit sizes).
std::string local_header(const ZipEntryRecord& entry);
// The data descriptor that follows an entry's data: CRC-32, 64-bit sizes.
std::string data_descriptor(const ZipEntryRecord& entry);
// The entry's central directory header, with a Zip64 extra holding only the
// values of 4 GiB or more.
std::string central_directory_header(const ZipEntryRecord& entry);
// The end records: a Zip64 end of central directory record and locator when
// the directory holds 65535 entries or more, or its size or offset needs 64
// bits, then the classic end of central directory record (no comment).
std::string end_of_central_directory(std::uint64_t entry_count, std::uint64_t directory_offset,
                                     std::uint64_t directory_size);

}  // namespace crm::archive
