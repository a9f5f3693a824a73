#include <crm/base/error.hpp>
#include <crm/offsite/destination.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

using namespace crm::offsite;

TEST_CASE("offsite remote names are short lowercase words", "[offsite]")
{
  CHECK_NOTHROW(check_remote_name("offsite"));
  CHECK_NOTHROW(check_remote_name("s3-eu_2"));
  for (const char* bad : {"", "-x", "_x", "Offsite", "a b", "a/b", "a:b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    INFO(bad);
    CHECK_THROWS_MATCHES(check_remote_name(bad), crm::Error, Catch::Predicate<crm::Error>([](const crm::Error& e) {
                           return e.kind() == crm::ErrorKind::usage;
                         }));
  }
}

TEST_CASE("offsite destinations that rclone would read as an option are refused", "[offsite]")
{
  CHECK_NOTHROW(check_destination("s3-backups:acme/crm"));
  CHECK_NOTHROW(check_destination("/mnt/usb/crm"));
  CHECK_THROWS_AS(check_destination(""), crm::Error);
  CHECK_THROWS_AS(check_destination("--config=/etc/passwd"), crm::Error);
  CHECK_THROWS_AS(check_destination("nas:crm\nx"), crm::Error);
}

TEST_CASE("offsite remote_path joins a destination and a file name as rclone expects", "[offsite]")
{
  CHECK(remote_path("s3:bucket/crm", "a.zip") == "s3:bucket/crm/a.zip");
  CHECK(remote_path("nas:", "a.zip") == "nas:a.zip");
  CHECK(remote_path("/mnt/usb/", "a.zip") == "/mnt/usb/a.zip");
  CHECK(remote_path("/mnt/usb", "a.zip") == "/mnt/usb/a.zip");
  CHECK(sidecar_name_for("20260125T020000Z-3f9a") == "20260125T020000Z-3f9a.json");
}

TEST_CASE("offsite anchored_destination makes a relative local directory absolute, nothing else", "[offsite]")
{
  const std::string here = std::filesystem::current_path().string();
  CHECK(anchored_destination("usb") == here + "/usb");
  CHECK(anchored_destination("./copies/../usb") == here + "/usb");
  CHECK(anchored_destination("./-dir") == here + "/-dir");
  CHECK(anchored_destination("/mnt/usb") == "/mnt/usb");
  CHECK(anchored_destination("s3-backups:acme/crm") == "s3-backups:acme/crm");
  CHECK(anchored_destination("nas:") == "nas:");
  // A ':' after a '/' is part of a local path, as rclone reads it.
  CHECK(anchored_destination("dir/a:b") == here + "/dir/a:b");
}
