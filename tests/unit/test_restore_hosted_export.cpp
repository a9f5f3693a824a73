#include "test_restore_fixture.hpp"

#include <crm/base/error.hpp>
#include <crm/restore/hosted_export.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

using crm::Error;
using crm::ErrorKind;
using crm::restore::HostedExport;
using crm::restore::HostedExportLimits;

namespace {

// A hosted export (no manifest) holding deals.csv with `rows` deals, written
// by Python's zipfile: an independent writer, as the CRM's would be.
std::filesystem::path write_export(const crm::test::TempDir& dir, int rows, int extra_columns = 0)
{
  const auto path = dir / "export.zip";
  std::string extra_header;
  std::string extra_values;
  for (int column = 0; column < extra_columns; ++column) {
    extra_header += fmt::format(",p{}", column);
    extra_values += ",x";
  }
  std::string csv = "Record ID,Deal Name,dealstage" + extra_header + "\n";
  for (int id = 1; id <= rows; ++id)
    csv += fmt::format("{},Deal number {},closedwon{}\n", id, id, extra_values);
  std::ofstream(dir / "deals.csv", std::ios::binary) << csv;
  const std::string command =
      fmt::format("python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],\"w\",zipfile.ZIP_DEFLATED); "
                  "z.write(sys.argv[2],\"deals.csv\"); z.close()' '{}' '{}'",
                  path.string(), (dir / "deals.csv").string());
  REQUIRE(std::system(command.c_str()) == 0);
  return path;
}

std::size_t files_in(const std::filesystem::path& directory)
{
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(directory))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("HostedExport refuses an export whose rows pass the spill cap, with Error(data)", "[restore]")
{
  crm::test::TempDir dir("hosted-export");
  crm::test::MemoryStore store;
  crm::test::fill_account(store);
  const auto path = write_export(dir, 100);
  auto live = store.read();

  HostedExportLimits limits;
  limits.max_spill_bytes = 1000;
  try {
    HostedExport hosted(path, std::nullopt, *live, "deals", limits);
    FAIL("accepted");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    CHECK_THAT(error.what(), Catch::Contains("deals.csv line") &&
                                 Catch::Contains("pass the limit of 1000 bytes for a hosted export"));
  }
  limits.max_spill_bytes = 100000;
  HostedExport hosted(path, std::nullopt, *live, "deals", limits);
  REQUIRE(hosted.find("deals") != nullptr);
  CHECK(hosted.find("deals")->record_count == 100);
}

TEST_CASE("HostedExport leaves no spill file in TMPDIR, even while it is open", "[restore]")
{
  crm::test::TempDir dir("hosted-export");
  crm::test::TempDir spill_dir("hosted-spill");
  crm::test::MemoryStore store;
  crm::test::fill_account(store);
  const auto path = write_export(dir, 50);
  auto live = store.read();

  const char* saved = std::getenv("TMPDIR");
  const std::string previous = saved != nullptr ? saved : "";
  ::setenv("TMPDIR", spill_dir.path().c_str(), 1);
  {
    HostedExport hosted(path, std::nullopt, *live, "deals");
    std::int64_t seen = 0;
    hosted.scan(*hosted.find("deals"), [&seen](crm::store::RecordId, std::span<const std::string>) { ++seen; });
    CHECK(seen == 50);
    CHECK(files_in(spill_dir.path()) == 0);
  }
  CHECK(files_in(spill_dir.path()) == 0);
  if (saved != nullptr)
    ::setenv("TMPDIR", previous.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
}

TEST_CASE("HostedExport refuses an export wider than its spill table can be, with Error(data)", "[restore]")
{
  crm::test::TempDir dir("hosted-export");
  crm::test::MemoryStore store;
  crm::test::fill_account(store);
  auto live = store.read();
  try {
    HostedExport hosted(write_export(dir, 3, 1998), std::nullopt, *live, "deals");
    FAIL("accepted");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    CHECK_THAT(error.what(), Catch::Contains("2000 property columns; a hosted export can have at most 1999"));
  }
  HostedExport hosted(write_export(dir, 3, 1997), std::nullopt, *live, "deals");
  CHECK(hosted.find("deals")->record_count == 3);
}
