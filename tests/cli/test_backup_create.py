"""crm-backup create: what lands in the archive, who may make one, how often,
sensitive data, encryption and notification (SPEC §1, §2, §5, §6, §8)."""
import json
import os
import sqlite3
import stat
import subprocess
import unittest
import zipfile

import backuptest
from backuptest import archive_rows, at, manifest_of, object_types, record_counts, store_rows

AWKWARD_VALUES = ["a,b", 'say "hi"', "line1\r\nline2", "only\nLF", "trailing CR\r", "Zoë 東京 🎉", "", " padded "]


class CreateTest(backuptest.BackupTestCase):
    def put_awkward_values(self):
        """Writes values that CSV must carry exactly into contacts (directly, through SQLite)."""
        table, names, _ = object_types(self.store)["contacts"]
        with sqlite3.connect(self.store) as db:
            ids = [row[0] for row in db.execute(f'SELECT hs_object_id FROM "{table}" ORDER BY hs_object_id LIMIT ?',
                                                (len(AWKWARD_VALUES),))]
            for record_id, value in zip(ids, AWKWARD_VALUES):
                db.execute(f'UPDATE "{table}" SET "{names[0]}" = ?, "{names[1]}" = NULL WHERE hs_object_id = ?',
                           (value, record_id))

    def test_every_value_of_every_object_survives_exactly(self):
        self.put_awkward_values()
        result = self.backup("create", "--json")
        self.assertExit(result, 0)
        created = json.loads(result.stdout)  # stdout holds the JSON object and nothing else
        archive = created["archive"]
        types = object_types(self.store)
        self.assertEqual(set(record_counts(created["objects"])), set(types))
        self.assertEqual(record_counts(created["objects"])["tickets"], 0)
        with zipfile.ZipFile(archive) as zip_file:
            names = zip_file.namelist()
            raw_contacts = zip_file.read("contacts.csv")
        self.assertEqual(names[-1], "manifest.json")
        self.assertEqual(sorted(names[:-1]), sorted(f"{name}.csv" for name, count in record_counts(created["objects"]).items()
                                                    if count > 0))
        self.assertNotIn("tickets.csv", names)
        self.assertTrue(raw_contacts.endswith(b"\r\n"))
        for name, (_, properties, _) in types.items():
            expected = store_rows(self.store, name)
            self.assertEqual(record_counts(created["objects"])[name], len(expected), name)
            if not expected:
                continue
            rows = archive_rows(archive, f"{name}.csv")
            self.assertEqual(rows[0], ["hs_object_id"] + properties, name)
            self.assertEqual(rows[1:], expected, name)
        contact_values = {row[1] for row in archive_rows(archive, "contacts.csv")[1:]}
        for value in AWKWARD_VALUES:
            self.assertIn(value, contact_values)

    def test_archive_is_private_and_the_repository_too(self):
        created = self.create()
        self.assertEqual(stat.S_IMODE(os.stat(created["archive"]).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(self.repo).st_mode), 0o700)

    def test_manifest_describes_every_object(self):
        created = self.create()
        manifest = manifest_of(created["archive"])
        self.assertEqual(manifest["format_version"], 1)
        self.assertEqual({o["name"]: o["record_count"] for o in manifest["objects"]}, record_counts(created["objects"]))
        contacts = next(o for o in manifest["objects"] if o["name"] == "contacts")
        self.assertEqual(contacts["object_type_id"], "0-1")
        self.assertEqual(contacts["file"], "contacts.csv")
        self.assertEqual(len(contacts["sha256"]), 64)

    def test_a_viewer_is_refused_and_nothing_is_written(self):
        result = self.backup("create", user="viewer")
        self.assertExit(result, 77)
        self.assertIn("not a super admin", result.stderr)
        self.assertFalse(self.repo.exists())
        self.assertExit(self.backup("create", user="nobody"), 77)
        self.assertFalse(self.repo.exists())

    def test_progress_bar_stays_off_when_stderr_is_not_a_terminal(self):
        result = self.backup("create")
        self.assertExit(result, 0)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertRegex(result.stderr, r"^crm-backup: backup \S+ ready: \d+ records in 9 objects, .*, "
                                        r"downloadable until \d{4}-\d\d-\d\d")
        self.assertNotIn("\r", result.stderr)

    def test_the_notification_is_recorded_and_the_notify_command_runs(self):
        out = self.dir / "notified.txt"
        command = f'printf "%s|%s|%s|%s" "$CRM_BACKUP_ID" "$CRM_BACKUP_STATE" "$CRM_BACKUP_ARCHIVE" ' \
                  f'"$CRM_BACKUP_EXIT_CODE" > "{out}"; echo to-stdout'
        result = self.backup("create", "--json", env={"CRM_NOTIFY_COMMAND": command})
        self.assertExit(result, 0)
        created = json.loads(result.stdout)  # the command's stdout went to stderr
        self.assertEqual(out.read_text(), f"{created['backup_id']}|ready|{created['archive']}|0")
        with sqlite3.connect(self.store) as db:
            kinds = [row[0] for row in db.execute("SELECT kind FROM notifications")]
        self.assertEqual(kinds, ["backup.ready"])

    def test_a_failing_notify_command_is_a_warning_only(self):
        result = self.backup("create", env={"CRM_NOTIFY_COMMAND": "exit 3"})
        self.assertExit(result, 0)
        self.assertIn("warning: the notify command exited with status 3", result.stderr)


class FrequencyTest(backuptest.BackupTestCase):
    tier = "starter"

    def test_starter_plan_allows_one_backup_per_seven_days(self):
        self.create(when="2026-01-01 02:00:00")
        refused = self.backup("create", env=at("2026-01-05 12:00:00"))
        self.assertExit(refused, 75)
        self.assertIn("next backup allowed at 2026-01-08 02:00 UTC", refused.stderr)
        self.create(when="2026-01-08 02:01:00")
        self.assertEqual(len(json.loads(self.backup("list", "--json").stdout)), 2)


class EnterpriseFrequencyTest(backuptest.BackupTestCase):
    def test_enterprise_plan_allows_one_backup_per_day(self):
        self.create(when="2026-01-01 02:00:00")
        refused = self.backup("create", env=at("2026-01-01 20:00:00"))
        self.assertExit(refused, 75)
        self.assertIn("next backup allowed at 2026-01-02 02:00 UTC", refused.stderr)
        self.create(when="2026-01-02 02:00:30")


class SensitiveAndEncryptedTest(backuptest.BackupTestCase):
    def test_exclude_sensitive_leaves_sensitive_properties_out(self):
        created = self.create("--exclude-sensitive")
        manifest = manifest_of(created["archive"])
        self.assertTrue(manifest["sensitive_excluded"])
        for name, (_, properties, sensitive) in object_types(self.store).items():
            if not record_counts(created["objects"])[name]:
                continue
            header = archive_rows(created["archive"], f"{name}.csv")[0]
            kept = [p for p in properties if p not in sensitive]
            self.assertEqual(header, ["hs_object_id"] + kept)
            entry = next(o for o in manifest["objects"] if o["name"] == name)
            self.assertEqual(entry["excluded_properties"], sensitive)
        self.assertTrue(any(sensitive for _, _, sensitive in object_types(self.store).values()))

    def test_encrypted_backup_opens_only_with_the_passphrase(self):
        secret = self.dir / "passphrase"
        secret.write_text("correct horse battery\n")
        created = self.create("--encrypt", "--passphrase-file", secret)
        with zipfile.ZipFile(created["archive"]) as zip_file:
            self.assertTrue(all(info.flag_bits & 1 for info in zip_file.infolist()))
        missing = self.backup("verify", created["backup_id"])
        self.assertExit(missing, 77)
        wrong = self.backup("verify", created["backup_id"], env={"CRM_BACKUP_PASSPHRASE": "wrong"})
        self.assertExit(wrong, 77)
        self.assertExit(self.backup("verify", created["backup_id"], env={"CRM_BACKUP_PASSPHRASE": "correct horse battery"}),
                        0)
        self.assertExit(self.backup("verify", created["backup_id"], "--passphrase-file", "-",
                                    input="correct horse battery\n"), 0)
        # Common tools open it with the passphrase.
        seven_zip = subprocess.run(["7z", "t", "-pcorrect horse battery", created["archive"]],
                                   capture_output=True, text=True)
        self.assertEqual(seven_zip.returncode, 0, seven_zip.stdout + seven_zip.stderr)

    def test_passphrase_from_stdin_and_environment(self):
        created = self.create("--encrypt", "--passphrase-file", "-", input="from stdin\n")
        self.assertExit(self.backup("verify", created["archive"], env={"CRM_BACKUP_PASSPHRASE": "from stdin"}), 0)

    def test_a_passphrase_on_the_command_line_is_refused(self):
        result = self.backup("create", "--encrypt", "--passphrase", "hunter2")
        self.assertExit(result, 64)
        self.assertNotIn("hunter2", result.stderr)
        self.assertFalse(self.repo.exists())

    def test_encrypt_without_a_passphrase_is_a_usage_error(self):
        result = self.backup("create", "--encrypt")
        self.assertExit(result, 64)
        self.assertFalse(self.repo.exists())


if __name__ == "__main__":
    unittest.main()
