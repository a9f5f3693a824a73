"""crm-schedule end to end: enable/disable/status, run under a moved clock
(libfaketime), concurrent runs, a run while a manual backup holds the
repository lock, an unreachable store, check --max-age, and the printed cron
line and systemd units."""
import fcntl
import glob
import json
import os
import pathlib
import re
import shutil
import sqlite3
import stat
import subprocess
import unittest
import zoneinfo
from datetime import datetime, timezone

import crmtest

FAKETIME_LIBRARY = next(iter(sorted(glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1"))), None)

# Monday 2026-01-05; a weekly Monday 02:00 UTC schedule enabled then first
# runs on Monday 2026-01-12 02:00.
ENABLED_AT = "2026-01-05 10:00:00"
FIRST_SLOT = "2026-01-12 02:00:00"


def at(time_text):
    """Environment that makes the binaries believe it is `time_text` (UTC)."""
    if FAKETIME_LIBRARY is None:
        raise unittest.SkipTest("libfaketime is not installed")
    return {**crmtest.preloaded(FAKETIME_LIBRARY), "FAKETIME": "@" + time_text, "TZ": "UTC",
            "FAKETIME_DONT_RESET": "1"}


def at_on_machine_in(machine_zone, time_text):
    """Like at(), on a machine whose TZ is `machine_zone`: libfaketime reads
    FAKETIME as the machine's local time, so `time_text` (UTC) is converted."""
    utc = datetime.strptime(time_text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    local = utc.astimezone(zoneinfo.ZoneInfo(machine_zone)).strftime("%Y-%m-%d %H:%M:%S")
    return {**at(local), "TZ": machine_zone}


class ScheduleTestCase(crmtest.CliTestCase):
    """A store and a repository in the scratch directory, crm-schedule run
    under a moved clock, and what it left behind; no tests (also used by
    test_schedule_encrypted)."""

    def setUp(self):
        super().setUp()
        self.store = self.dir / "crm.sqlite"
        self.repo = self.dir / "repo"
        self.env.update({"CRM_STORE": str(self.store), "CRM_BACKUP_REPO": str(self.repo), "CRM_USER": "admin"})

    def make_store(self, tier="enterprise", contacts=200):
        self.assertExit(self.run_tool("crm-demo", "init", "--store", self.store, "--tier", tier,
                                      "--contacts", contacts), 0)

    def schedule(self, *args, time=None, env=None):
        merged = dict(env or {})
        if time:
            merged.update(at(time))
        return self.run_tool("crm-schedule", *args, env=merged)

    def enable(self, *extra):
        """A weekly Monday 02:00 UTC schedule, enabled at ENABLED_AT."""
        result = self.schedule("enable", "--every", "week", "--day", "mon", "--at", "02:00", *extra,
                               time=ENABLED_AT)
        self.assertExit(result, 0)
        return result

    def archives(self):
        return sorted(self.repo.glob("*.zip")) if self.repo.exists() else []

    def notifications(self):
        """The kinds of the store's notifications, oldest first."""
        connection = sqlite3.connect(f"file:{self.store}?mode=ro", uri=True)
        try:
            return [row[0] for row in connection.execute("SELECT kind FROM notifications ORDER BY id")]
        finally:
            connection.close()


class ScheduleCliTest(ScheduleTestCase):

    # enable / disable / status -------------------------------------------

    def test_enable_needs_the_enterprise_plan(self):
        self.make_store(tier="professional")
        result = self.schedule("enable", "--every", "week")
        self.assertExit(result, 77)
        self.assertIn("enterprise", result.stderr)
        self.assertFalse(self.repo.exists())

    def test_enable_needs_a_super_admin(self):
        self.make_store()
        result = self.schedule("enable", "--every", "2weeks", env={"CRM_USER": "viewer"})
        self.assertExit(result, 77)
        self.assertIn("super admin", result.stderr)

    def test_enable_refuses_a_bad_cadence_as_usage(self):
        self.make_store()
        for args in (["--every", "month"], ["--every", "week", "--day", "someday"],
                     ["--every", "week", "--at", "25:00"], ["--every", "week", "--tz", "Mars/Base"]):
            with self.subTest(args=args):
                self.assertExit(self.schedule("enable", *args), 64)

    def test_enable_prints_the_next_run_and_status_shows_it(self):
        self.make_store()
        result = self.schedule("enable", "--every", "2weeks", "--day", "sun", "--at", "02:30",
                               "--tz", "Europe/Berlin", time=ENABLED_AT)
        self.assertExit(result, 0)
        self.assertIn("every 2 weeks on Sunday at 02:30 (Europe/Berlin)", result.stdout)
        self.assertIn("2026-01-11 02:30 CET", result.stdout)
        self.assertEqual(stat.S_IMODE(self.repo.stat().st_mode), 0o700)

        status = self.schedule("status", "--json", time="2026-01-06 00:00:00")
        self.assertExit(status, 0)
        report = json.loads(status.stdout)
        self.assertTrue(report["enabled"])
        self.assertEqual(report["user"], "admin")
        self.assertEqual(report["next_run"], "2026-01-11T01:30:00Z")
        self.assertIsNone(report["last_run"])
        self.assertIsNone(report["last_backup"])

        self.assertExit(self.schedule("disable"), 0)
        report = json.loads(self.schedule("status", "--json").stdout)
        self.assertFalse(report["enabled"])
        self.assertIsNone(report["next_run"])

    # run -------------------------------------------------------------------

    def test_run_with_nothing_due_is_quiet_and_says_one_line_when_verbose(self):
        self.make_store()
        self.enable()
        quiet = self.schedule("run", time="2026-01-08 12:00:00")
        self.assertExit(quiet, 0)
        self.assertEqual((quiet.stdout, quiet.stderr), ("", ""))
        verbose = self.schedule("run", "--verbose", time="2026-01-08 12:00:00")
        self.assertExit(verbose, 0)
        self.assertEqual(verbose.stdout.splitlines(), ["nothing due: next backup at 2026-01-12 02:00 UTC"])
        self.assertEqual(self.archives(), [])

    def test_run_backs_up_a_due_slot_once_notifies_and_status_tells(self):
        self.make_store()
        self.enable()
        result = self.schedule("run", time="2026-01-12 02:05:00")
        self.assertExit(result, 0)
        self.assertIn("made for the slot at 2026-01-12 02:00 UTC", result.stdout)
        self.assertIn("ready", result.stderr)
        archives = self.archives()
        self.assertEqual(len(archives), 1)
        self.assertEqual(stat.S_IMODE(archives[0].stat().st_mode), 0o600)
        self.assertEqual(self.notifications(), ["backup.ready"])
        # The run read its backup back before reporting it ready.
        listed = json.loads(self.run_tool("crm-backup", "list", "--json").stdout)
        self.assertEqual(listed[0]["checked"], "verified")
        self.assertExit(self.schedule("check", "--max-age", "1d", "--verified", time="2026-01-12 03:00:00"), 0)

        again = self.schedule("run", time="2026-01-12 02:15:00")
        self.assertExit(again, 0)
        self.assertEqual(len(self.archives()), 1)

        report = json.loads(self.schedule("status", "--json", time="2026-01-12 05:05:00").stdout)
        self.assertTrue(report["last_outcome"].startswith("ok: backup "))
        self.assertEqual(report["last_backup"]["age_seconds"], 3 * 3600)
        self.assertEqual(report["next_run"], "2026-01-19T02:00:00Z")

    def test_the_notify_command_set_by_config_runs_for_a_scheduled_backup_and_the_environment_overrides_it(self):
        self.make_store()
        self.enable()
        by_setting, by_environment = self.dir / "by-setting", self.dir / "by-environment"
        configured = self.run_tool("crm-backup", "config", "set", "notify-command",
                                   f"echo \"$CRM_BACKUP_STATE\" >> '{by_setting}'")
        self.assertExit(configured, 0)
        got = self.run_tool("crm-backup", "config", "get", "notify-command")
        self.assertExit(got, 0)
        self.assertIn(str(by_setting), got.stdout)
        listed = json.loads(self.run_tool("crm-backup", "config", "list", "--json").stdout)
        self.assertIn(str(by_setting), listed["notify-command"])

        self.assertExit(self.schedule("run", time="2026-01-12 02:05:00"), 0)
        self.assertEqual(by_setting.read_text(), "ready\n")
        self.assertExit(self.schedule("run", time="2026-01-19 02:05:00", env={
            "CRM_NOTIFY_COMMAND": f"echo \"$CRM_BACKUP_STATE\" >> '{by_environment}'"}), 0)
        self.assertEqual(by_setting.read_text(), "ready\n")
        self.assertEqual(by_environment.read_text(), "ready\n")

    def test_run_after_a_month_off_catches_up_once(self):
        self.make_store()
        self.enable()
        self.assertExit(self.schedule("run", time="2026-02-11 09:00:00"), 0)
        self.assertExit(self.schedule("run", time="2026-02-11 09:10:00"), 0)
        self.assertEqual(len(self.archives()), 1)
        report = json.loads(self.schedule("status", "--json", time="2026-02-11 09:20:00").stdout)
        self.assertEqual(report["next_run"], "2026-02-16T02:00:00Z")

    def test_a_schedule_keeps_its_own_zone_whatever_the_machines_zone(self):
        # Enabled for Sunday 02:30 New York time on a machine in Los Angeles, run
        # on a machine in Berlin. On 2026-03-15 New York is on summer time (since
        # March 8) and Berlin is not yet (from March 29): the slot is 02:30 EDT,
        # 06:30 UTC, whatever the machine's TZ says.
        self.make_store()
        enabled = self.run_tool("crm-schedule", "enable", "--every", "week", "--day", "sun", "--at", "02:30",
                                "--tz", "America/New_York",
                                env=at_on_machine_in("America/Los_Angeles", "2026-03-09 12:00:00"))
        self.assertExit(enabled, 0)
        self.assertIn("2026-03-15 02:30 EDT", enabled.stdout)

        early = self.run_tool("crm-schedule", "run", "--verbose",
                              env=at_on_machine_in("Europe/Berlin", "2026-03-15 06:29:00"))
        self.assertExit(early, 0)
        self.assertEqual(early.stdout.splitlines(), ["nothing due: next backup at 2026-03-15 02:30 EDT"])
        self.assertEqual(self.archives(), [])

        due = self.run_tool("crm-schedule", "run", env=at_on_machine_in("Asia/Kathmandu", "2026-03-15 06:31:00"))
        self.assertExit(due, 0)
        self.assertIn("made for the slot at 2026-03-15 02:30 EDT", due.stdout)
        self.assertEqual(len(self.archives()), 1)
        report = json.loads(self.run_tool("crm-schedule", "status", "--json",
                                          env=at_on_machine_in("Europe/Berlin", "2026-03-15 07:00:00")).stdout)
        self.assertEqual(report["next_run"], "2026-03-22T06:30:00Z")

    def test_two_runs_at_the_same_time_make_one_backup(self):
        self.make_store(contacts=20000)
        self.enable()
        environment = dict(self.env)
        environment.update(at("2026-01-12 02:05:00"))
        runs = [subprocess.Popen([crmtest.binary("crm-schedule"), "run"], env=environment,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        codes = []
        for run in runs:
            out, err = run.communicate(timeout=600)
            codes.append(run.returncode)
            if run.returncode != 0:
                self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(all(code in (0, 75) for code in codes), codes)
        self.assertEqual(len(self.archives()), 1)
        self.assertEqual(self.notifications(), ["backup.ready"])

    def test_run_while_a_manual_backup_holds_the_lock_defers_then_backs_up(self):
        self.make_store()
        self.enable()
        with open(self.repo / "lock", "a") as lock:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a POSIX lock: conflicts with our OFD locks
            result = self.schedule("run", time="2026-01-12 02:05:00")
        self.assertExit(result, 75)
        self.assertIn("deferred", result.stderr)
        self.assertEqual(self.archives(), [])
        self.assertExit(self.schedule("run", time="2026-01-12 02:15:00"), 0)
        self.assertEqual(len(self.archives()), 1)

    def test_run_with_an_unreachable_store_fails_with_its_code_and_the_next_run_retries(self):
        self.make_store()
        self.enable()
        hidden = self.dir / "elsewhere.sqlite"
        self.store.rename(hidden)
        failed = self.schedule("run", time="2026-01-12 02:05:00")
        self.assertExit(failed, 66)
        self.assertIn("scheduled backup for 2026-01-12 02:00 UTC failed", failed.stderr)
        self.assertIn("the next run retries it", failed.stderr)
        report = json.loads(self.schedule("status", "--json").stdout)
        self.assertTrue(report["last_outcome"].startswith("failed (exit 66)"), report)
        self.assertTrue(report["is_due"])

        hidden.rename(self.store)
        retried = self.schedule("run", time="2026-01-12 02:15:00")
        self.assertExit(retried, 0)
        self.assertEqual(len(self.archives()), 1)

    def test_run_as_a_user_no_longer_super_admin_is_refused(self):
        self.make_store()
        self.enable()
        connection = sqlite3.connect(self.store)
        connection.execute("UPDATE users SET is_super_admin = 0 WHERE name = 'admin'")
        connection.commit()
        connection.close()
        result = self.schedule("run", time="2026-01-12 02:05:00")
        self.assertExit(result, 77)
        self.assertIn("not a super admin", result.stderr)
        self.assertEqual(self.archives(), [])
        # Notified once for the slot, however often cron retries it.
        self.assertExit(self.schedule("run", time="2026-01-12 02:15:00"), 77)
        self.assertEqual(self.notifications(), ["schedule.failed"])

    def test_run_without_a_repository_is_not_found(self):
        self.make_store()
        self.assertExit(self.schedule("run"), 66)

    # check -----------------------------------------------------------------

    def test_check_is_0_for_a_fresh_backup_and_75_with_its_age_for_a_stale_one(self):
        self.make_store()
        self.enable()
        none_yet = self.schedule("check", "--max-age", "8d", time="2026-01-06 00:00:00")
        self.assertExit(none_yet, 75)
        self.assertIn("no backup", none_yet.stderr)
        self.assertExit(self.schedule("run", time="2026-01-12 02:00:00"), 0)

        fresh = self.schedule("check", "--max-age", "36h", time="2026-01-13 02:00:00")
        self.assertExit(fresh, 0)
        self.assertIn("1d old", fresh.stdout)
        stale = self.schedule("check", "--max-age", "36h", time="2026-01-14 05:00:00")
        self.assertExit(stale, 75)
        self.assertIn("2d 3h old, older than 36h", stale.stderr)
        report = json.loads(self.schedule("check", "--max-age", "8d", "--json",
                                          time="2026-01-14 05:00:00").stdout)
        self.assertTrue(report["fresh"])
        self.assertEqual(report["age_seconds"], 2 * 86400 + 3 * 3600)

    def test_check_refuses_a_bad_duration(self):
        self.assertExit(self.schedule("check", "--max-age", "soon"), 64)

    # cron and systemd --------------------------------------------------------

    def test_cron_line_is_a_valid_crontab_entry_whose_command_runs(self):
        self.make_store()
        self.enable()
        log = self.dir / "run.log"
        result = self.schedule("cron-line", "--log-file", log, "--every-minutes", "5")
        self.assertExit(result, 0)
        line = result.stdout.rstrip("\n")
        self.assertNotIn("\n", line)
        fields = line.split(None, 5)
        self.assertEqual(fields[:5], ["*/5", "*", "*", "*", "*"])
        command = fields[5]
        # cron would end the command at an unescaped %.
        self.assertIsNone(re.search(r"(?<!\\)%", command))
        self.assertIn(f"CRM_STORE='{self.store}'", command)
        self.assertIn(f"'{crmtest.binary('crm-schedule')}' run", command)
        # The command runs as cron would: /bin/sh, another directory, an empty
        # environment (plus the clock of the first slot).
        environment = {"PATH": "/usr/bin:/bin", "HOME": str(self.dir)}
        environment.update(at("2026-01-12 02:05:00"))
        completed = subprocess.run(["/bin/sh", "-c", command.replace("\\%", "%")], cwd="/", env=environment,
                                   capture_output=True, text=True, timeout=600)
        self.assertEqual(completed.returncode, 0, completed)
        self.assertIn("ready", log.read_text())
        self.assertEqual(len(self.archives()), 1)

    def test_cron_line_sends_output_to_syslog_by_default(self):
        result = self.schedule("cron-line", "--store", "relative/crm.sqlite", "--repo", "repo")
        self.assertExit(result, 0)
        self.assertTrue(result.stdout.startswith("*/10 * * * * "))
        self.assertIn("| /usr/bin/logger -t crm-schedule", result.stdout)
        self.assertNotIn("'relative/", result.stdout)

    def test_cron_line_user_prints_the_etc_cron_d_form(self):
        result = self.schedule("cron-line", "--store", "relative/crm.sqlite", "--repo", "repo", "--user", "crm")
        self.assertExit(result, 0)
        self.assertTrue(result.stdout.startswith("*/10 * * * * crm CRM_STORE='/"), result.stdout)
        refused = self.schedule("cron-line", "--store", "crm.sqlite", "--repo", "repo", "--user", "crm; rm -rf /")
        self.assertExit(refused, 64)
        self.assertEqual(refused.stdout, "")

    def test_systemd_units_are_valid(self):
        out = self.dir / "units"
        out.mkdir()
        result = self.schedule("systemd-unit", "--output-dir", out, "--every-minutes", "15")
        self.assertExit(result, 0)
        service = (out / "crm-schedule.service").read_text()
        timer = (out / "crm-schedule.timer").read_text()
        sections = parse_unit(service)
        self.assertEqual(sections["Service"]["Type"], ["oneshot"])
        self.assertEqual(sections["Service"]["ExecStart"], [f'"{crmtest.binary("crm-schedule")}" run'])
        self.assertIn(f'"CRM_STORE={self.store}"', sections["Service"]["Environment"])
        self.assertIn(f'"CRM_BACKUP_REPO={self.repo}"', sections["Service"]["Environment"])
        timer_sections = parse_unit(timer)
        self.assertEqual(timer_sections["Timer"]["OnCalendar"], ["*:0/15"])
        self.assertEqual(timer_sections["Timer"]["Unit"], ["crm-schedule.service"])
        self.assertEqual(timer_sections["Install"]["WantedBy"], ["timers.target"])
        analyze = shutil.which("systemd-analyze")
        if analyze is None:
            self.skipTest("systemd-analyze is not installed: checked structurally only")
        verified = subprocess.run([analyze, "verify", "--man=no", str(out / "crm-schedule.service"),
                                   str(out / "crm-schedule.timer")], capture_output=True, text=True, timeout=120)
        self.assertEqual(verified.returncode, 0, verified.stderr)
        calendar = subprocess.run([analyze, "calendar", "*:0/15"], capture_output=True, text=True, timeout=60)
        self.assertEqual(calendar.returncode, 0, calendar.stderr)

    def test_systemd_unit_printed_holds_both_files(self):
        result = self.schedule("systemd-unit", "--json")
        self.assertExit(result, 0)
        units = json.loads(result.stdout)
        self.assertEqual(units["service_name"], "crm-schedule.service")
        self.assertIn("[Timer]", units["timer"])


def parse_unit(text):
    """Sections of a unit file: {section: {key: [values]}}; fails on a line
    that is neither a comment, a section header nor key=value."""
    sections = {}
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[([A-Za-z]+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), {})
            continue
        match = re.fullmatch(r"([A-Za-z]+)=(.*)", line)
        if match is None or current is None:
            raise AssertionError(f"line {number} is not valid in a unit file: {line!r}")
        current.setdefault(match.group(1), []).append(match.group(2))
    return sections


if __name__ == "__main__":
    unittest.main()
