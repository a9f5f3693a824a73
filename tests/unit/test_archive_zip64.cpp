// Archives past the 32-bit limits of zip: an entry of more than 4 GiB, and
// entries and a central directory that start beyond 4 GiB. Slow (gigabytes
// through every reader), so hidden from the ordinary unit run: ctest runs it
// as `archive.zip64` with the label `slow` (tests/CMakeLists.txt), which
// scripts/test runs only with CRM_SLOW_TESTS=1: about 75 s of CPU, 4 GB of disk.

#include "support/temp_dir.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/archive/zip_writer.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using crm::archive::ZipReader;
using crm::archive::ZipWriter;
using crm::archive::ZipWriterOptions;

namespace {

constexpr std::uint64_t k_big_entry_bytes = (std::uint64_t{4} << 30) + 12'345'679;  // 4 GiB and a bit

// CSV-like rows, streamed: never more than one chunk in memory.
void write_synthetic_entry(ZipWriter& writer, std::uint64_t size)
{
  std::string chunk;
  std::uint64_t row = 0;
  std::uint64_t written = 0;
  while (written < size) {
    chunk.clear();
    while (chunk.size() < (1 << 20))
      chunk += std::to_string(++row) + ",someone@example.com,Lyon,lead,\"12, rue de la Paix\"\r\n";
    const std::uint64_t wanted = std::min<std::uint64_t>(chunk.size(), size - written);
    writer.write(std::string_view(chunk).substr(0, wanted));
    written += wanted;
  }
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

std::uint64_t read_entry_sizes(const std::filesystem::path& path, std::vector<std::string>& names)
{
  ZipReader reader(path, [](std::string_view) { return true; });
  std::vector<char> buffer(1 << 20);
  std::uint64_t total = 0;
  while (reader.next_entry()) {
    names.push_back(reader.entry_name());
    while (const std::size_t got = reader.read(buffer.data(), buffer.size()))
      total += got;
  }
  return total;
}

void check_every_tool(const std::filesystem::path& archive, const std::filesystem::path& scratch,
                      const std::string& python_check)
{
  const std::string path = archive.string();
  CHECK(run("7z t '" + path + "'") == 0);
  CHECK(run("unzip -t '" + path + "'") == 0);
  CHECK(run("bsdtar -tf '" + path + "'") == 0);
  std::ofstream(scratch / "check.py") << python_check;
  CHECK(run("python3 '" + (scratch / "check.py").string() + "' '" + path + "'") == 0);
}

}  // namespace

TEST_CASE("ZipWriter streams an entry of more than 4 GiB that every reader accepts", "[.][zip64]")
{
  crm::test::TempDir dir("zip64");
  const auto path = dir / "big.zip";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  {
    ZipWriterOptions options;
    options.entry_time = 1741399200;
    options.compression_level = 1;
    ZipWriter writer(fd, path.string(), options);
    writer.begin_entry("contacts.csv");
    write_synthetic_entry(writer, k_big_entry_bytes);
    writer.end_entry();
    writer.begin_entry("manifest.json");
    writer.write("{}\n");
    writer.end_entry();
    writer.close();
  }
  ::close(fd);

  check_every_tool(path, dir.path(),
                   "import sys, zipfile, zlib\n"
                   "z = zipfile.ZipFile(sys.argv[1])\n"
                   "i = z.getinfo('contacts.csv')\n"
                   "assert i.file_size == " +
                       std::to_string(k_big_entry_bytes) +
                       ", i.file_size\n"
                       "crc, size = 0, 0\n"
                       "with z.open(i) as entry:\n"  // zipfile checks the CRC at the end
                       "    while chunk := entry.read(1 << 24):\n"
                       "        size += len(chunk)\n"
                       "assert size == i.file_size\n"
                       "assert z.read('manifest.json') == b'{}\\n'\n");
  std::vector<std::string> names;
  CHECK(read_entry_sizes(path, names) == k_big_entry_bytes + 3);
  CHECK(names == std::vector<std::string>{"contacts.csv", "manifest.json"});
}

TEST_CASE("ZipWriter places entries and the central directory beyond 4 GiB with Zip64 records", "[.][zip64]")
{
  crm::test::TempDir dir("zip64");
  const auto path = dir / "stored.zip";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  {
    ZipWriterOptions options;
    options.entry_time = 1741399200;
    options.compression_level = 0;  // stored: 4 GiB of data on disk, so what follows starts past 4 GiB
    ZipWriter writer(fd, path.string(), options);
    writer.begin_entry("contacts.csv");
    write_synthetic_entry(writer, k_big_entry_bytes);
    writer.end_entry();
    writer.begin_entry("deals.csv");
    writer.write("hs_object_id\r\n1\r\n");
    writer.end_entry();
    writer.close();
  }
  ::close(fd);

  check_every_tool(path, dir.path(),
                   "import sys, zipfile\n"
                   "z = zipfile.ZipFile(sys.argv[1])\n"
                   "assert [i.filename for i in z.infolist()] == ['contacts.csv', 'deals.csv']\n"
                   "deals = z.getinfo('deals.csv')\n"
                   "assert deals.header_offset > 1 << 32, deals.header_offset\n"
                   "assert z.getinfo('contacts.csv').compress_size > 1 << 32\n"
                   "assert z.read('deals.csv') == b'hs_object_id\\r\\n1\\r\\n'\n");
  std::vector<std::string> names;
  CHECK(read_entry_sizes(path, names) == k_big_entry_bytes + 17);
  CHECK(names == std::vector<std::string>{"contacts.csv", "deals.csv"});
}
