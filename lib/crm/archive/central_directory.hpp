#pragma once
// The entry names of a zip's central directory, read without libarchive.
//
// libarchive's seekable reader takes each entry's name from its local header
// and never compares it with the central directory, which other tools (7-Zip,
// Python's zipfile, unzip) list. ZipReader compares the two so that every
// tool sees the same names in an archive we accept. Reading the directory
// ourselves also bounds its size before libarchive loads it into memory.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crm::archive {

// Names of the central directory records in file order. Throws Error(data)
// naming `what` when the end records or the directory are malformed, span
// several disks, or hold more than `max_entries` records.
std::vector<std::string> read_central_directory_names(int fd, std::string_view what, std::size_t max_entries);

}  // namespace crm::archive
