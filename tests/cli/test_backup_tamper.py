"""A backup's archive is used only after it matches what the catalog recorded
when it was made (SPEC 8): the SHA-256 for restore, verify and show by id;
AES encryption throughout when the catalog says encrypted; a manifest for any
archive in the repository; a restore by id only inside the download window;
a manifest that names its store."""
import hashlib
import json
import sqlite3
import zipfile

import backuptest
from backuptest import at


def rezip(source, target, change=None):
    """Copies every entry of `source` into a new zip at `target`, stored
    instead of deflated (other bytes, same content); `change(name, data)`
    may return new content for an entry, or None to leave it out."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as new:
        for info in old.infolist():
            data = old.read(info)
            if change is not None:
                data = change(info.filename, data)
            if data is not None:
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.external_attr = 0o100600 << 16
                new.writestr(entry, data)


class TamperTest(backuptest.BackupTestCase):
    contacts = 100

    def plan(self, backup, env=None, output="deals.plan"):
        return self.run_tool("crm-restore", "plan", "--backup", backup, "--repo", self.repo, "--store", self.store,
                             "--as", "admin", "--object", "deals", "--properties", "dealstage",
                             "-o", self.dir / output, env=env)

    def record_in_catalog(self, backup_id, archive):
        """What an attacker who can write the catalog too would do: make the
        row's hash and size those of the swapped-in file."""
        with open(archive, "rb") as file:
            data = file.read()
        with sqlite3.connect(self.repo / "catalog.sqlite") as db:
            db.execute("UPDATE backups SET sha256 = ?, size_bytes = ? WHERE id = ?",
                       (hashlib.sha256(data).hexdigest(), len(data), backup_id))

    def test_an_archive_that_differs_from_its_recorded_hash_is_refused_by_id(self):
        created = self.create()
        swapped = self.dir / "swapped.zip"
        rezip(created["archive"], swapped)
        swapped.replace(created["archive"])
        # The file alone is sound: only the catalog's hash tells it was swapped.
        self.assertExit(self.backup("verify", created["archive"]), 0)
        for result in (self.backup("verify", created["backup_id"]), self.backup("show", created["backup_id"]),
                       self.plan(created["backup_id"])):
            self.assertExit(result, 65)
            self.assertIn("does not match the SHA-256 recorded", result.stderr)
        self.assertFalse((self.dir / "deals.plan").exists())

    def test_an_encrypted_backup_swapped_for_a_plaintext_archive_is_refused(self):
        plain = self.create(when="2026-01-01 02:00:00")
        result = self.backup("create", "--json", "--encrypt", "--passphrase-file", "-",
                             env=at("2026-01-03 02:00:00"), input="correct horse\n")
        self.assertExit(result, 0)
        encrypted = json.loads(result.stdout)
        self.assertTrue(encrypted["encrypted"])
        with open(plain["archive"], "rb") as source, open(encrypted["archive"], "wb") as target:
            target.write(source.read())
        self.record_in_catalog(encrypted["backup_id"], encrypted["archive"])
        passphrase = {"CRM_BACKUP_PASSPHRASE": "correct horse"}
        for result in (self.backup("verify", encrypted["backup_id"], env=passphrase),
                       self.backup("show", encrypted["backup_id"], env=passphrase),
                       self.plan(encrypted["backup_id"], env={**passphrase, **at("2026-01-04 00:00:00")})):
            self.assertExit(result, 65)
            self.assertIn("is not AES-encrypted", result.stderr)

    def test_a_repository_archive_without_a_manifest_is_refused_not_read_as_an_export(self):
        created = self.create()
        stripped = self.dir / "stripped.zip"
        rezip(created["archive"], stripped, lambda name, data: None if name == "manifest.json" else data)
        stripped.replace(created["archive"])
        self.record_in_catalog(created["backup_id"], created["archive"])
        result = self.plan(created["backup_id"])
        self.assertExit(result, 65)
        self.assertIn("holds no manifest.json", result.stderr)
        self.assertFalse((self.dir / "deals.plan").exists())

    def test_a_restore_by_id_after_the_download_window_says_when_it_expired(self):
        created = self.create(when="2026-01-01 02:00:00")
        self.assertExit(self.plan(created["backup_id"], env=at("2026-01-14 12:00:00")), 0)
        late = self.plan(created["backup_id"], env=at("2026-01-15 02:00:01"), output="late.plan")
        self.assertExit(late, 66)
        self.assertIn("expired on 2026-01-15", late.stderr)
        self.assertFalse((self.dir / "late.plan").exists())

    def test_a_manifest_without_a_store_id_is_refused_for_a_restore(self):
        created = self.create()
        anonymous = self.dir / "anonymous.zip"

        def clear_store_id(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            manifest["store_id"] = ""
            return json.dumps(manifest).encode()
        rezip(created["archive"], anonymous, clear_store_id)
        self.assertExit(self.backup("verify", anonymous), 0)
        result = self.plan(anonymous)
        self.assertExit(result, 65)
        self.assertIn("names no store", result.stderr)
        self.assertFalse((self.dir / "deals.plan").exists())


if __name__ == "__main__":
    import unittest
    unittest.main()
