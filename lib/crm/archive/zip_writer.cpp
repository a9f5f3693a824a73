// ZipWriter over libarchive's zip format writer (libarchive 3.6.2).
//
// What libarchive does and what we add:
// - Entries are written with unknown sizes: libarchive then streams them with
//   data descriptors and Zip64 extras, so an entry or an archive over 4 GiB
//   works (the central directory gets Zip64 fields only where needed).
// - libarchive blocks its output into 10240-byte blocks and pads the last one
//   with zeros. We set the block size to 0: every output buffer goes straight
//   to our write callback (no copy, no padding), and write() hands the
//   caller's data straight to deflate.
// - libarchive writes the MS-DOS date/time fields of the local headers and of
//   the central directory in the local time zone of the writing process, so
//   the same backup would differ between a cron job and a shell with another
//   TZ. We rewrite those fields with the UTC date/time of `entry_time`: the
//   local header passes through the callback as one 30-byte write right after
//   archive_write_header(), and the central directory is collected during
//   archive_write_close() and patched before it is written. The exact time is
//   also in each entry's "UT" extra field, which libarchive writes in UTC.
// - An entry that turns out empty is written with a known size of 0: with a
//   passphrase, libarchive would otherwise mark an empty entry encrypted
//   without writing its AES header, which no reader opens. The header of an
//   entry is therefore written when its first data (or its end) arrives.
// - Every status other than ARCHIVE_OK, warnings included, is an error.

#include <crm/archive/zip_reader.hpp>
#include <crm/archive/zip_writer.hpp>
#include <crm/base/error.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <string>
#include <unistd.h>

namespace crm::archive {
namespace {

constexpr std::size_t k_local_header_size = 30;
constexpr std::size_t k_dos_time_offset_in_local_header = 10;
constexpr std::size_t k_central_header_size = 46;
constexpr std::size_t k_dos_time_offset_in_central_header = 12;
// archive_write_data() takes at most INT_MAX bytes per call.
constexpr std::size_t k_max_chunk = std::size_t{1} << 30;

std::uint32_t dos_time_utc(UnixTime time)
{
  const std::time_t seconds = static_cast<std::time_t>(time);
  std::tm fields{};
  if (gmtime_r(&seconds, &fields) == nullptr || fields.tm_year < 80)
    return 0x00210000U;  // 1980-01-01 00:00:00, the earliest DOS time
  if (fields.tm_year > 207)
    return 0xff9fbf7dU;  // 2107-12-31 23:59:58, the latest
  const std::uint32_t date = static_cast<std::uint32_t>(((fields.tm_year - 80) << 9) |
                                                        ((fields.tm_mon + 1) << 5) | fields.tm_mday);
  const std::uint32_t clock = static_cast<std::uint32_t>((fields.tm_hour << 11) | (fields.tm_min << 5) |
                                                         (fields.tm_sec / 2));
  return (date << 16) | clock;
}

void put_le32(char* at, std::uint32_t value)
{
  for (int i = 0; i < 4; ++i)
    at[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

std::uint16_t get_le16(const char* at)
{
  return static_cast<std::uint16_t>(static_cast<unsigned char>(at[0]) |
                                    (static_cast<unsigned char>(at[1]) << 8));
}

}  // namespace

struct ZipWriter::State {
  ::archive* archive = nullptr;
  int fd = -1;
  std::string what;
  std::uint32_t dos_time = 0;
  UnixTime entry_time = 0;

  std::string entry_name;
  bool is_in_entry = false;
  bool is_header_written = false;
  bool is_closed = false;
  bool is_failed = false;
  std::size_t entries_written = 0;

  // Set just before archive_write_header(): the next write is the local header.
  bool is_local_header_next = false;
  // Set during archive_write_close(): output is collected in `trailer`.
  bool is_collecting_trailer = false;
  std::string trailer;
  int write_errno = 0;

  ~State()
  {
    if (archive != nullptr) {
      if (!is_closed)
        archive_write_fail(archive);  // never write a central directory for a failed archive
      archive_write_free(archive);
    }
  }

  bool write_all(const char* data, std::size_t length)
  {
    while (length > 0) {
      const ssize_t written = ::write(fd, data, length);
      if (written < 0) {
        if (errno == EINTR)
          continue;
        write_errno = errno;
        return false;
      }
      data += written;
      length -= static_cast<std::size_t>(written);
    }
    return true;
  }

  static la_ssize_t on_write(::archive* archive, void* client, const void* buffer, size_t length)
  {
    auto* state = static_cast<State*>(client);
    const char* data = static_cast<const char*>(buffer);
    if (state->is_collecting_trailer) {
      state->trailer.append(data, length);
      return static_cast<la_ssize_t>(length);
    }
    if (state->is_local_header_next && length == k_local_header_size && std::memcmp(data, "PK\003\004", 4) == 0) {
      state->is_local_header_next = false;
      char header[k_local_header_size];
      std::memcpy(header, data, length);
      put_le32(header + k_dos_time_offset_in_local_header, state->dos_time);
      if (!state->write_all(header, length)) {
        archive_set_error(archive, state->write_errno, "write failed");
        return -1;
      }
      return static_cast<la_ssize_t>(length);
    }
    if (!state->write_all(data, length)) {
      archive_set_error(archive, state->write_errno, "write failed");
      return -1;
    }
    return static_cast<la_ssize_t>(length);
  }

  [[noreturn]] void fail(std::string_view action)
  {
    is_failed = true;
    if (write_errno != 0)
      throw_errno(write_errno, "write archive", what);
    const char* detail = archive != nullptr ? archive_error_string(archive) : nullptr;
    throw Error(ErrorKind::internal,
                fmt::format("cannot write archive {}: {}: {}", what, action, detail ? detail : "unknown error"));
  }

  void check_usable() const
  {
    if (is_failed)
      throw Error(ErrorKind::internal, fmt::format("cannot write archive {}: an earlier write failed", what));
    if (is_closed)
      throw Error(ErrorKind::internal, fmt::format("cannot write archive {}: it is already closed", what));
  }

  void write_header(bool is_empty)
  {
    ::archive_entry* entry = archive_entry_new();
    if (entry == nullptr)
      throw Error(ErrorKind::internal, fmt::format("cannot write archive {}: out of memory", what));
    archive_entry_set_pathname(entry, entry_name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0600);
    archive_entry_set_uid(entry, 0);
    archive_entry_set_gid(entry, 0);
    archive_entry_set_mtime(entry, static_cast<time_t>(entry_time), 0);
    archive_entry_set_atime(entry, static_cast<time_t>(entry_time), 0);
    archive_entry_set_ctime(entry, static_cast<time_t>(entry_time), 0);
    archive_entry_set_birthtime(entry, static_cast<time_t>(entry_time), 0);
    if (is_empty)
      archive_entry_set_size(entry, 0);
    else
      archive_entry_unset_size(entry);
    is_local_header_next = true;
    const int status = archive_write_header(archive, entry);
    is_local_header_next = false;
    archive_entry_free(entry);
    if (status != ARCHIVE_OK)
      fail(fmt::format("header of {}", entry_name));
    is_header_written = true;
  }

  // Rewrites the DOS date/time of every central directory record in `trailer`
  // (see the top of this file).
  void patch_central_directory()
  {
    std::size_t position = 0;
    for (std::size_t record = 0; record < entries_written; ++record) {
      if (position + k_central_header_size > trailer.size() ||
          std::memcmp(trailer.data() + position, "PK\001\002", 4) != 0)
        throw Error(ErrorKind::internal,
                    fmt::format("cannot write archive {}: unexpected central directory layout", what));
      char* header = trailer.data() + position;
      put_le32(header + k_dos_time_offset_in_central_header, dos_time);
      position += k_central_header_size + get_le16(header + 28) + get_le16(header + 30) + get_le16(header + 32);
    }
  }
};

ZipWriter::ZipWriter(int fd, std::string what, const ZipWriterOptions& options) : m_state(std::make_unique<State>())
{
  State& state = *m_state;
  state.fd = fd;
  state.what = std::move(what);
  state.entry_time = options.entry_time;
  state.dos_time = dos_time_utc(options.entry_time);
  if (options.compression_level < 0 || options.compression_level > 9)
    throw Error(ErrorKind::usage, fmt::format("compression level {} is out of range", options.compression_level),
                "give a level from 0 (store) to 9 (smallest)");

  state.archive = archive_write_new();
  if (state.archive == nullptr)
    throw Error(ErrorKind::internal, fmt::format("cannot write archive {}: out of memory", state.what));
  if (archive_write_set_format_zip(state.archive) != ARCHIVE_OK)
    state.fail("zip format");
  const std::string level = std::to_string(options.compression_level);
  if (archive_write_set_format_option(state.archive, "zip", "compression-level", level.c_str()) != ARCHIVE_OK)
    state.fail("compression level");
  if (options.passphrase) {
    if (options.passphrase->empty())
      throw Error(ErrorKind::usage, "the passphrase is empty", "give a non-empty passphrase");
    if (archive_write_set_format_option(state.archive, "zip", "encryption", "aes256") != ARCHIVE_OK)
      state.fail("AES-256 encryption");
    if (archive_write_set_passphrase(state.archive, options.passphrase->c_str()) != ARCHIVE_OK)
      state.fail("passphrase");
  }
  if (archive_write_set_bytes_per_block(state.archive, 0) != ARCHIVE_OK)
    state.fail("block size");
  if (archive_write_open2(state.archive, &state, nullptr, &State::on_write, nullptr, nullptr) != ARCHIVE_OK)
    state.fail("open");
}

ZipWriter::~ZipWriter() = default;

void ZipWriter::begin_entry(std::string_view name)
{
  State& state = *m_state;
  state.check_usable();
  if (state.is_in_entry)
    throw Error(ErrorKind::internal, fmt::format("cannot write archive {}: entry {} was not ended", state.what,
                                                 state.entry_name));
  if (!is_plain_entry_name(name))
    throw Error(ErrorKind::internal,
                fmt::format("cannot write archive {}: \"{}\" is not a plain entry name", state.what, name));
  state.entry_name.assign(name);
  state.is_in_entry = true;
  state.is_header_written = false;
}

void ZipWriter::write(std::string_view data)
{
  State& state = *m_state;
  state.check_usable();
  if (!state.is_in_entry)
    throw Error(ErrorKind::internal, fmt::format("cannot write archive {}: no entry begun", state.what));
  if (data.empty())
    return;
  if (!state.is_header_written)
    state.write_header(false);
  while (!data.empty()) {
    const std::size_t chunk = std::min(data.size(), k_max_chunk);
    const la_ssize_t written = archive_write_data(state.archive, data.data(), chunk);
    if (written < 0 || static_cast<std::size_t>(written) != chunk)
      state.fail(fmt::format("data of {}", state.entry_name));
    data.remove_prefix(chunk);
  }
}

void ZipWriter::end_entry()
{
  State& state = *m_state;
  state.check_usable();
  if (!state.is_in_entry)
    throw Error(ErrorKind::internal, fmt::format("cannot write archive {}: no entry begun", state.what));
  if (!state.is_header_written)
    state.write_header(true);
  if (archive_write_finish_entry(state.archive) != ARCHIVE_OK)
    state.fail(fmt::format("end of {}", state.entry_name));
  state.is_in_entry = false;
  ++state.entries_written;
}

void ZipWriter::close()
{
  State& state = *m_state;
  state.check_usable();
  if (state.is_in_entry)
    end_entry();
  state.is_collecting_trailer = true;
  const int status = archive_write_close(state.archive);
  state.is_collecting_trailer = false;
  if (status != ARCHIVE_OK)
    state.fail("central directory");
  state.patch_central_directory();
  if (!state.write_all(state.trailer.data(), state.trailer.size()))
    state.fail("central directory");
  state.trailer.clear();
  state.is_closed = true;
}

}  // namespace crm::archive
