// ZipReader over libarchive's seekable zip reader (libarchive 3.6.2).
//
// The seekable reader starts from the central directory: it decides which
// entries exist, their sizes, CRCs and file types, and visits them in the
// order of their local headers. It reads each entry's name from the local
// header; where local header and central directory disagree on CRC or sizes
// it warns, and we refuse every warning. It never compares names, flags or
// methods, and it reads whichever directory its end records point to. So we
// read the central directory ourselves first (central_directory.hpp), in a
// way that leaves libarchive no other directory to read: one set of end
// records naming one directory that ends where they begin, bounded in size,
// entries that tile the file, local headers that agree on name, flags and
// method. Then, entry by entry, libarchive must visit exactly our entries in
// local header order with our sizes. Everything below is checked on top:
// names (allow-list, plain names, checked in the directory before libarchive
// loads it), file types, encryption all or nothing and AES only, stored or
// deflate only, and uncompressed bytes counted while reading against the
// declared size, per-entry and total caps and a compression-ratio cap, so a
// zip bomb stops at the cap.
//
// An entry the caller skips (next_entry() before its end) is not checked
// further: its CRC and size are verified only by reading it to the end.

#include "crm/archive/zip_reader.hpp"

#include <crm/archive/central_directory.hpp>
#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace crm::archive {
namespace {

// What a failed read of an entry's data means, in our words (issue 16):
// libarchive's messages name its internals ("ZIP uncompressed data is wrong
// size"); a user needs to hear what is wrong with the backup.
std::string damage_in_our_words(const std::string& libarchive_text)
{
  struct Known {
    std::string_view says;
    std::string_view meaning;
  };
  static constexpr Known k_known[] = {
      {"wrong size", "is damaged: its size does not match the size the archive records"},
      {"CRC", "is damaged: its checksum (CRC-32) does not match the one the archive records"},
      {"Truncated", "is cut short: the archive is truncated"},
      {"Invalid ZIP compressed data", "is damaged: its compressed data is corrupt"},
      {"decompression failed", "is damaged: its compressed data is corrupt"},
  };
  for (const Known& known : k_known)
    if (libarchive_text.find(known.says) != std::string::npos)
      return std::string(known.meaning);
  return "is damaged: its data cannot be read";
}

constexpr std::size_t k_read_block_size = 1 << 20;
constexpr std::size_t k_max_name_bytes = 255;
constexpr const char* k_damaged_hint = "the archive is damaged or was tampered with; use another copy of the backup";

// A libarchive message as part of our one stderr line: no line breaks.
std::string one_line(std::string_view text)
{
  std::string line;
  for (const char c : text)
    line += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  while (!line.empty() && line.back() == ' ')
    line.pop_back();
  return line;
}

}  // namespace

bool is_plain_entry_name(std::string_view name)
{
  if (name.empty() || name.size() > k_max_name_bytes)
    return false;
  if (name.front() == '.' || name.front() == ' ' || name.back() == '.' || name.back() == ' ')
    return false;
  if (name.find("..") != std::string_view::npos)
    return false;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f)
      return false;
    if (std::strchr("/\\:*?\"<>|", c) != nullptr)
      return false;
  }
  return true;
}

struct ZipReader::State {
  ::archive* archive = nullptr;
  int fd = -1;
  std::string what;
  NameFilter is_allowed_name;
  bool has_passphrase = false;
  ZipReaderLimits limits;

  // The central directory's entries in local header order: the order
  // libarchive's seekable reader visits them in.
  std::vector<CentralDirectoryEntry> expected;
  std::size_t entry_count = 0;
  std::string entry_name;
  bool is_entry_open = false;
  bool is_entry_encrypted = false;
  bool is_entry_done = false;
  bool is_at_end = false;
  std::optional<std::uint64_t> declared_size;
  std::uint64_t compressed_size = 0;  // of the current entry, from the central directory
  std::uint64_t entry_bytes = 0;
  std::uint64_t total_bytes = 0;

  // A bomb by ratio stops at the first read past the cap.
  void check_ratio(std::uint64_t uncompressed) const
  {
    if (uncompressed > k_ratio_floor_bytes &&
        uncompressed / std::max<std::uint64_t>(compressed_size, 1) > limits.max_compression_ratio)
      refuse_entry(fmt::format("expands more than {} times its compressed size of {} bytes",
                               limits.max_compression_ratio, compressed_size));
  }

  ~State()
  {
    if (archive != nullptr)
      archive_read_free(archive);
    if (fd >= 0)
      ::close(fd);
  }

  std::string detail() const
  {
    const char* text = archive_error_string(archive);
    return text != nullptr ? one_line(text) : "unknown error";
  }

  [[noreturn]] void refuse(const std::string& problem) const
  {
    throw Error(ErrorKind::data, fmt::format("archive {} refused: {}", what, problem), k_damaged_hint);
  }

  [[noreturn]] void refuse_entry(const std::string& problem) const
  {
    refuse(fmt::format("entry \"{}\" {}", printable(entry_name), problem));
  }
};

ZipReader::ZipReader(const std::filesystem::path& path, NameFilter is_allowed_name,
                     const std::optional<SecretString>& passphrase, ZipReaderLimits limits)
    : m_state(std::make_unique<State>())
{
  State& state = *m_state;
  state.what = path.string();
  state.is_allowed_name = std::move(is_allowed_name);
  state.limits = limits;

  state.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (state.fd < 0)
    throw_errno(errno, "open archive", state.what);
  struct stat status {};
  if (::fstat(state.fd, &status) != 0)
    throw_errno(errno, "read archive", state.what);
  if (!S_ISREG(status.st_mode))
    throw Error(ErrorKind::data, fmt::format("archive {} is not a regular file", state.what),
                "give the path of a backup archive");
  if (status.st_size == 0)
    throw Error(ErrorKind::data, fmt::format("archive {} is empty", state.what), k_damaged_hint);

  // Encryption is all or nothing, and only WinZip AES: a mixed archive, or
  // ZipCrypto, is someone else's archive passed off as ours (an attacker who
  // can write the repository but not decrypt could otherwise swap in their
  // own plaintext entries beside encrypted ones). An empty entry carries no
  // data and ZipWriter never encrypts one, so it does not count.
  std::size_t encrypted_entries = 0;
  std::size_t data_entries = 0;
  CentralDirectoryLimits directory_limits;
  directory_limits.max_entries = limits.max_entries;
  directory_limits.max_name_bytes = k_max_name_bytes;
  auto entries = read_central_directory(state.fd, state.what, directory_limits);
  std::set<std::string, std::less<>> names;
  for (const auto& entry : entries) {
    // Checked before libarchive sees the directory (it treats some names,
    // such as "__MACOSX/...", as parts of other entries).
    if (!is_plain_entry_name(entry.name) || !state.is_allowed_name(entry.name))
      state.refuse(fmt::format("entry \"{}\" is not an expected file name", printable(entry.name)));
    if (!names.insert(entry.name).second)
      state.refuse("an entry name appears twice in its central directory");
    if (entry.is_encrypted() && !entry.is_aes())
      state.refuse(fmt::format("entry \"{}\" uses ZipCrypto or an unknown encryption; crm-backup writes AES only",
                               printable(entry.name)));
    // Other methods (bzip2, LZMA, ...) reach ratios of millions to one.
    if (entry.compression_method() != 0 && entry.compression_method() != 8)
      state.refuse(fmt::format("entry \"{}\" uses compression method {}; only stored and deflate are read",
                               printable(entry.name), entry.compression_method()));
    encrypted_entries += entry.is_encrypted() ? 1 : 0;
    data_entries += entry.is_encrypted() || entry.size != 0 ? 1 : 0;
  }
  if (encrypted_entries != 0 && encrypted_entries != data_entries)
    state.refuse("it mixes encrypted and unencrypted entries");
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.local_header_offset < b.local_header_offset; });
  state.expected = std::move(entries);

  state.archive = archive_read_new();
  if (state.archive == nullptr)
    throw Error(ErrorKind::internal, fmt::format("cannot read archive {}: out of memory", state.what));
  if (archive_read_support_format_zip_seekable(state.archive) != ARCHIVE_OK)
    throw Error(ErrorKind::internal, fmt::format("cannot read archive {}: {}", state.what, state.detail()));
  if (passphrase) {
    state.has_passphrase = true;
    if (archive_read_add_passphrase(state.archive, passphrase->c_str()) != ARCHIVE_OK)
      throw Error(ErrorKind::usage, fmt::format("cannot use the passphrase for {}: {}", state.what, state.detail()),
                  "give a non-empty passphrase");
  }
  if (archive_read_open_fd(state.archive, state.fd, k_read_block_size) != ARCHIVE_OK)
    throw Error(ErrorKind::data, fmt::format("archive {} is not a readable zip archive", state.what), k_damaged_hint);
}

ZipReader::~ZipReader() = default;

bool ZipReader::next_entry()
{
  State& state = *m_state;
  if (state.is_at_end)
    return false;
  state.is_entry_open = false;
  state.entry_name.clear();

  ::archive_entry* entry = nullptr;
  const int status = archive_read_next_header(state.archive, &entry);
  if (status == ARCHIVE_EOF) {
    if (state.entry_count != state.expected.size())
      state.refuse("its central directory lists entries that cannot be read");
    state.is_at_end = true;
    return false;
  }
  if (status != ARCHIVE_OK) {
    const std::string detail = state.detail();
    if (state.entry_count == 0 && detail.find("Unrecognized archive format") != std::string::npos)
      throw Error(ErrorKind::data, fmt::format("archive {} is not a zip archive, or it is truncated", state.what),
                  k_damaged_hint);
    if (entry != nullptr && archive_entry_pathname(entry) != nullptr)
      state.entry_name = archive_entry_pathname(entry);
    if (!state.entry_name.empty())
      state.refuse_entry(damage_in_our_words(detail));
    state.refuse("an entry's header is damaged");
  }

  if (++state.entry_count > state.expected.size())
    state.refuse("libarchive reads more entries than its central directory lists");
  const CentralDirectoryEntry& expected = state.expected[state.entry_count - 1];
  const char* name = archive_entry_pathname(entry);
  if (name == nullptr)
    state.refuse("an entry has no readable name");
  state.entry_name = name;
  if (!is_plain_entry_name(state.entry_name) || !state.is_allowed_name(state.entry_name))
    state.refuse_entry("is not an expected file name");
  if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_hardlink(entry) != nullptr ||
      archive_entry_symlink(entry) != nullptr)
    state.refuse_entry("is not a regular file");
  // libarchive and our own parser must see the same entry here, in the same
  // place, of the same size (central_directory.hpp makes them read the same
  // directory; this checks that they did).
  if (state.entry_name != expected.name)
    state.refuse_entry(
        fmt::format("is read by libarchive where the central directory lists \"{}\"", printable(expected.name)));
  if (archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0 &&
      static_cast<std::uint64_t>(archive_entry_size(entry)) != expected.size)
    state.refuse_entry(fmt::format("has {} bytes for libarchive but {} in the central directory",
                                   archive_entry_size(entry), expected.size));
  state.compressed_size = expected.compressed_size;

  state.is_entry_encrypted = archive_entry_is_data_encrypted(entry) != 0;
  if (state.is_entry_encrypted && !state.has_passphrase)
    throw Error(ErrorKind::no_permission, fmt::format("archive {} is encrypted", state.what),
                "give the passphrase with --passphrase-file or CRM_BACKUP_PASSPHRASE");

  state.declared_size.reset();
  if (archive_entry_size_is_set(entry)) {
    const auto size = archive_entry_size(entry);
    if (size < 0)
      state.refuse_entry("declares a negative size");
    state.declared_size = static_cast<std::uint64_t>(size);
    if (*state.declared_size > state.limits.max_entry_bytes)
      state.refuse_entry(fmt::format("declares {} bytes, more than the limit of {}", *state.declared_size,
                                     state.limits.max_entry_bytes));
    state.check_ratio(*state.declared_size);
  }
  state.entry_bytes = 0;
  state.is_entry_done = false;
  state.is_entry_open = true;
  return true;
}

const std::string& ZipReader::entry_name() const { return m_state->entry_name; }

bool ZipReader::is_entry_encrypted() const { return m_state->is_entry_encrypted; }

std::size_t ZipReader::read(char* buffer, std::size_t capacity)
{
  State& state = *m_state;
  if (!state.is_entry_open)
    throw Error(ErrorKind::internal, fmt::format("cannot read archive {}: no current entry", state.what));
  if (state.is_entry_done || capacity == 0)
    return 0;

  // Never ask for more than one byte beyond what the entry declares or what
  // the caps allow, so a lying entry is caught before it fills the buffer.
  std::uint64_t wanted = capacity;
  if (state.declared_size)
    wanted = std::min(wanted, *state.declared_size - std::min(*state.declared_size, state.entry_bytes) + 1);
  wanted =
      std::min(wanted, state.limits.max_entry_bytes - std::min(state.limits.max_entry_bytes, state.entry_bytes) + 1);
  wanted =
      std::min(wanted, state.limits.max_total_bytes - std::min(state.limits.max_total_bytes, state.total_bytes) + 1);
  const la_ssize_t got = archive_read_data(state.archive, buffer, static_cast<std::size_t>(wanted));
  if (got < 0) {
    const std::string detail = state.detail();
    if (state.is_entry_encrypted && detail.find("Incorrect passphrase") != std::string::npos)
      throw Error(ErrorKind::no_permission, fmt::format("wrong passphrase for {}", state.what),
                  "give the passphrase the backup was made with");
    if (state.is_entry_encrypted && detail.find("Passphrase required") != std::string::npos)
      throw Error(ErrorKind::no_permission, fmt::format("archive {} is encrypted", state.what),
                  "give the passphrase with --passphrase-file or CRM_BACKUP_PASSPHRASE");
    state.refuse_entry(damage_in_our_words(detail));
  }

  const auto count = static_cast<std::uint64_t>(got);
  state.entry_bytes += count;
  state.total_bytes += count;
  if (state.entry_bytes > state.limits.max_entry_bytes)
    state.refuse_entry(fmt::format("holds more than the limit of {} bytes", state.limits.max_entry_bytes));
  if (state.total_bytes > state.limits.max_total_bytes)
    state.refuse(fmt::format("entries hold more than the limit of {} bytes in total", state.limits.max_total_bytes));
  state.check_ratio(state.entry_bytes);
  if (state.declared_size && state.entry_bytes > *state.declared_size)
    state.refuse_entry(fmt::format("holds more than the {} bytes it declares", *state.declared_size));
  if (count == 0) {
    state.is_entry_done = true;
    if (state.declared_size && state.entry_bytes != *state.declared_size)
      state.refuse_entry(fmt::format("holds {} bytes but declares {}", state.entry_bytes, *state.declared_size));
  }
  return static_cast<std::size_t>(count);
}

void require_aes_encrypted(const std::filesystem::path& path)
{
  const std::string what = path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw_errno(errno, "open archive", what);
  std::vector<CentralDirectoryEntry> entries;
  try {
    CentralDirectoryLimits limits;
    limits.max_entries = ZipReaderLimits{}.max_entries;
    entries = read_central_directory(fd, what, limits);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  std::size_t encrypted_entries = 0;
  for (const auto& entry : entries) {
    encrypted_entries += entry.is_aes() ? 1 : 0;
    if (!entry.is_aes() && (entry.is_encrypted() || entry.size != 0))
      throw Error(ErrorKind::data,
                  fmt::format("archive {} refused: it was made encrypted but entry \"{}\" is not AES-encrypted", what,
                              printable(entry.name)),
                  k_damaged_hint);
  }
  if (encrypted_entries == 0)
    throw Error(ErrorKind::data,
                fmt::format("archive {} refused: it was made encrypted but holds no encrypted entry", what),
                k_damaged_hint);
}

}  // namespace crm::archive
