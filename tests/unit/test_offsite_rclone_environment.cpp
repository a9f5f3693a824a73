#include <crm/offsite/rclone_environment.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

using crm::offsite::rclone_environment;

namespace {

bool has(const std::vector<std::string>& entries, std::string_view entry)
{
  return std::find(entries.begin(), entries.end(), entry) != entries.end();
}

bool has_name(const std::vector<std::string>& entries, std::string_view name)
{
  return std::any_of(entries.begin(), entries.end(),
                     [&](const std::string& entry) { return entry.substr(0, entry.find('=')) == name; });
}

}  // namespace

TEST_CASE("offsite rclone gets what it needs and none of our secrets", "[offsite]")
{
  const std::vector<std::string_view> ours{"PATH=/usr/bin:/bin",
                                           "HOME=/home/admin",
                                           "RCLONE_CONFIG=/etc/crm/rclone.conf",
                                           "RCLONE_CONFIG_S3_ACCESS_KEY_ID=AKIA",
                                           "AWS_SECRET_ACCESS_KEY=shh",
                                           "CRM_BACKUP_PASSPHRASE=secret",
                                           "CRM_HUBSPOT_TOKEN=pat-xyz",
                                           "CRM_OTP=123456",
                                           "LD_PRELOAD=/tmp/evil.so",
                                           "SOMETHING_ELSE=1"};
  const std::vector<std::string> entries = rclone_environment(ours);
  CHECK(has(entries, "PATH=/usr/bin:/bin"));
  CHECK(has(entries, "HOME=/home/admin"));
  CHECK(has(entries, "RCLONE_CONFIG=/etc/crm/rclone.conf"));
  CHECK(has(entries, "RCLONE_CONFIG_S3_ACCESS_KEY_ID=AKIA"));
  CHECK(has(entries, "AWS_SECRET_ACCESS_KEY=shh"));
  CHECK_FALSE(has_name(entries, "CRM_BACKUP_PASSPHRASE"));
  CHECK_FALSE(has_name(entries, "CRM_HUBSPOT_TOKEN"));
  CHECK_FALSE(has_name(entries, "CRM_OTP"));
  CHECK_FALSE(has_name(entries, "LD_PRELOAD"));
  CHECK_FALSE(has_name(entries, "SOMETHING_ELSE"));
}

TEST_CASE("offsite rclone gives up quickly on a remote that is down unless the user says otherwise", "[offsite]")
{
  const std::vector<std::string> defaults = rclone_environment(std::vector<std::string_view>{"PATH=/bin"});
  CHECK(has(defaults, "RCLONE_RETRIES=1"));
  CHECK(has(defaults, "RCLONE_LOW_LEVEL_RETRIES=2"));
  const std::vector<std::string> chosen =
      rclone_environment(std::vector<std::string_view>{"PATH=/bin", "RCLONE_RETRIES=5"});
  CHECK(has(chosen, "RCLONE_RETRIES=5"));
  CHECK_FALSE(has(chosen, "RCLONE_RETRIES=1"));
}
