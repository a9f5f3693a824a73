#include "support/temp_dir.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/archive/zip_writer.hpp>
#include <crm/base/error.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using crm::Error;
using crm::ErrorKind;
using crm::archive::is_plain_entry_name;
using crm::archive::ZipReader;
using crm::archive::ZipReaderLimits;
using crm::archive::ZipWriter;
using crm::archive::ZipWriterOptions;

namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

const std::filesystem::path k_generator = std::filesystem::path(CRM_TEST_DATA_DIR) / "make_hostile_zips.py";
constexpr std::uint64_t k_bomb_bytes = 64 << 20;
constexpr std::uint64_t k_small_cap = 1 << 20;

bool allow_all(std::string_view) { return true; }

// Reads every entry to its end; the bytes handed out before an error are
// added to `bytes_seen`.
Entries read_all(const std::filesystem::path& path, ZipReader::NameFilter filter = allow_all,
                 const std::optional<std::string>& passphrase = std::nullopt, ZipReaderLimits limits = {},
                 std::uint64_t* bytes_seen = nullptr)
{
  std::optional<crm::SecretString> secret;
  if (passphrase)
    secret.emplace(std::string(*passphrase));
  ZipReader reader(path, std::move(filter), secret, limits);
  Entries entries;
  std::vector<char> buffer(65536);
  while (reader.next_entry()) {
    std::string content;
    while (const std::size_t got = reader.read(buffer.data(), buffer.size())) {
      if (bytes_seen)
        *bytes_seen += got;
      content.append(buffer.data(), got);
    }
    entries.emplace_back(reader.entry_name(), std::move(content));
  }
  return entries;
}

ErrorKind kind_of_failure(const std::function<void()>& action)
{
  try {
    action();
  } catch (const Error& error) {
    return error.kind();
  }
  FAIL("no crm::Error thrown");
  return ErrorKind::internal;
}

std::string file_content(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_content(const std::filesystem::path& path, std::string_view content)
{
  // Replacing rather than truncating: ext4 flushes a truncated file on close.
  std::filesystem::remove(path);
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(content.data(), std::streamsize(content.size()));
}

void write_zip(const std::filesystem::path& path, const Entries& entries,
               std::optional<std::string> passphrase = std::nullopt)
{
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  ZipWriterOptions options;
  options.entry_time = 1741399200;
  std::optional<crm::SecretString> secret;
  if (passphrase)
    secret.emplace(std::move(*passphrase));
  options.passphrase = secret ? &*secret : nullptr;
  ZipWriter writer(fd, path.string(), options);
  for (const auto& [name, content] : entries) {
    writer.begin_entry(name);
    writer.write(content);
    writer.end_entry();
  }
  writer.close();
  ::close(fd);
}

Entries small_entries()
{
  std::string csv = "hs_object_id,email\r\n";
  for (int id = 1; id <= 60; ++id)
    csv += std::to_string(id) + ",person" + std::to_string(id * 7919 % 1000) + "@example.com\r\n";
  return {{"contacts.csv", csv}, {"manifest.json", "{\"format_version\": 1}\n"}};
}

// Generates the hostile archives once per test run.
const std::filesystem::path& hostile_dir()
{
  static crm::test::TempDir dir("hostile-zips");
  static const bool is_made = [] {
    const std::string command = "python3 '" + k_generator.string() + "' '" + dir.path().string() + "' --bomb-bytes " +
                                std::to_string(k_bomb_bytes);
    return std::system(command.c_str()) == 0;
  }();
  REQUIRE(is_made);
  return dir.path();
}

// How ZipReader refuses the hostile archive `name`: as damaged data, in one
// line (a test failure when it reads it).
Error refusal_of(const char* name)
{
  try {
    read_all(hostile_dir() / name);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    CHECK(error.line().find('\n') == std::string::npos);
    return error;
  }
  FAIL("accepted");
  throw;  // not reached: FAIL ends the test
}

}  // namespace

TEST_CASE("is_plain_entry_name accepts plain file names only", "[archive]")
{
  for (const char* name : {"contacts.csv", "manifest.json", "p_cars.csv", "Custom Object 2.csv", "a"})
    CHECK(is_plain_entry_name(name));
  for (const char* name : {"", "../x.csv", "..", "a..b", "/etc/x", "dir/x.csv", "dir\\x.csv", ".hidden", "x.csv.",
                           " x.csv", "x.csv ", "c:x.csv", "x?.csv", "tab\t.csv", "nul\x01.csv", "caf\xc3\xa9.csv"})
    CHECK_FALSE(is_plain_entry_name(name));
  CHECK(is_plain_entry_name(std::string(255, 'a')));
  CHECK_FALSE(is_plain_entry_name(std::string(256, 'a')));
  CHECK_FALSE(is_plain_entry_name(std::string_view("a\0b", 3)));
}

TEST_CASE("ZipReader reads an archive written by Python's zipfile", "[archive]")
{
  const Entries entries = read_all(hostile_dir() / "good.zip");
  REQUIRE(entries.size() == 2);
  CHECK(entries[0] == std::pair<std::string, std::string>(
                          "contacts.csv", "hs_object_id,email\r\n1,a@example.com\r\n2,\"b,c\"@example.com\r\n"));
  CHECK(entries[1] == std::pair<std::string, std::string>("manifest.json", "{\"format_version\": 1}\n"));
}

TEST_CASE("ZipReader refuses hostile archives with Error(data)", "[archive]")
{
  for (const char* name :
       {"traversal.zip", "absolute.zip", "nested.zip", "backslash.zip", "control.zip", "duplicate.zip", "symlink.zip",
        "directory.zip", "lying_size.zip", "bad_crc.zip", "inconsistent_crc.zip", "local_name.zip", "central_name.zip",
        "hidden_entry.zip", "garbage.zip", "empty.zip"}) {
    INFO(name);
    const Error error = refusal_of(name);
    CHECK_THAT(error.what(), Catch::Contains((hostile_dir() / name).string()));
    CHECK_FALSE(error.hint().empty());
  }
}

TEST_CASE("ZipReader reads an archive with Zip64 end records", "[archive]")
{
  CHECK(read_all(hostile_dir() / "zip64.zip") == read_all(hostile_dir() / "good.zip"));
}

TEST_CASE("ZipReader refuses an archive whose end records, directories or entries could be read two ways", "[archive]")
{
  // Each is good.zip with one defect (make_hostile_corpus.zip64_defects):
  // our directory parser, libarchive or another tool could list other entries.
  for (const char* name : {"zip64-other-directory.zip", "zip64-offset-field.zip", "zip64-count.zip",
                           "zip64-disk-count.zip", "zip64-locator-disks.zip", "zip64-extra-sizes.zip",
                           "second-directory.zip", "trailing-bytes.zip", "prepended-bytes.zip"}) {
    INFO(name);
    CHECK_THAT(refusal_of(name).what(), Catch::Contains((hostile_dir() / name).string() + " refused"));
  }
}

TEST_CASE("ZipReader refuses an entry name the caller does not allow", "[archive]")
{
  const auto only_contacts = [](std::string_view name) { return name == "contacts.csv"; };
  try {
    read_all(hostile_dir() / "good.zip", only_contacts);
    FAIL("accepted manifest.json");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    CHECK_THAT(error.what(), Catch::Contains("\"manifest.json\" is not an expected file name"));
  }
}

TEST_CASE("ZipReader stops a zip bomb at the entry cap", "[archive]")
{
  ZipReaderLimits limits;
  limits.max_entry_bytes = k_small_cap;
  try {
    read_all(hostile_dir() / "bomb.zip", allow_all, std::nullopt, limits);
    FAIL("accepted");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    CHECK_THAT(error.what(),
               Catch::Contains(fmt::format("declares {} bytes, more than the limit of {}", k_bomb_bytes, k_small_cap)));
  }
  // Counted while reading, too: the cap holds even for what an entry declares honestly.
  limits.max_entry_bytes = k_bomb_bytes;
  limits.max_total_bytes = k_small_cap;
  limits.max_compression_ratio = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t bytes_seen = 0;
  CHECK(kind_of_failure([&] { read_all(hostile_dir() / "bomb.zip", allow_all, std::nullopt, limits, &bytes_seen); }) ==
        ErrorKind::data);
  CHECK(bytes_seen <= k_small_cap);
  CHECK(bytes_seen > k_small_cap / 2);
}

TEST_CASE("ZipReader stops an entry that expands more than the ratio cap", "[archive]")
{
  // bomb.zip is zeros compressed about 1000 to 1; the default caps let its
  // size through, the ratio does not.
  ZipReaderLimits limits;
  limits.max_compression_ratio = 100;
  try {
    read_all(hostile_dir() / "bomb.zip", allow_all, std::nullopt, limits);
    FAIL("accepted");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    CHECK_THAT(error.what(), Catch::Contains("\"contacts.csv\" expands more than 100 times its compressed size"));
  }
  // An entry our own writer makes is held to it as well.
  crm::test::TempDir dir("zip-reader");
  write_zip(dir / "zeros.zip", {{"zeros.csv", std::string(4 << 20, '\0')}});
  std::uint64_t bytes_seen = 0;
  CHECK(kind_of_failure([&] { read_all(dir / "zeros.zip", allow_all, std::nullopt, limits, &bytes_seen); }) ==
        ErrorKind::data);
  CHECK(bytes_seen <= (4 << 20));
  limits.max_compression_ratio = 2000;
  CHECK(read_all(dir / "zeros.zip", allow_all, std::nullopt, limits).size() == 1);
}

TEST_CASE("ZipReader refuses ZipCrypto, fake encryption flags and mixed encryption with Error(data)", "[archive]")
{
  for (const char* name : {"fake_encrypted.zip", "mixed_encryption.zip", "local_encrypted.zip"}) {
    for (const std::optional<std::string>& passphrase :
         {std::optional<std::string>(), std::optional<std::string>("x")}) {
      INFO(name << (passphrase ? " with a passphrase" : ""));
      try {
        read_all(hostile_dir() / name, allow_all, passphrase);
        FAIL("accepted");
      } catch (const Error& error) {
        CHECK(error.kind() == ErrorKind::data);
        CHECK_THAT(error.what(), Catch::Contains((hostile_dir() / name).string()));
      }
    }
  }
}

TEST_CASE("ZipReader reads stored and deflate entries only", "[archive]")
{
  try {
    read_all(hostile_dir() / "bzip2.zip");
    FAIL("accepted");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    CHECK_THAT(error.what(), Catch::Contains("compression method 12"));
  }
}

TEST_CASE("require_aes_encrypted accepts only an archive whose every entry is AES", "[archive]")
{
  crm::test::TempDir dir("zip-reader");
  write_zip(dir / "aes.zip", small_entries(), "secret");
  write_zip(dir / "plain.zip", small_entries());
  CHECK_NOTHROW(crm::archive::require_aes_encrypted(dir / "aes.zip"));
  for (const auto& path :
       {dir / "plain.zip", hostile_dir() / "mixed_encryption.zip", hostile_dir() / "fake_encrypted.zip"}) {
    INFO(path);
    CHECK(kind_of_failure([&] { crm::archive::require_aes_encrypted(path); }) == ErrorKind::data);
  }
}

TEST_CASE("ZipReader stops an entry that holds more than it declares", "[archive]")
{
  try {
    read_all(hostile_dir() / "lying_size.zip");
    FAIL("accepted");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    CHECK_THAT(error.what(), Catch::Contains("\"contacts.csv\" holds more than the 1000 bytes it declares"));
  }
}

TEST_CASE("ZipReader counts uncompressed bytes against the total cap", "[archive]")
{
  crm::test::TempDir dir("zip-reader");
  write_zip(dir / "two.zip", {{"a.csv", std::string(6000, 'a')}, {"b.csv", std::string(6000, 'b')}});
  ZipReaderLimits limits;
  limits.max_total_bytes = 10000;
  CHECK(kind_of_failure([&] { read_all(dir / "two.zip", allow_all, std::nullopt, limits); }) == ErrorKind::data);
  limits.max_total_bytes = 12000;
  CHECK(read_all(dir / "two.zip", allow_all, std::nullopt, limits).size() == 2);
}

TEST_CASE("ZipReader refuses more entries than its cap", "[archive]")
{
  ZipReaderLimits limits;
  limits.max_entries = 10;
  CHECK(kind_of_failure([&] { read_all(hostile_dir() / "many.zip", allow_all, std::nullopt, limits); }) ==
        ErrorKind::data);
  limits.max_entries = 50;
  CHECK(read_all(hostile_dir() / "many.zip", allow_all, std::nullopt, limits).size() == 50);
}

TEST_CASE("ZipReader says not_found for a missing archive", "[archive]")
{
  crm::test::TempDir dir("zip-reader");
  CHECK(kind_of_failure([&] { read_all(dir / "missing.zip"); }) == ErrorKind::not_found);
  CHECK(kind_of_failure([&] { read_all(dir.path()); }) == ErrorKind::data);
}

TEST_CASE("ZipReader refuses every truncation of an archive", "[archive]")
{
  crm::test::TempDir dir("zip-reader");
  write_zip(dir / "whole.zip", small_entries());
  const std::string whole = file_content(dir / "whole.zip");
  REQUIRE(read_all(dir / "whole.zip") == small_entries());
  for (std::size_t size = 0; size < whole.size(); ++size) {
    INFO("cut at " << size << " of " << whole.size());
    write_content(dir / "cut.zip", std::string_view(whole).substr(0, size));
    CHECK(kind_of_failure([&] { read_all(dir / "cut.zip"); }) == ErrorKind::data);
  }
}

TEST_CASE("ZipReader either refuses a corrupted byte or reads the original content", "[archive]")
{
  crm::test::TempDir dir("zip-reader");
  const Entries entries = small_entries();
  const auto expected_name = [](std::string_view name) { return name == "contacts.csv" || name == "manifest.json"; };
  for (const bool is_encrypted : {false, true}) {
    const std::optional<std::string> passphrase = is_encrypted ? std::optional<std::string>("secret") : std::nullopt;
    write_zip(dir / "whole.zip", entries, passphrase);
    const std::string whole = file_content(dir / "whole.zip");
    int refused = 0;
    for (std::size_t offset = 0; offset < whole.size(); ++offset) {
      INFO("encrypted " << is_encrypted << ", byte " << offset << " of " << whole.size());
      std::string corrupt = whole;
      corrupt[offset] = static_cast<char>(corrupt[offset] ^ 0x5a);
      write_content(dir / "corrupt.zip", corrupt);
      try {
        const Entries got = read_all(dir / "corrupt.zip", expected_name, passphrase);
        CHECK(got == entries);
      } catch (const Error& error) {
        CHECK((error.kind() == ErrorKind::data || error.kind() == ErrorKind::no_permission));
        ++refused;
      }
    }
    CHECK(refused > int(whole.size()) / 2);
  }
}
