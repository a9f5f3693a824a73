#include <crm/base/error.hpp>
#include <crm/offsite/destination.hpp>

#include <catch2/catch.hpp>

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
