#include <crm/archive/central_directory.hpp>
#include <crm/base/error.hpp>

#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

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
// libarchive looks for the end record in the last 16 KiB only; so do we, so
// that both find the same one.
constexpr std::size_t k_tail_size = 16 * 1024;
constexpr std::uint64_t k_max_directory_bytes = std::uint64_t{64} << 20;

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
      const std::size_t needed =
          (is_size_in_zip64 ? 8 : 0) + (is_compressed_size_in_zip64 ? 8 : 0) + (is_offset_found ? 0 : 8);
      if (data.size() < needed)
        parser.refuse("a Zip64 extra field of its central directory is too short");
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
// encryption flag and the method: libarchive decides from the local header
// whether and how an entry is encrypted, other tools from the directory.
void check_local_header(const Parser& parser, std::uint64_t directory_start, const CentralDirectoryEntry& entry)
{
  if (entry.local_header_offset > directory_start || directory_start - entry.local_header_offset < k_local_header_size)
    parser.refuse("an entry's local header lies outside the archive's data");
  const std::string local = parser.read_at(entry.local_header_offset, k_local_header_size);
  if (std::memcmp(local.data(), "PK\003\004", 4) != 0)
    parser.refuse("an entry's local header is missing");
  const auto flags = static_cast<std::uint16_t>(le(local.data() + 6, 2));
  const auto method = static_cast<std::uint16_t>(le(local.data() + 8, 2));
  if ((flags & 1U) != (entry.flags & 1U) || method != entry.method)
    parser.refuse("an entry's local header and central directory disagree on its encryption or method");
}

}  // namespace

std::vector<CentralDirectoryEntry> read_central_directory(int fd, std::string_view what, std::size_t max_entries)
{
  const Parser parser(fd, what);
  struct stat status {};
  if (::fstat(fd, &status) != 0)
    throw_errno(errno, "read archive", what);
  const auto file_size = static_cast<std::uint64_t>(status.st_size);
  if (file_size < k_eocd_size)
    parser.refuse("it is not a zip archive, or it is truncated");

  const std::uint64_t tail_start = file_size > k_tail_size ? file_size - k_tail_size : 0;
  const std::string tail = parser.read_at(tail_start, file_size - tail_start);
  std::size_t eocd = std::string::npos;
  for (std::size_t i = tail.size() - k_eocd_size + 1; i-- > 0;)
    if (std::memcmp(tail.data() + i, "PK\005\006", 4) == 0) {
      eocd = i;
      break;
    }
  if (eocd == std::string::npos)
    parser.refuse("it is not a zip archive, or it is truncated");

  const char* end_record = tail.data() + eocd;
  if (le(end_record + 4, 2) != 0 || le(end_record + 6, 2) != 0)
    parser.refuse("it spans several disks");
  std::uint64_t entries = le(end_record + 10, 2);
  std::uint64_t directory_size = le(end_record + 12, 4);
  // The directory ends where the end records begin.
  std::uint64_t directory_end = tail_start + eocd;

  const bool has_locator = eocd >= k_locator_size && std::memcmp(end_record - k_locator_size, "PK\006\007", 4) == 0;
  if (has_locator) {
    const std::uint64_t zip64_offset = le(end_record - k_locator_size + 8, 8);
    if (zip64_offset > tail_start + eocd - k_locator_size)
      parser.refuse("its Zip64 end record points beyond its end");
    const std::string zip64 = parser.read_at(zip64_offset, k_zip64_eocd_size);
    if (std::memcmp(zip64.data(), "PK\006\006", 4) != 0)
      parser.refuse("its Zip64 end record is missing");
    if (le(zip64.data() + 16, 4) != 0 || le(zip64.data() + 20, 4) != 0)
      parser.refuse("it spans several disks");
    entries = le(zip64.data() + 32, 8);
    directory_size = le(zip64.data() + 40, 8);
    directory_end = zip64_offset;
  }
  if (entries > max_entries)
    parser.refuse(fmt::format("more than {} entries", max_entries));
  if (directory_size > directory_end || directory_size > k_max_directory_bytes)
    parser.refuse("its central directory size is impossible");

  const std::uint64_t directory_start = directory_end - directory_size;
  const std::string directory = parser.read_at(directory_start, directory_size);
  std::vector<CentralDirectoryEntry> entries_read;
  std::size_t position = 0;
  while (position < directory.size()) {
    if (directory.size() - position < k_record_size || std::memcmp(directory.data() + position, "PK\001\002", 4) != 0)
      parser.refuse("its central directory is malformed");
    const char* record = directory.data() + position;
    const std::size_t name_length = le(record + 28, 2);
    const std::size_t extra_length = le(record + 30, 2);
    const std::size_t record_length = k_record_size + name_length + extra_length + le(record + 32, 2);
    if (directory.size() - position < record_length)
      parser.refuse("its central directory is malformed");
    if (entries_read.size() == max_entries)
      parser.refuse(fmt::format("more than {} entries", max_entries));
    CentralDirectoryEntry entry;
    entry.name.assign(record + k_record_size, name_length);
    entry.flags = static_cast<std::uint16_t>(le(record + 8, 2));
    entry.method = static_cast<std::uint16_t>(le(record + 10, 2));
    entry.compressed_size = le(record + 20, 4);
    entry.size = le(record + 24, 4);
    entry.local_header_offset = le(record + 42, 4);
    read_extra_fields(parser, record, std::string_view(record + k_record_size + name_length, extra_length), entry);
    check_local_header(parser, directory_start, entry);
    entries_read.push_back(std::move(entry));
    position += record_length;
  }
  if (entries_read.size() != entries)
    parser.refuse("its central directory and end record disagree on the number of entries");
  return entries_read;
}

}  // namespace crm::archive
