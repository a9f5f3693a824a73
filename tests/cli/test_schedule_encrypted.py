"""crm-schedule with encryption, end to end (issue 14): `enable --encrypt
--passphrase-file FILE` keeps the file's path, never the passphrase; every
scheduled backup is AES-256 encrypted and opens in 7-Zip with it; a file that
group or others can read is refused (77); a missing file is one failed slot
(78), notified once and retried; the systemd units hand the file over as a
credential and a run reads $CREDENTIALS_DIRECTORY/passphrase first; a failed
slot is notified exactly once, also when the backup failed half-way; and the
passphrase appears nowhere: not in status, --json, the catalog, the store,
notifications or the notify command's environment. Runs happen under a moved
clock (libfaketime), as in test_schedule_cli."""
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import unittest
import zipfile

import crmtest
from test_schedule_cli import ENABLED_AT, ScheduleTestCase, at, parse_unit

PASSPHRASE = "Tr0ub4dor&3 horse-battery-staple"
SYSTEMD_PASSPHRASE = "handed over by systemd 9f2c"
DECOY = "decoy from CRM_BACKUP_PASSPHRASE 51ab"
# Mondays 02:00 UTC: the slots of the weekly schedule enable() makes.
SLOTS = ["2026-01-12 02:05:00", "2026-01-19 02:05:00", "2026-01-26 02:05:00"]
AES_METHOD = 99  # WinZip AES (APPNOTE.TXT appendix E)


def write_secret(path, text, mode=0o600):
    """Writes `text` to `path` with exactly `mode` (the umask cannot widen or narrow it)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "w") as file:
        file.write(text + "\n")
    os.chmod(path, mode)


def seven_zip(*args):
    if shutil.which("7z") is None:
        raise unittest.SkipTest("7z (p7zip-full) is not installed")
    return subprocess.run(["7z", *args], capture_output=True, text=True, timeout=300)


class EncryptedScheduleCase(ScheduleTestCase):
    """A demo store, a private passphrase file and a notify command that
    records its environment; no tests."""
    contacts = 300

    def setUp(self):
        super().setUp()
        self.passphrase_file = self.dir / "secrets" / "backup-passphrase"
        self.passphrase_file.parent.mkdir(mode=0o700)
        write_secret(self.passphrase_file, PASSPHRASE)
        self.env_dump = self.dir / "notify-env.txt"
        self.make_store(contacts=self.contacts)

    def enable(self, *extra):
        result = super().enable("--encrypt", "--passphrase-file", self.passphrase_file, *extra)
        # Every notification runs this command: it appends its whole
        # environment and a separator, so the calls can be counted and searched.
        catalog = sqlite3.connect(self.repo / "catalog.sqlite")
        try:
            with catalog:
                catalog.execute("INSERT INTO settings (key, value) VALUES ('notify_command', ?)",
                                (f'env >> "{self.env_dump}"; echo "----" >> "{self.env_dump}"',))
        finally:
            catalog.close()
        return result

    def notify_calls(self):
        if not self.env_dump.exists():
            return []
        return [call for call in self.env_dump.read_text().split("----\n") if call.strip()]

    def assertEncryptedWith(self, archive, passphrase):
        """Every entry is WinZip AES encrypted and 7-Zip opens it with `passphrase` only."""
        with zipfile.ZipFile(archive) as zip_file:
            entries = zip_file.infolist()
            self.assertIn("manifest.json", [entry.filename for entry in entries])
            for entry in entries:
                self.assertEqual(entry.compress_type, AES_METHOD, entry.filename)
                self.assertTrue(entry.flag_bits & 0x1, f"{entry.filename} is not flagged encrypted")
        tested = seven_zip("t", "-p" + passphrase, str(archive))
        self.assertEqual(tested.returncode, 0, tested.stdout + tested.stderr)
        self.assertIn("Everything is Ok", tested.stdout)
        manifest = seven_zip("x", "-so", "-p" + passphrase, str(archive), "manifest.json")
        self.assertEqual(manifest.returncode, 0, manifest.stderr)
        self.assertEqual(json.loads(manifest.stdout)["objects"][0]["name"], "contacts")
        self.assertNotEqual(seven_zip("t", "-pwrong", str(archive)).returncode, 0)

    def assertNoSecretIn(self, text, where):
        for secret in (PASSPHRASE, SYSTEMD_PASSPHRASE, DECOY):
            self.assertNotIn(secret, text, f"a passphrase in {where}")

    def assertNoSecretInFiles(self):
        """No file of the test holds a passphrase: the catalog and its WAL, the
        store, the archives (encrypted), the notify command's environment dump,
        logs and units; only the secret files themselves do."""
        secrets = {self.passphrase_file.parent, self.dir / "credentials"}
        for path in sorted(self.dir.rglob("*")):
            if path.is_file() and not secrets.intersection(path.parents):
                data = path.read_bytes()
                for secret in (PASSPHRASE, SYSTEMD_PASSPHRASE, DECOY):
                    self.assertNotIn(secret.encode(), data, f"a passphrase in {path}")


class EncryptedScheduleTest(EncryptedScheduleCase):

    # enable ------------------------------------------------------------------

    def test_enable_remembers_the_file_and_status_tells_where_the_passphrase_comes_from(self):
        enabled = self.enable()
        self.assertIn("AES-256 encrypted, passphrase read from " + str(self.passphrase_file), enabled.stdout)
        as_json = self.schedule("enable", "--every", "week", "--json", time=ENABLED_AT)
        self.assertExit(as_json, 0)
        self.assertEqual(json.loads(as_json.stdout)["passphrase_file"], str(self.passphrase_file))

        status = self.schedule("status", time="2026-01-06 00:00:00")
        self.assertExit(status, 0)
        self.assertIn(f"encryption:  AES-256, passphrase from the passphrase file {self.passphrase_file}",
                      status.stdout)
        report = json.loads(self.schedule("status", "--json", time="2026-01-06 00:00:00").stdout)
        self.assertTrue(report["encrypted"])
        self.assertEqual(report["passphrase_source"],
                         {"kind": "file", "path": str(self.passphrase_file), "problem": None})
        for result in (enabled, as_json, status):
            self.assertNoSecretIn(result.stdout + result.stderr, "enable or status")
        self.assertNoSecretInFiles()

        # --no-encrypt turns it off again.
        plain = self.schedule("enable", "--every", "week", "--no-encrypt", "--json", time=ENABLED_AT)
        self.assertExit(plain, 0)
        self.assertFalse(json.loads(plain.stdout)["encrypted"])
        report = json.loads(self.schedule("status", "--json").stdout)
        self.assertFalse(report["encrypted"])
        self.assertIsNone(report["passphrase_source"])

    def test_enable_refuses_a_passphrase_file_group_or_others_can_read(self):
        for mode in (0o644, 0o640, 0o604):
            with self.subTest(mode=oct(mode)):
                os.chmod(self.passphrase_file, mode)
                result = self.schedule("enable", "--every", "week", "--encrypt",
                                       "--passphrase-file", self.passphrase_file)
                self.assertExit(result, 77)
                self.assertIn(f"has mode {mode:04o}: group or others can read it", result.stderr)
                self.assertIn(f"chmod 600 {self.passphrase_file}", result.stderr)
                self.assertNoSecretIn(result.stderr, "the refusal")
                self.assertFalse(self.repo.exists())

    def test_enable_refuses_a_secret_on_the_command_line_and_a_passphrase_it_cannot_keep(self):
        cases = {
            ("--encrypt", "--passphrase", PASSPHRASE): 64,  # a secret on argv
            ("--encrypt",): 64,                            # no file
            ("--encrypt", "--passphrase-file", "-"): 64,   # stdin cannot be read at every run
            ("--passphrase-file", "passphrase"): 64,       # a file without --encrypt
            ("--encrypt", "--no-encrypt", "--passphrase-file", "passphrase"): 64,
            ("--encrypt", "--passphrase-file", "missing"): 66,
        }
        for args, code in cases.items():
            with self.subTest(args=args):
                result = self.schedule("enable", "--every", "week", *args)
                self.assertExit(result, code)
                self.assertNoSecretIn(result.stderr, "the refusal")
        self.assertFalse(self.repo.exists())

    # run -------------------------------------------------------------------------

    def test_every_scheduled_backup_is_aes_encrypted_and_opens_in_7zip_with_the_passphrase(self):
        self.enable("--keep-weekly", "4")  # the first is past its 14-day window at the third slot
        for number, slot in enumerate(SLOTS, 1):
            # The environment's passphrase is for manual commands: a scheduled
            # backup uses the schedule's file even when it is set.
            result = self.schedule("run", time=slot, env={"CRM_BACKUP_PASSPHRASE": DECOY})
            self.assertExit(result, 0)
            self.assertIn("ready", result.stderr)
            self.assertNoSecretIn(result.stdout + result.stderr, "the run's output")
            self.assertEqual(len(self.archives()), number)
        for archive in self.archives():
            self.assertEqual(stat.S_IMODE(archive.stat().st_mode), 0o600)
            self.assertEncryptedWith(archive, PASSPHRASE)
        listed = json.loads(self.run_tool("crm-backup", "list", "--json").stdout)
        self.assertEqual([backup["encrypted"] for backup in listed], [True, True, True])
        self.assertEqual(self.notifications(), ["backup.ready"] * 3)

        calls = self.notify_calls()
        self.assertEqual(len(calls), 3)
        self.assertIn("CRM_BACKUP_STATE=ready", calls[0])
        self.assertNotIn("CRM_BACKUP_PASSPHRASE", "".join(calls))
        status = self.schedule("status", time="2026-01-26 03:00:00")
        report = self.schedule("status", "--json", time="2026-01-26 03:00:00")
        self.assertNoSecretIn(status.stdout + report.stdout + "".join(calls),
                              "status or the notify command's environment")
        self.assertNoSecretInFiles()

    def test_a_missing_passphrase_file_fails_one_slot_notified_once_and_the_next_run_after_it_is_back_succeeds(self):
        self.enable()
        hidden = self.dir / "secrets" / "moved-away"
        self.passphrase_file.rename(hidden)
        report = json.loads(self.schedule("status", "--json", time="2026-01-12 01:00:00").stdout)
        self.assertIn("does not exist", report["passphrase_source"]["problem"])

        for minute in ("05", "15", "25"):  # cron retries every ten minutes
            failed = self.schedule("run", time=f"2026-01-12 02:{minute}:00")
            self.assertExit(failed, 78)
            self.assertIn("scheduled backup for 2026-01-12 02:00 UTC failed: cannot read the passphrase of "
                          f"scheduled backups: the passphrase file {self.passphrase_file} does not exist",
                          failed.stderr)
            self.assertIn("the next run retries it", failed.stderr)
        self.assertEqual(self.archives(), [])
        self.assertEqual(self.notifications(), ["schedule.failed"])
        calls = self.notify_calls()
        self.assertEqual(len(calls), 1)
        self.assertIn("CRM_BACKUP_STATE=failed", calls[0])
        self.assertIn("CRM_BACKUP_EXIT_CODE=78", calls[0])
        self.assertIn("CRM_SCHEDULE_SLOT=2026-01-12T02:00:00Z", calls[0])
        report = json.loads(self.schedule("status", "--json").stdout)
        self.assertTrue(report["last_outcome"].startswith("failed (exit 78)"), report)
        self.assertTrue(report["is_due"])

        hidden.rename(self.passphrase_file)
        retried = self.schedule("run", time="2026-01-12 02:35:00")
        self.assertExit(retried, 0)
        self.assertIn("made for the slot at 2026-01-12 02:00 UTC", retried.stdout)
        self.assertEqual(len(self.archives()), 1)
        self.assertEncryptedWith(self.archives()[0], PASSPHRASE)
        self.assertEqual(self.notifications(), ["schedule.failed", "backup.ready"])
        self.assertNoSecretIn("".join(self.notify_calls()), "the notify command's environment")

    def test_a_passphrase_file_opened_to_others_after_enable_fails_the_slot(self):
        self.enable()
        os.chmod(self.passphrase_file, 0o644)
        status = self.schedule("status", time="2026-01-12 01:00:00")
        self.assertIn("but the next backup fails: the passphrase file", status.stdout)
        self.assertIn("group or others can read it", status.stdout)
        failed = self.schedule("run", time="2026-01-12 02:05:00")
        self.assertExit(failed, 78)
        self.assertIn("group or others can read it", failed.stderr)
        self.assertEqual(self.archives(), [])

    # cron and systemd -----------------------------------------------------------

    def test_the_cron_line_runs_an_encrypted_backup_with_the_schedules_file(self):
        self.enable()
        log = self.dir / "run.log"
        line = self.schedule("cron-line", "--log-file", log).stdout.rstrip("\n")
        self.assertNotIn("PASSPHRASE", line)
        self.assertNoSecretIn(line, "the cron line")
        command = line.split(None, 5)[5]
        environment = {"PATH": "/usr/bin:/bin", "HOME": str(self.dir)}
        environment.update(at(SLOTS[0]))
        completed = subprocess.run(["/bin/sh", "-c", command.replace("\\%", "%")], cwd="/", env=environment,
                                   capture_output=True, text=True, timeout=600)
        self.assertEqual(completed.returncode, 0, completed)
        self.assertIn("ready", log.read_text())
        self.assertEncryptedWith(self.archives()[0], PASSPHRASE)

    def test_the_systemd_service_loads_the_passphrase_as_a_credential_and_run_reads_it_there(self):
        self.enable()
        units = self.dir / "units"
        units.mkdir()
        self.assertExit(self.schedule("systemd-unit", "--output-dir", units), 0)
        service = (units / "crm-schedule.service").read_text()
        sections = parse_unit(service)
        self.assertEqual(sections["Service"]["LoadCredential"], [f"passphrase:{self.passphrase_file}"])
        self.assertNoSecretIn(service + (units / "crm-schedule.timer").read_text(), "the units")
        analyze = shutil.which("systemd-analyze")
        if analyze is not None:
            verified = subprocess.run([analyze, "verify", "--man=no", str(units / "crm-schedule.service"),
                                       str(units / "crm-schedule.timer")], capture_output=True, text=True,
                                      timeout=120)
            self.assertEqual(verified.returncode, 0, verified.stderr)

        # What systemd does when it starts the service: the credential in a
        # private directory, named in CREDENTIALS_DIRECTORY. It wins over the
        # schedule's file, which the service's user need not be able to read.
        credentials = self.dir / "credentials"
        credentials.mkdir(mode=0o500)
        write_secret(credentials / "passphrase", SYSTEMD_PASSPHRASE, mode=0o440)  # as with an ACL entry
        self.passphrase_file.unlink()
        status = self.schedule("status", time=SLOTS[0], env={"CREDENTIALS_DIRECTORY": str(credentials)})
        self.assertIn(f"passphrase from the systemd credential {credentials / 'passphrase'}", status.stdout)
        result = self.schedule("run", time=SLOTS[0], env={"CREDENTIALS_DIRECTORY": str(credentials)})
        self.assertExit(result, 0)
        self.assertEncryptedWith(self.archives()[0], SYSTEMD_PASSPHRASE)
        self.assertNotIn(SYSTEMD_PASSPHRASE, "".join(self.notify_calls()))
        if analyze is None:
            self.skipTest("systemd-analyze is not installed: units checked structurally only")


class HalfWayFailureTest(EncryptedScheduleCase):
    """A scheduled backup that fails once its archive is begun (here: the
    disk fills) is notified once, as the schedule's failure; it used to be
    notified twice, as backup.failed and schedule.failed."""
    contacts = 20000

    def setUp(self):
        super().setUp()
        self.mount = self.dir / "mnt"
        if not crmtest.mount_tmpfs(self.mount, "size=1m"):
            self.skipTest("cannot mount a small tmpfs here (needs root); disk-full not simulated")
        self.repo = self.mount / "repo"
        self.env["CRM_BACKUP_REPO"] = str(self.repo)

    def tearDown(self):
        subprocess.run(["umount", str(self.mount)], capture_output=True)
        super().tearDown()

    def test_a_backup_failing_half_way_is_notified_once_per_slot(self):
        self.enable()
        for minute in ("05", "15"):
            failed = self.schedule("run", time=f"2026-01-12 02:{minute}:00")
            self.assertExit(failed, 74)
            self.assertIn("scheduled backup for 2026-01-12 02:00 UTC failed", failed.stderr)
        self.assertEqual(self.notifications(), ["schedule.failed"])
        calls = self.notify_calls()
        self.assertEqual(len(calls), 1, calls)
        self.assertIn("CRM_BACKUP_EXIT_CODE=74", calls[0])
        self.assertFalse([name for name in os.listdir(self.repo) if name.endswith(".zip")])


if __name__ == "__main__":
    unittest.main()
