#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/secret_file.hpp>
#include <support/error_of.hpp>
#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

using crm::Error;
using crm::ErrorKind;
using crm::FileAccess;
using crm::test::error_of;

namespace {

constexpr std::size_t k_max = 64;

}  // namespace

TEST_CASE("read_secret_file reads the secret without one trailing line break", "[base]")
{
  const crm::test::TempDir dir;
  const auto file = dir / "passphrase";
  crm::write_file_atomically(file, "correct horse\r\n", 0600);
  CHECK(crm::read_secret_file(file, "passphrase", FileAccess::owner_only, k_max) == "correct horse");
  crm::write_file_atomically(file, "two lines\n\n", 0400);
  CHECK(crm::read_secret_file(file, "passphrase", FileAccess::owner_only, k_max) == "two lines\n");
}

TEST_CASE("read_secret_file refuses a file group or others can read or write when only its owner may", "[base]")
{
  const crm::test::TempDir dir;
  const auto file = dir / "passphrase";
  for (const mode_t mode : {0644, 0640, 0604, 0620, 0602}) {
    crm::write_file_atomically(file, "open secret\n", mode);
    const Error error = error_of([&] { crm::read_secret_file(file, "passphrase", FileAccess::owner_only, k_max); });
    CHECK(error.kind() == ErrorKind::no_permission);
    CHECK_THAT(error.what(), Catch::Contains(file.string()) && Catch::Contains("group or others"));
    CHECK_THAT(error.line(), !Catch::Contains("open secret"));
    CHECK(error.hint() == "chmod 600 " + file.string());
    const Error checked = error_of([&] { crm::require_secret_file(file, "passphrase", FileAccess::owner_only); });
    CHECK(checked.kind() == ErrorKind::no_permission);
    // A file chosen for one command may be readable by others.
    CHECK(crm::read_secret_file(file, "passphrase", FileAccess::any, k_max) == "open secret");
  }
}

TEST_CASE("read_secret_file tells a missing, empty, oversized or non-regular file apart", "[base]")
{
  const crm::test::TempDir dir;
  CHECK(error_of([&] { crm::read_secret_file(dir / "missing", "passphrase", FileAccess::any, k_max); }).kind() ==
        ErrorKind::not_found);
  CHECK(error_of([&] { crm::require_secret_file(dir / "missing", "passphrase", FileAccess::any); }).kind() ==
        ErrorKind::not_found);
  crm::write_file_atomically(dir / "empty", "\n");
  const Error empty = error_of([&] { crm::read_secret_file(dir / "empty", "passphrase", FileAccess::any, k_max); });
  CHECK(empty.kind() == ErrorKind::usage);
  CHECK_THAT(empty.what(), Catch::Contains("is empty"));
  crm::write_file_atomically(dir / "long", std::string(k_max + 1, 'x'));
  CHECK(error_of([&] { crm::read_secret_file(dir / "long", "passphrase", FileAccess::any, k_max); }).kind() ==
        ErrorKind::usage);
  crm::write_file_atomically(dir / "full", std::string(k_max, 'x'));
  CHECK(crm::read_secret_file(dir / "full", "passphrase", FileAccess::any, k_max).size() == k_max);
  std::filesystem::create_directory(dir / "directory");
  CHECK(error_of([&] { crm::require_secret_file(dir / "directory", "passphrase", FileAccess::any); }).kind() ==
        ErrorKind::usage);
}
