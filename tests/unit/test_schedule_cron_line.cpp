#include <crm/base/error.hpp>
#include <crm/schedule/cron_line.hpp>
#include <crm/schedule/invocation.hpp>

#include <catch2/catch.hpp>

using crm::schedule::Invocation;

static Invocation sample()
{
  Invocation invocation;
  invocation.program = "/usr/bin/crm-schedule";
  invocation.store = "/srv/crm/store.sqlite";
  invocation.repository = "/srv/backups";
  return invocation;
}

TEST_CASE("schedule::cron_line calls run every ten minutes with absolute paths, output to syslog", "[schedule]")
{
  CHECK(crm::schedule::cron_line(sample()) ==
        "*/10 * * * * CRM_STORE='/srv/crm/store.sqlite' CRM_BACKUP_REPO='/srv/backups' "
        "'/usr/bin/crm-schedule' run 2>&1 | /usr/bin/logger -t crm-schedule");
}

TEST_CASE("schedule::cron_line with a user is the /etc/cron.d form, which names it after the time fields", "[schedule]")
{
  CHECK(crm::schedule::cron_line(sample(), "crm") ==
        "*/10 * * * * crm CRM_STORE='/srv/crm/store.sqlite' CRM_BACKUP_REPO='/srv/backups' "
        "'/usr/bin/crm-schedule' run 2>&1 | /usr/bin/logger -t crm-schedule");
  for (const char* user : {"root crm", "Crm", "-crm", "crm\n", "a$(id)", "averyveryveryveryverylongusername33"}) {
    INFO(user);
    try {
      crm::schedule::cron_line(sample(), user);
      FAIL("accepted");
    } catch (const crm::Error& error) {
      CHECK(error.kind() == crm::ErrorKind::usage);
    }
  }
}

TEST_CASE("schedule::cron_line appends to a log file when one is given", "[schedule]")
{
  Invocation invocation = sample();
  invocation.log_file = "/var/log/crm-schedule.log";
  invocation.every_minutes = 5;
  CHECK(crm::schedule::cron_line(invocation) ==
        "*/5 * * * * CRM_STORE='/srv/crm/store.sqlite' CRM_BACKUP_REPO='/srv/backups' "
        "'/usr/bin/crm-schedule' run >>'/var/log/crm-schedule.log' 2>&1");
}

TEST_CASE("schedule::cron_line escapes the percent sign and quotes", "[schedule]")
{
  Invocation invocation = sample();
  invocation.repository = "/srv/it's 100%";
  invocation.every_minutes = 60;
  CHECK(crm::schedule::cron_line(invocation) ==
        "0 * * * * CRM_STORE='/srv/crm/store.sqlite' CRM_BACKUP_REPO='/srv/it'\\''s 100\\%' "
        "'/usr/bin/crm-schedule' run 2>&1 | /usr/bin/logger -t crm-schedule");
}

TEST_CASE("schedule::make_absolute resolves relative paths and checks the interval", "[schedule]")
{
  Invocation invocation = sample();
  invocation.store = "store.sqlite";
  const Invocation absolute = crm::schedule::make_absolute(invocation);
  CHECK(absolute.store.is_absolute());
  CHECK(absolute.store.filename() == "store.sqlite");
  invocation.every_minutes = 0;
  CHECK_THROWS_AS(crm::schedule::make_absolute(invocation), crm::Error);
  invocation.every_minutes = 61;
  CHECK_THROWS_AS(crm::schedule::make_absolute(invocation), crm::Error);
  invocation.every_minutes = 10;
  invocation.unit_name = "../evil";
  CHECK_THROWS_AS(crm::schedule::make_absolute(invocation), crm::Error);
}

TEST_CASE("schedule::cron_line refuses a path with a line break or another control character (64)", "[schedule]")
{
  for (const char* path : {"/srv/backups\n* * * * * root /bin/sh -c evil", "/srv/back\rups", "/srv/\x01"}) {
    INFO(path);
    Invocation invocation = sample();
    invocation.repository = path;
    try {
      crm::schedule::cron_line(invocation);
      FAIL("accepted");
    } catch (const crm::Error& error) {
      CHECK(error.kind() == crm::ErrorKind::usage);
      CHECK(error.line().find('\n') == std::string::npos);
      CHECK(error.line().find('\r') == std::string::npos);
    }
  }
  Invocation invocation = sample();
  invocation.log_file = "/var/log/a\nb.log";
  CHECK_THROWS_AS(crm::schedule::cron_line(invocation), crm::Error);
}
