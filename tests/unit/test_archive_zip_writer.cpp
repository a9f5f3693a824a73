#include "support/temp_dir.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/archive/zip_writer.hpp>
#include <crm/base/error.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using crm::Error;
using crm::ErrorKind;
using crm::archive::ZipReader;
using crm::archive::ZipWriter;
using crm::archive::ZipWriterOptions;

namespace {

constexpr crm::UnixTime k_snapshot_time = 1741399200;  // 2025-03-08T02:00:00Z

ZipWriterOptions options_at(crm::UnixTime time, int level = 6)
{
  ZipWriterOptions options;
  options.entry_time = time;
  options.compression_level = level;
  return options;
}

using Entries = std::vector<std::pair<std::string, std::string>>;

std::string all_byte_values()
{
  std::string bytes;
  for (int round = 0; round < 3; ++round)
    for (int value = 0; value < 256; ++value)
      bytes += static_cast<char>(value);
  return bytes;
}

// CSV-like text that deflate cannot shrink to nothing: a pseudo-random walk.
std::string large_text(std::size_t size)
{
  std::string text;
  text.reserve(size);
  std::uint32_t seed = 12345;
  while (text.size() < size) {
    seed = seed * 1103515245 + 12345;
    text += std::to_string(seed % 1000003);
    text += (seed & 0x100) ? ",\"x, y\"\r\n" : ",name@example.com,";
  }
  text.resize(size);
  return text;
}

// Writes `entries`, feeding each one in pieces of `piece` bytes. Returns
// what the writer reported as its output.
std::string write_zip(const std::filesystem::path& path, const Entries& entries, ZipWriterOptions options,
                      std::size_t piece = 1 << 20)
{
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  std::string reported;
  options.on_output = [&](std::string_view bytes) { reported += bytes; };
  {
    ZipWriter writer(fd, path.string(), options);
    for (const auto& [name, content] : entries) {
      writer.begin_entry(name);
      for (std::size_t offset = 0; offset < content.size(); offset += piece)
        writer.write(std::string_view(content).substr(offset, piece));
      writer.end_entry();
    }
    writer.close();
  }
  ::close(fd);
  return reported;
}

std::string read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

const crm::SecretString k_passphrase(std::string("correct horse battery"));

Entries read_zip(const std::filesystem::path& path, const std::optional<std::string>& passphrase = std::nullopt,
                 std::size_t buffer_size = 65536)
{
  std::optional<crm::SecretString> secret;
  if (passphrase)
    secret.emplace(std::string(*passphrase));
  ZipReader reader(
      path, [](std::string_view) { return true; }, secret);
  Entries entries;
  std::vector<char> buffer(buffer_size);
  while (reader.next_entry()) {
    std::string content;
    while (const std::size_t got = reader.read(buffer.data(), buffer.size()))
      content.append(buffer.data(), got);
    entries.emplace_back(reader.entry_name(), std::move(content));
  }
  return entries;
}

Entries sample_entries()
{
  return {{"contacts.csv", large_text(3'000'017)},
          {"empty.csv", ""},
          {"binary.bin", all_byte_values()},
          {"manifest.json", "{\"format_version\": 1}\n"}};
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

void check_extracted(const std::filesystem::path& directory, const Entries& entries)
{
  for (const auto& [name, content] : entries) {
    INFO(name);
    REQUIRE(std::filesystem::exists(directory / name));
    CHECK(read_file(directory / name) == content);
  }
}

}  // namespace

TEST_CASE("ZipWriter round trip keeps every entry, binary and empty ones included", "[archive]")
{
  crm::test::TempDir dir("zip-writer");
  const Entries entries = sample_entries();
  for (const std::size_t piece : {std::size_t{1} << 20, std::size_t{65537}, std::size_t{4093}}) {
    write_zip(dir / "backup.zip", entries, options_at(k_snapshot_time));
    for (const std::size_t buffer_size : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{1} << 20}) {
      INFO("piece " << piece << ", buffer " << buffer_size);
      if (buffer_size == 1 && piece != 4093)
        continue;  // one-byte reads of 3 MB once is enough
      CHECK(read_zip(dir / "backup.zip", std::nullopt, buffer_size) == entries);
    }
  }
}

TEST_CASE("ZipWriter output is byte-identical for identical input, whatever the time zone", "[archive]")
{
  crm::test::TempDir dir("zip-writer");
  const char* original = std::getenv("TZ");
  const std::string saved = original ? original : "";
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  write_zip(dir / "a.zip", sample_entries(), options_at(k_snapshot_time));
  ::setenv("TZ", "America/Los_Angeles", 1);
  ::tzset();
  write_zip(dir / "b.zip", sample_entries(), options_at(k_snapshot_time), 4093);
  if (original)
    ::setenv("TZ", saved.c_str(), 1);
  else
    ::unsetenv("TZ");
  ::tzset();
  write_zip(dir / "c.zip", sample_entries(), options_at(k_snapshot_time + 60));

  CHECK(read_file(dir / "a.zip") == read_file(dir / "b.zip"));
  CHECK(read_file(dir / "a.zip") != read_file(dir / "c.zip"));
}

TEST_CASE("ZipWriter output opens in Python's zipfile with identical content, mode 0600 and UTC times", "[archive]")
{
  crm::test::TempDir dir("zip-writer");
  const Entries entries = sample_entries();
  write_zip(dir / "backup.zip", entries, options_at(k_snapshot_time));

  REQUIRE(run("python3 -m zipfile -t '" + (dir / "backup.zip").string() + "'") == 0);
  REQUIRE(run("python3 -m zipfile -e '" + (dir / "backup.zip").string() + "' '" + (dir / "out").string() + "'") == 0);
  check_extracted(dir / "out", entries);

  const std::string check = "import sys, zipfile\n"
                            "z = zipfile.ZipFile(sys.argv[1])\n"
                            "names = [i.filename for i in z.infolist()]\n"
                            "assert names == ['contacts.csv', 'empty.csv', 'binary.bin', 'manifest.json'], names\n"
                            "for i in z.infolist():\n"
                            "    assert i.external_attr >> 16 == 0o100600, oct(i.external_attr >> 16)\n"
                            "    assert i.date_time == (2025, 3, 8, 2, 0, 0), i.date_time\n";
  std::ofstream(dir / "check.py") << check;
  CHECK(run("python3 '" + (dir / "check.py").string() + "' '" + (dir / "backup.zip").string() + "'") == 0);
}

TEST_CASE("ZipWriter with a passphrase writes AES-256 entries that 7-Zip and bsdtar extract", "[archive]")
{
  crm::test::TempDir dir("zip-writer");
  const Entries entries = sample_entries();
  ZipWriterOptions options = options_at(k_snapshot_time);
  options.passphrase = &k_passphrase;
  write_zip(dir / "secret.zip", entries, options);
  const std::string archive = (dir / "secret.zip").string();

  SECTION("7-Zip extracts identical content and says AES-256")
  {
    REQUIRE(run("7z x -y '-pcorrect horse battery' '-o" + (dir / "7z").string() + "' '" + archive + "'") == 0);
    check_extracted(dir / "7z", entries);
    CHECK(run("7z l -slt '-pcorrect horse battery' '" + archive + "' | grep -q 'Method = AES-256'") == 0);
    CHECK(run("7z t -y '-pwrong' '" + archive + "'") != 0);
  }
  SECTION("bsdtar extracts identical content")
  {
    std::filesystem::create_directories(dir / "bsdtar");
    REQUIRE(run("bsdtar -x --passphrase 'correct horse battery' -f '" + archive + "' -C '" + (dir / "bsdtar").string() +
                "'") == 0);
    check_extracted(dir / "bsdtar", entries);
  }
  SECTION("Python's zipfile cannot read it without decrypting")
  {
    CHECK(run("python3 -m zipfile -t '" + archive + "'") != 0);
  }
  SECTION("our reader reads it with the passphrase only")
  {
    CHECK(read_zip(dir / "secret.zip", "correct horse battery") == entries);
    try {
      read_zip(dir / "secret.zip");
      FAIL("read without a passphrase");
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::no_permission);
      CHECK(std::string(error.what()) == "archive " + archive + " is encrypted");
      CHECK(error.hint() == "give the passphrase with --passphrase-file or CRM_BACKUP_PASSPHRASE");
    }
    try {
      read_zip(dir / "secret.zip", "wrong horse");
      FAIL("read with a wrong passphrase");
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::no_permission);
      CHECK(std::string(error.what()) == "wrong passphrase for " + archive);
    }
  }
}

TEST_CASE("ZipWriter reports a full disk as Error(io) naming the archive", "[archive]")
{
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  try {
    ZipWriter writer(fd, "backup.zip", options_at(k_snapshot_time, 0));
    writer.begin_entry("contacts.csv");
    writer.write(large_text(1 << 20));
    writer.end_entry();
    writer.close();
    FAIL("writing to /dev/full succeeded");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::io);
    CHECK(std::string(error.what()) == "cannot write archive backup.zip: No space left on device");
  }
  ::close(fd);
}

TEST_CASE("ZipWriter refuses entry names a reader would refuse", "[archive]")
{
  const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  ZipWriter writer(fd, "null.zip", {});
  for (const char* name : {"../x.csv", "a/b.csv", "", ".hidden", "a\\b", "tab\t.csv"}) {
    INFO(name);
    CHECK_THROWS_AS(writer.begin_entry(name), Error);
  }
  writer.begin_entry("contacts.csv");
  writer.end_entry();
  writer.close();
  ::close(fd);
}

TEST_CASE("ZipWriter refuses a compression level outside 0..9", "[archive]")
{
  const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  CHECK_THROWS_AS(ZipWriter(fd, "null.zip", options_at(0, 10)), Error);
  CHECK_THROWS_AS(ZipWriter(fd, "null.zip", options_at(0, -1)), Error);
  ::close(fd);
}

TEST_CASE("ZipWriter at level 0 stores entries and Python reads them back", "[archive]")
{
  crm::test::TempDir dir("zip-writer");
  const Entries entries = sample_entries();
  write_zip(dir / "stored.zip", entries, options_at(k_snapshot_time, 0));
  CHECK(std::filesystem::file_size(dir / "stored.zip") > entries[0].second.size());
  CHECK(read_zip(dir / "stored.zip") == entries);
  REQUIRE(run("python3 -m zipfile -e '" + (dir / "stored.zip").string() + "' '" + (dir / "out").string() + "'") == 0);
  check_extracted(dir / "out", entries);
}

namespace {

// Entries whose sizes fall on and around the writer's block boundaries.
Entries block_boundary_entries()
{
  const std::size_t block = crm::archive::k_zip_block_bytes;
  return {{"one-block.csv", large_text(block)},
          {"two-blocks-and-a-byte.csv", large_text(2 * block + 1)},
          {"one-byte.csv", "x"},
          {"empty.csv", ""},
          {"contacts.csv", large_text(3'000'017)},
          {"manifest.json", "{\"format_version\": 1}\n"}};
}

// Python's reading of the records: method, flags, CRC and AES extra of every
// central directory entry, one line each.
std::string python_record_summary(const std::filesystem::path& archive, const std::filesystem::path& scratch)
{
  const std::string script =
      "import struct, sys, zipfile\n"
      "for i in zipfile.ZipFile(sys.argv[1]).infolist():\n"
      "    aes = ''\n"
      "    extra = i.extra\n"
      "    while len(extra) >= 4:\n"
      "        tag, size = struct.unpack('<HH', extra[:4])\n"
      "        if tag == 0x9901:\n"
      "            version, vendor, strength, method = struct.unpack('<H2sBH', extra[4:4 + size])\n"
      "            aes = f' AE-{version} {vendor.decode()} strength {strength} method {method}'\n"
      "        extra = extra[4 + size:]\n"
      "    print(f'{i.filename} method {i.compress_type} flags {i.flag_bits} crc {i.CRC}{aes}')\n";
  std::ofstream(scratch / "records.py") << script;
  const std::string command = "python3 '" + (scratch / "records.py").string() + "' '" + archive.string() + "' > '" +
                              (scratch / "records.txt").string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  return read_file(scratch / "records.txt");
}

}  // namespace

TEST_CASE("ZipWriter output is byte-identical whatever the number of threads and the write sizes", "[archive]")
{
  crm::test::TempDir dir("zip-writer");
  const Entries entries = block_boundary_entries();
  ZipWriterOptions options = options_at(k_snapshot_time);
  options.threads = 1;
  const std::string reported = write_zip(dir / "1.zip", entries, options);
  const std::string one_thread = read_file(dir / "1.zip");
  CHECK(reported == one_thread);  // on_output saw exactly the file's bytes
  for (const std::size_t threads : {2, 4}) {
    INFO(threads << " threads");
    options.threads = threads;
    write_zip(dir / "n.zip", entries, options, threads == 2 ? 4093 : 1 << 20);
    CHECK(read_file(dir / "n.zip") == one_thread);
  }
  CHECK(read_zip(dir / "1.zip") == entries);

  SECTION("encrypted archives too, given the same salts")
  {
    options.passphrase = &k_passphrase;
    options.random_bytes = [](std::size_t count) { return std::string(count, '\x5a'); };
    options.threads = 1;
    write_zip(dir / "e1.zip", entries, options);
    options.threads = 4;
    write_zip(dir / "e4.zip", entries, options, 65537);
    CHECK(read_file(dir / "e1.zip") == read_file(dir / "e4.zip"));
    CHECK(read_zip(dir / "e4.zip", "correct horse battery") == entries);
  }
}

TEST_CASE("ZipWriter archives of every shape pass Python's zipfile, 7z t, bsdtar -t and unzip -t", "[archive]")
{
  crm::test::TempDir dir("zip-writer");
  for (const int level : {1, 6, 9, 0}) {
    INFO("level " << level);
    const Entries entries = block_boundary_entries();
    write_zip(dir / "all.zip", entries, options_at(k_snapshot_time, level));
    const std::string archive = (dir / "all.zip").string();
    CHECK(run("python3 -m zipfile -t '" + archive + "'") == 0);
    CHECK(run("7z t '" + archive + "'") == 0);
    CHECK(run("bsdtar -tf '" + archive + "'") == 0);
    CHECK(run("unzip -t '" + archive + "'") == 0);
    std::filesystem::remove_all(dir / "out");
    REQUIRE(run("python3 -m zipfile -e '" + archive + "' '" + (dir / "out").string() + "'") == 0);
    check_extracted(dir / "out", entries);
    CHECK(read_zip(dir / "all.zip") == entries);
  }
  SECTION("one entry of one byte")
  {
    write_zip(dir / "one.zip", {{"contacts.csv", "1"}}, options_at(k_snapshot_time));
    const std::string archive = (dir / "one.zip").string();
    CHECK(run("7z t '" + archive + "'") == 0);
    CHECK(run("unzip -t '" + archive + "'") == 0);
    CHECK(run("bsdtar -tf '" + archive + "'") == 0);
    CHECK(read_zip(dir / "one.zip") == Entries{{"contacts.csv", "1"}});
  }
  SECTION("no entries at all")
  {
    write_zip(dir / "none.zip", {}, options_at(k_snapshot_time));
    CHECK(run("python3 -m zipfile -t '" + (dir / "none.zip").string() + "'") == 0);
    CHECK(std::filesystem::file_size(dir / "none.zip") == 22);  // the end record alone
  }
}

TEST_CASE("ZipWriter writes deflated entries with CRCs and encrypted ones as WinZip AE-2 without CRCs", "[archive]")
{
  crm::test::TempDir dir("zip-writer");
  const Entries entries = {{"contacts.csv", large_text(100'000)}, {"empty.csv", ""}};
  write_zip(dir / "plain.zip", entries, options_at(k_snapshot_time));
  const std::string plain = python_record_summary(dir / "plain.zip", dir.path());
  CHECK(plain.rfind("contacts.csv method 8 flags 8 crc ", 0) == 0);
  CHECK(plain.find("contacts.csv method 8 flags 8 crc 0\n") == std::string::npos);
  CHECK(plain.find("\nempty.csv method 0 flags 8 crc 0\n") != std::string::npos);
  ZipWriterOptions options = options_at(k_snapshot_time);
  options.passphrase = &k_passphrase;
  write_zip(dir / "secret.zip", entries, options);
  CHECK(python_record_summary(dir / "secret.zip", dir.path()) ==
        "contacts.csv method 99 flags 9 crc 0 AE-2 AE strength 3 method 8\n"
        "empty.csv method 99 flags 9 crc 0 AE-2 AE strength 3 method 0\n");
  const std::string archive = (dir / "secret.zip").string();
  CHECK(run("7z t '-pcorrect horse battery' '" + archive + "'") == 0);
  CHECK(run("7z t '-pwrong' '" + archive + "'") != 0);
  std::filesystem::create_directories(dir / "bsdtar");
  REQUIRE(run("bsdtar -x --passphrase 'correct horse battery' -f '" + archive + "' -C '" + (dir / "bsdtar").string() +
              "'") == 0);
  check_extracted(dir / "bsdtar", entries);
}
