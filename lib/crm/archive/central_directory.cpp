#include "crm/archive/central_directory.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace crm::archive {
namespace {

constexpr std::size_t k_eocd_size = 22;
constexpr std::size_t k_locator_size = 20;
constexpr std::size_t k_zip64_eocd_size = 56;
constexpr std::size_t k_record_size = 46;
constexpr std::size_t k_local_header_size = 30;
constexpr std::uint16_t k_zip64_extra_id = 0x0001;
constexpr std::uint16_t k_aes_extra_id = 0x9901;
constexpr std::uint64_t k_zip64_marker = 0xffffffff;
constexpr std::size_t k_descriptor_size = 12;  // CRC-32 and two 4-byte sizes, without signature
// libarchive looks for the end record in the last 16 KiB only; so do we, so
// that both find the same one.
constexpr std::size_t k_tail_size = 16 * 1024;

std::uint64_t le(const char* at, int bytes)
{
  std::uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i)
    value = (value << 8) | static_cast<unsigned char>(at[i]);
  return value;
}

class Parser {
public:
  Parser(int fd, std::string_view what) : m_fd(fd), m_what(what) {}

  [[noreturn]] void refuse(std::string_view problem) const
  {
    throw Error(ErrorKind::data, fmt::format("archive {} refused: {}", m_what, problem),
                "the archive is damaged or was tampered with; use another copy of the backup");
  }

  std::string read_at(std::uint64_t offset, std::uint64_t size) const
  {
    std::string bytes(size, '\0');
    std::size_t done = 0;
    while (done < size) {
      const ssize_t got = ::pread(m_fd, bytes.data() + done, size - done, static_cast<off_t>(offset + done));
      if (got < 0) {
        if (errno == EINTR)
          continue;
        throw_errno(errno, "read archive", m_what);
      }
      if (got == 0)
        refuse("its end-of-archive records point beyond its end");
      done += static_cast<std::size_t>(got);
    }
    return bytes;
  }

private:
  int m_fd;
  std::string_view m_what;
};

// Reads the extra fields of one central directory record: the AES field
// (and the method inside it), and the compressed size and local header
// offset from the Zip64 field when the record's own fields hold the
// 0xffffffff marker (the Zip64 field holds, in order, each of uncompressed
// size, compressed size and offset whose own field is the marker).
void read_extra_fields(const Parser& parser, const char* record, std::string_view extra, CentralDirectoryEntry& entry)
{
  bool is_size_in_zip64 = le(record + 24, 4) == k_zip64_marker;
  bool is_compressed_size_in_zip64 = le(record + 20, 4) == k_zip64_marker;
  bool is_offset_found = entry.local_header_offset != k_zip64_marker;
  bool has_zip64_extra = false;
  std::size_t position = 0;
  while (position + 4 <= extra.size()) {
    const auto id = static_cast<std::uint16_t>(le(extra.data() + position, 2));
    const std::size_t size = le(extra.data() + position + 2, 2);
    if (extra.size() - position - 4 < size)
      parser.refuse("an extra field of its central directory runs past its record");
    const std::string_view data = extra.substr(position + 4, size);
    if (id == k_aes_extra_id) {
      if (data.size() < 7)
        parser.refuse("an AES extra field of its central directory is too short");
      entry.has_aes_extra = true;
      entry.aes_method = static_cast<std::uint16_t>(le(data.data() + 5, 2));
    }
    if (id == k_zip64_extra_id) {
      // Exactly the values whose own field holds the marker (APPNOTE 4.5.3):
      // a field carrying sizes of its own would give readers that prefer it
      // other sizes than ours and libarchive's.
      const std::size_t needed =
          (is_size_in_zip64 ? 8 : 0) + (is_compressed_size_in_zip64 ? 8 : 0) + (is_offset_found ? 0 : 8);
      if (has_zip64_extra)
        parser.refuse("a record of its central directory has two Zip64 extra fields");
      has_zip64_extra = true;
      if (data.size() != needed)
        parser.refuse("a Zip64 extra field of its central directory disagrees with its record's own sizes");
      if (is_size_in_zip64)
        entry.size = le(data.data(), 8);
      if (is_compressed_size_in_zip64)
        entry.compressed_size = le(data.data() + (is_size_in_zip64 ? 8 : 0), 8);
      if (!is_offset_found) {
        entry.local_header_offset = le(data.data() + needed - 8, 8);
        is_offset_found = true;
      }
      is_size_in_zip64 = false;
      is_compressed_size_in_zip64 = false;
    }
    position += 4 + size;
  }
  if (!is_offset_found || is_size_in_zip64 || is_compressed_size_in_zip64)
    parser.refuse("an entry's Zip64 extra field is missing");
}

// The local header must exist and agree with the central directory on the
// name, the encryption flag and the method: libarchive takes the name and
// decides whether and how an entry is encrypted from the local header, other
// tools from the directory. Returns where the entry's data ends (before a
// data descriptor).
std::uint64_t check_local_header(const Parser& parser, std::uint64_t directory_start,
                                 const CentralDirectoryEntry& entry, const CentralDirectoryLimits& limits)
{
  if (entry.local_header_offset > directory_start || directory_start - entry.local_header_offset < k_local_header_size)
    parser.refuse("an entry's local header lies outside the archive's data");
  // Also keeps the sum below from wrapping around.
  if (entry.compressed_size > directory_start)
    parser.refuse("two of its entries overlap");
  const std::string local = parser.read_at(entry.local_header_offset, k_local_header_size);
  if (std::memcmp(local.data(), "PK\003\004", 4) != 0)
    parser.refuse("an entry's local header is missing");
  const auto flags = static_cast<std::uint16_t>(le(local.data() + 6, 2));
  const auto method = static_cast<std::uint16_t>(le(local.data() + 8, 2));
  if ((flags & 1U) != (entry.flags & 1U) || method != entry.method)
    parser.refuse("an entry's local header and central directory disagree on its encryption or method");
  const std::uint64_t name_length = le(local.data() + 26, 2);
  const std::uint64_t extra_length = le(local.data() + 28, 2);
  if (extra_length > limits.max_extra_bytes)
    parser.refuse(
        fmt::format("an entry's local header has more than {} bytes of extra fields", limits.max_extra_bytes));
  if (name_length != entry.name.size() ||
      directory_start - entry.local_header_offset - k_local_header_size < name_length ||
      parser.read_at(entry.local_header_offset + k_local_header_size, name_length) != entry.name)
    parser.refuse("an entry's local header and central directory disagree on its name");
  return entry.local_header_offset + k_local_header_size + name_length + extra_length + entry.compressed_size;
}

// Entries sorted by local header offset must tile the file from its first
// byte to the central directory: each one's header, data and data
// descriptor, then the next. Nothing hides between or under them (two
// records sharing a local header, overlapping entries, a second directory
// or any other bytes no record accounts for), so a reader walking the local
// headers from the start meets exactly the entries the directory lists.
void check_tiling(const Parser& parser, std::vector<std::pair<std::uint64_t, std::uint64_t>> extents,
                  const std::vector<bool>& has_descriptor, std::uint64_t directory_start)
{
  std::vector<std::size_t> order(extents.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return extents[a].first < extents[b].first; });
  std::uint64_t expected = 0;
  for (std::size_t k = 0; k <= order.size(); ++k) {
    const std::uint64_t next = k < order.size() ? extents[order[k]].first : directory_start;
    if (next != expected)
      parser.refuse(next < expected ? "two of its entries overlap"
                                    : "it holds bytes that no entry of its central directory accounts for");
    if (k == order.size())
      break;
    const std::size_t index = order[k];
    const std::uint64_t data_end = extents[index].second;
    const std::uint64_t following = k + 1 < order.size() ? extents[order[k + 1]].first : directory_start;
    if (data_end > following)
      parser.refuse("two of its entries overlap");
    expected = data_end;
    if (has_descriptor[index]) {
      // A data descriptor: an optional signature, the CRC-32 and two sizes
      // of 4 or 8 bytes. Whichever form ends exactly where the next entry
      // begins; none does: refused below.
      const std::uint64_t room = following - data_end;
      const bool is_signed = room >= 4 && std::memcmp(parser.read_at(data_end, 4).data(), "PK\007\010", 4) == 0;
      const std::uint64_t base = (is_signed ? 4 : 0) + k_descriptor_size;
      expected += room == base + 8 ? base + 8 : base;
    }
  }
}

}  // namespace

std::vector<CentralDirectoryEntry> read_central_directory(int fd, std::string_view what,
                                                          const CentralDirectoryLimits& limits)
{
  const Parser parser(fd, what);
  struct stat status {};
  if (::fstat(fd, &status) != 0)
    throw_errno(errno, "read archive", what);
  const auto file_size = static_cast<std::uint64_t>(status.st_size);
  if (file_size < k_eocd_size)
    parser.refuse("it is not a zip archive, or it is truncated");

  // The last end record in the tail, found as libarchive finds it (not at the
  // tail's first byte).
  const std::uint64_t tail_start = file_size > k_tail_size ? file_size - k_tail_size : 0;
  const std::string tail = parser.read_at(tail_start, file_size - tail_start);
  std::size_t eocd = std::string::npos;
  for (std::size_t i = tail.size() - k_eocd_size; i > 0; --i)
    if (std::memcmp(tail.data() + i, "PK\005\006", 4) == 0) {
      eocd = i;
      break;
    }
  if (eocd == std::string::npos)
    parser.refuse("it is not a zip archive, or it is truncated");

  const char* end_record = tail.data() + eocd;
  const std::uint64_t end_offset = tail_start + eocd;
  if (le(end_record + 4, 2) != 0 || le(end_record + 6, 2) != 0 || le(end_record + 8, 2) != le(end_record + 10, 2))
    parser.refuse("it spans several disks");
  if (end_offset + k_eocd_size + le(end_record + 20, 2) != file_size)
    parser.refuse("bytes follow its end of central directory record");
  std::uint64_t entries = le(end_record + 10, 2);
  std::uint64_t directory_size = le(end_record + 12, 4);
  std::uint64_t directory_start = le(end_record + 16, 4);
  // The directory ends where the end records begin.
  std::uint64_t directory_end = end_offset;

  // libarchive takes the directory from a Zip64 record whenever a locator
  // precedes the classic record and both pass its checks, else from the
  // classic record. We accept only end records whose every form names one
  // directory: a Zip64 record right before its locator, exactly as large as
  // we write it, on one disk, its directory ending where it begins, and a
  // classic record holding the same values or the Zip64 markers.
  const bool has_locator = eocd >= k_locator_size && std::memcmp(end_record - k_locator_size, "PK\006\007", 4) == 0;
  if (has_locator) {
    const char* locator = end_record - k_locator_size;
    const std::uint64_t locator_offset = end_offset - k_locator_size;
    const std::uint64_t zip64_offset = le(locator + 8, 8);
    if (le(locator + 4, 4) != 0 || le(locator + 16, 4) != 1)
      parser.refuse("its Zip64 end record locator names several disks");
    if (locator_offset < k_zip64_eocd_size || zip64_offset != locator_offset - k_zip64_eocd_size)
      parser.refuse("its Zip64 end record is not where its locator says");
    const std::string zip64 = parser.read_at(zip64_offset, k_zip64_eocd_size);
    if (std::memcmp(zip64.data(), "PK\006\006", 4) != 0 || le(zip64.data() + 4, 8) != k_zip64_eocd_size - 12)
      parser.refuse("its Zip64 end record is missing or malformed");
    if (le(zip64.data() + 16, 4) != 0 || le(zip64.data() + 20, 4) != 0 ||
        le(zip64.data() + 24, 8) != le(zip64.data() + 32, 8))
      parser.refuse("it spans several disks");
    const std::uint64_t zip64_entries = le(zip64.data() + 32, 8);
    const std::uint64_t zip64_size = le(zip64.data() + 40, 8);
    const std::uint64_t zip64_start = le(zip64.data() + 48, 8);
    const auto agrees = [](std::uint64_t classic, std::uint64_t marker, std::uint64_t value) {
      return classic == marker || classic == value;
    };
    if (!agrees(entries, 0xffff, zip64_entries) || !agrees(directory_size, k_zip64_marker, zip64_size) ||
        !agrees(directory_start, k_zip64_marker, zip64_start))
      parser.refuse("its Zip64 and classic end records name different central directories");
    entries = zip64_entries;
    directory_size = zip64_size;
    directory_start = zip64_start;
    directory_end = zip64_offset;
  }
  if (entries > limits.max_entries)
    parser.refuse(fmt::format("more than {} entries", limits.max_entries));
  // Checked before anything of the directory is read, and what libarchive
  // loads is this same directory: at most entries * k_max_record_bytes.
  if (directory_size > entries * limits.max_record_bytes())
    parser.refuse(fmt::format("its central directory is larger than {} entries can fill", entries));
  // No bytes before the first entry (a self-extractor's stub): libarchive
  // would shift every offset by them, we would not.
  if (directory_start > directory_end || directory_end - directory_start != directory_size)
    parser.refuse("its end record names a central directory that does not end where the end records begin");

  const std::string directory = parser.read_at(directory_start, directory_size);
  std::vector<CentralDirectoryEntry> entries_read;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> extents;  // local header offset, end of data
  std::vector<bool> has_descriptor;
  std::size_t position = 0;
  while (position < directory.size()) {
    if (directory.size() - position < k_record_size || std::memcmp(directory.data() + position, "PK\001\002", 4) != 0)
      parser.refuse("its central directory is malformed");
    const char* record = directory.data() + position;
    const std::size_t name_length = le(record + 28, 2);
    const std::size_t extra_length = le(record + 30, 2);
    const std::size_t comment_length = le(record + 32, 2);
    const std::size_t record_length = k_record_size + name_length + extra_length + comment_length;
    if (directory.size() - position < record_length)
      parser.refuse("its central directory is malformed");
    if (entries_read.size() == limits.max_entries)
      parser.refuse(fmt::format("more than {} entries", limits.max_entries));
    if (name_length > limits.max_name_bytes || extra_length > limits.max_extra_bytes ||
        comment_length > limits.max_comment_bytes)
      parser.refuse(fmt::format("a record of its central directory has a name longer than {} bytes, more than {} "
                                "bytes of extra fields or a comment longer than {} bytes",
                                limits.max_name_bytes, limits.max_extra_bytes, limits.max_comment_bytes));
    if (le(record + 34, 2) != 0)
      parser.refuse("it spans several disks");
    CentralDirectoryEntry entry;
    entry.name.assign(record + k_record_size, name_length);
    entry.flags = static_cast<std::uint16_t>(le(record + 8, 2));
    entry.method = static_cast<std::uint16_t>(le(record + 10, 2));
    entry.crc32 = static_cast<std::uint32_t>(le(record + 16, 4));
    entry.compressed_size = le(record + 20, 4);
    entry.size = le(record + 24, 4);
    entry.local_header_offset = le(record + 42, 4);
    read_extra_fields(parser, record, std::string_view(record + k_record_size + name_length, extra_length), entry);
    extents.emplace_back(entry.local_header_offset, check_local_header(parser, directory_start, entry, limits));
    has_descriptor.push_back((entry.flags & 8U) != 0);
    entries_read.push_back(std::move(entry));
    position += record_length;
  }
  if (entries_read.size() != entries)
    parser.refuse("its central directory and end record disagree on the number of entries");
  check_tiling(parser, std::move(extents), has_descriptor, directory_start);
  return entries_read;
}

}  // namespace crm::archive
