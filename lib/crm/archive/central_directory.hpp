#pragma once
// The records of a zip's central directory, read without libarchive, checked
// against each entry's local header.
//
// libarchive's seekable reader takes each entry's name, flags and method from
// its local header and never compares them with the central directory, which
// other tools (7-Zip, Python's zipfile, unzip) list. ZipReader compares the
// two so that every tool sees the same names and the same encryption in an
// archive we accept. Reading the directory ourselves also bounds its size
// before libarchive loads it into memory.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crm::archive {

struct CentralDirectoryEntry {
  std::string name;
  std::uint16_t flags = 0;       // general purpose bit flag; bit 0: encrypted
  std::uint16_t method = 0;      // 0 stored, 8 deflate, 99 WinZip AES (the real method is in the extra field)
  bool has_aes_extra = false;    // carries the WinZip AES extra field (0x9901)
  std::uint16_t aes_method = 0;  // the compression method inside AES, from that field
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t size = 0;  // uncompressed
  std::uint64_t local_header_offset = 0;

  bool is_encrypted() const { return (flags & 1U) != 0; }
  // WinZip AES, the only encryption crm-backup writes; any other encrypted
  // entry is ZipCrypto or a method we do not read.
  bool is_aes() const { return is_encrypted() && method == 99 && has_aes_extra; }
  // The method the data is compressed with (under AES, the inner one).
  std::uint16_t compression_method() const { return method == 99 && has_aes_extra ? aes_method : method; }
};

// What a directory may hold, checked before it is read, so that neither we
// nor libarchive (which reads this same directory) load more than
// max_entries * max_record_bytes() of it.
struct CentralDirectoryLimits {
  std::size_t max_entries = 4096;
  std::size_t max_name_bytes = 255;      // a longer name is never a plain entry name
  std::size_t max_extra_bytes = 1024;    // per record and per local header; we write 52 at most
  std::size_t max_comment_bytes = 1024;  // per record; we write none

  std::uint64_t max_record_bytes() const { return 46 + max_name_bytes + max_extra_bytes + max_comment_bytes; }
};

// The central directory records in file order. Throws Error(data) naming
// `what` unless every reader would read this one directory and these
// entries: the end records (classic and Zip64) name one directory, which ends
// where they begin, on one disk, with nothing after the end record but its
// comment; the directory holds exactly the entries the end record counts,
// within `limits`; each Zip64 extra field holds exactly the values its record
// defers to it; each local header exists and agrees with its record on name,
// flags and method; and the entries, sorted by local header offset, tile the
// file from its first byte to the directory (no shared or overlapping local
// headers, no bytes nothing accounts for).
std::vector<CentralDirectoryEntry> read_central_directory(int fd, std::string_view what,
                                                          const CentralDirectoryLimits& limits);

}  // namespace crm::archive
