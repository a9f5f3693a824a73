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

}  // namespace

std::vector<std::string> read_central_directory_names(int fd, std::string_view what, std::size_t max_entries)
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

  const std::string directory = parser.read_at(directory_end - directory_size, directory_size);
  std::vector<std::string> names;
  std::size_t position = 0;
  while (position < directory.size()) {
    if (directory.size() - position < k_record_size || std::memcmp(directory.data() + position, "PK\001\002", 4) != 0)
      parser.refuse("its central directory is malformed");
    const char* record = directory.data() + position;
    const std::size_t name_length = le(record + 28, 2);
    const std::size_t record_length = k_record_size + name_length + le(record + 30, 2) + le(record + 32, 2);
    if (directory.size() - position < record_length)
      parser.refuse("its central directory is malformed");
    if (names.size() == max_entries)
      parser.refuse(fmt::format("more than {} entries", max_entries));
    names.emplace_back(record + k_record_size, name_length);
    position += record_length;
  }
  if (names.size() != entries)
    parser.refuse("its central directory and end record disagree on the number of entries");
  return names;
}

}  // namespace crm::archive
