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

// The central directory records in file order. Throws Error(data) naming
// `what` when the end records or the directory are malformed, span several
// disks, hold more than `max_entries` records, or when an entry's local
// header is missing or disagrees with its record on flags or method.
std::vector<CentralDirectoryEntry> read_central_directory(int fd, std::string_view what, std::size_t max_entries);

}  // namespace crm::archive
