#include <crm/base/error.hpp>
#include <crm/schedule/systemd_units.hpp>

#include <catch2/catch.hpp>

using crm::schedule::Invocation;

static Invocation sample()
{
  Invocation invocation;
  invocation.program = "/usr/bin/crm-schedule";
  invocation.store = "/srv/crm/store.sqlite";
  invocation.repository = "/srv/backups";
  invocation.system_user = "crm";
  return invocation;
}

static bool units_without_credential(const Invocation& invocation)
{
  return crm::schedule::systemd_units(invocation).service.find("LoadCredential") == std::string::npos;
}

static bool has_line(const std::string& text, const std::string& line)
{
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST_CASE("schedule::systemd_units makes a oneshot service that calls run and a timer for it", "[schedule]")
{
  const auto units = crm::schedule::systemd_units(sample());
  CHECK(units.service_name == "crm-schedule.service");
  CHECK(units.timer_name == "crm-schedule.timer");
  CHECK(has_line(units.service, "[Service]"));
  CHECK(has_line(units.service, "Type=oneshot"));
  CHECK(has_line(units.service, "User=crm"));
  CHECK(has_line(units.service, "Environment=\"CRM_STORE=/srv/crm/store.sqlite\""));
  CHECK(has_line(units.service, "Environment=\"CRM_BACKUP_REPO=/srv/backups\""));
  CHECK(has_line(units.service, "ExecStart=\"/usr/bin/crm-schedule\" run"));
  CHECK(has_line(units.service, "SuccessExitStatus=75"));
  CHECK(has_line(units.service, "StandardOutput=journal"));
  CHECK(has_line(units.timer, "OnCalendar=*:0/10"));
  CHECK(has_line(units.timer, "Unit=crm-schedule.service"));
  CHECK(has_line(units.timer, "WantedBy=timers.target"));
}

TEST_CASE("schedule::systemd_units escapes specifiers, variables and quotes", "[schedule]")
{
  Invocation invocation = sample();
  invocation.store = "/srv/a b%c$d\"e";
  invocation.program = "/opt/crm $x/crm-schedule";
  const auto units = crm::schedule::systemd_units(invocation);
  CHECK(has_line(units.service, "Environment=\"CRM_STORE=/srv/a b%%c$d\\\"e\""));
  CHECK(has_line(units.service, "ExecStart=\"/opt/crm $$x/crm-schedule\" run"));
}

TEST_CASE("schedule::systemd_units appends to a log file, which cannot hold spaces", "[schedule]")
{
  Invocation invocation = sample();
  invocation.log_file = "/var/log/crm%1.log";
  invocation.every_minutes = 60;
  const auto units = crm::schedule::systemd_units(invocation);
  CHECK(has_line(units.service, "StandardOutput=append:/var/log/crm%%1.log"));
  CHECK(has_line(units.timer, "OnCalendar=hourly"));
  invocation.log_file = "/var/log/crm backup.log";
  CHECK_THROWS_AS(crm::schedule::systemd_units(invocation), crm::Error);
}

TEST_CASE("schedule::systemd_units refuses line breaks and control characters in paths and the user (64)", "[schedule]")
{
  const auto refusal = [](const Invocation& invocation) {
    try {
      crm::schedule::systemd_units(invocation);
    } catch (const crm::Error& error) {
      CHECK(error.line().find('\n') == std::string::npos);
      return error.kind();
    }
    FAIL("accepted");
    return crm::ErrorKind::internal;
  };
  for (const char* path : {"/srv/crm\nExecStartPre=/bin/sh -c evil", "/srv/crm\r.sqlite", "/srv/\x1b[2Jcrm"}) {
    Invocation invocation = sample();
    invocation.store = path;
    CHECK(refusal(invocation) == crm::ErrorKind::usage);
    invocation = sample();
    invocation.program = path;
    CHECK(refusal(invocation) == crm::ErrorKind::usage);
  }
  for (const char* user : {"crm\nExecStartPre=/bin/sh", "root root", "-crm", "a\"b", "crm;x"}) {
    Invocation invocation = sample();
    invocation.system_user = user;
    CHECK(refusal(invocation) == crm::ErrorKind::usage);
  }
  Invocation invocation = sample();
  invocation.system_user = "crm-backup_1.x";
  CHECK_NOTHROW(crm::schedule::systemd_units(invocation));
}

TEST_CASE("schedule::systemd_units hands the schedule's passphrase file to the service as a credential", "[schedule]")
{
  Invocation invocation = sample();
  CHECK(units_without_credential(invocation));
  invocation.passphrase_file = "/etc/crm-backup/pass%phrase";
  const auto units = crm::schedule::systemd_units(invocation);
  CHECK(has_line(units.service, "LoadCredential=passphrase:/etc/crm-backup/pass%%phrase"));
  invocation.passphrase_file = "/etc/crm backup/passphrase";
  CHECK_THROWS_AS(crm::schedule::systemd_units(invocation), crm::Error);
}
