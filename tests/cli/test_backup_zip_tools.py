"""crm-backup create writes zips that every common tool reads, the same bytes
whatever --threads says; --level trades size for time; the reported SHA-256
is the archive's (SPEC §1, §2 "Reproducible archives", §6)."""
import hashlib
import json
import pathlib
import sqlite3
import subprocess
import unittest
import zipfile

import backuptest
from backuptest import archive_rows, at, object_types

WHEN = "2026-01-01 02:00:00"
PASSPHRASE = "correct horse battery"


def tool_check(command):
    completed = subprocess.run(command, capture_output=True, text=True)
    return completed.returncode, (completed.stdout + completed.stderr)[-2000:]


class ZipToolsTest(backuptest.BackupTestCase):
    contacts = 3000

    def create_in(self, repo_name, *args, input=None):
        result = self.run_tool("crm-backup", "create", "--json", *args, "--store", self.store,
                               "--repo", self.dir / repo_name, "--as", "admin", env=at(WHEN), input=input)
        self.assertExit(result, 0)
        return json.loads(result.stdout)

    def test_the_archive_is_the_same_bytes_with_1_2_and_4_threads(self):
        archives = {threads: self.create_in(f"repo-{threads}", "--threads", threads) for threads in (1, 2, 4)}
        contents = {threads: pathlib.Path(created["archive"]).read_bytes() for threads, created in archives.items()}
        self.assertEqual(contents[1], contents[2])
        self.assertEqual(contents[1], contents[4])
        for created in archives.values():
            self.assertEqual(created["sha256"], hashlib.sha256(contents[1]).hexdigest())
            self.assertEqual(created["size_bytes"], len(contents[1]))

    def test_every_common_tool_reads_the_archive(self):
        archive = self.create_in("repo")["archive"]
        for command in (["python3", "-m", "zipfile", "-t", archive], ["7z", "t", archive],
                        ["bsdtar", "-tf", archive], ["unzip", "-t", archive]):
            code, output = tool_check(command)
            self.assertEqual(code, 0, f"{command[0]}: {output}")
        with zipfile.ZipFile(archive) as zip_file:
            self.assertIsNone(zip_file.testzip())
            self.assertEqual(zip_file.namelist()[-1], "manifest.json")
            self.assertTrue(all(info.date_time == (2026, 1, 1, 2, 0, 0) for info in zip_file.infolist()))

    def test_an_object_with_one_record_and_an_empty_one_make_an_archive_every_tool_reads(self):
        table, _, _ = object_types(self.store)["contacts"]
        with sqlite3.connect(self.store) as db:
            db.execute(f'DELETE FROM "{table}" WHERE hs_object_id > (SELECT MIN(hs_object_id) FROM "{table}")')
        created = self.create_in("repo", "--objects", "contacts,tickets")
        self.assertEqual(created["objects"], [{"name": "contacts", "records": 1}, {"name": "tickets", "records": 0}])
        archive = created["archive"]
        with zipfile.ZipFile(archive) as zip_file:
            self.assertEqual(zip_file.namelist(), ["contacts.csv", "manifest.json"])
        self.assertEqual(len(archive_rows(archive, "contacts.csv")), 2)
        for command in (["python3", "-m", "zipfile", "-t", archive], ["7z", "t", archive],
                        ["bsdtar", "-tf", archive], ["unzip", "-t", archive]):
            code, output = tool_check(command)
            self.assertEqual(code, 0, f"{command[0]}: {output}")

    def test_an_encrypted_archive_opens_in_7zip_and_bsdtar_with_the_passphrase(self):
        created = self.create_in("repo", "--encrypt", "--passphrase-file", "-", input=PASSPHRASE + "\n")
        archive = created["archive"]
        self.assertEqual(created["sha256"], hashlib.sha256(pathlib.Path(archive).read_bytes()).hexdigest())
        code, output = tool_check(["7z", "t", "-p" + PASSPHRASE, archive])
        self.assertEqual(code, 0, output)
        code, _ = tool_check(["7z", "t", "-pwrong", archive])
        self.assertNotEqual(code, 0)
        out = self.dir / "bsdtar"
        out.mkdir()
        code, output = tool_check(["bsdtar", "-x", "--passphrase", PASSPHRASE, "-f", archive, "-C", str(out)])
        self.assertEqual(code, 0, output)
        plain = self.create_in("repo-plain")["archive"]
        with zipfile.ZipFile(plain) as zip_file:
            for name in zip_file.namelist():
                self.assertEqual((out / name).read_bytes(), zip_file.read(name), name)
        self.assertExit(self.run_tool("crm-backup", "verify", archive, "--store", self.store, "--repo",
                                      self.dir / "repo", "--as", "admin", env={"CRM_BACKUP_PASSPHRASE": PASSPHRASE}), 0)

    def test_level_changes_the_size_not_the_content_nor_the_manifest(self):
        fast = self.create_in("repo-1", "--level", "1")
        small = self.create_in("repo-9", "--level", "9")
        self.assertGreater(fast["size_bytes"], small["size_bytes"])
        with zipfile.ZipFile(fast["archive"]) as first, zipfile.ZipFile(small["archive"]) as second:
            self.assertEqual(first.namelist(), second.namelist())
            for name in first.namelist():
                self.assertEqual(first.read(name), second.read(name), name)

    def test_out_of_range_level_and_threads_are_usage_errors(self):
        for args in (["--level", "0"], ["--level", "10"], ["--threads", "0"], ["--threads", "many"]):
            result = self.run_tool("crm-backup", "create", *args, "--store", self.store, "--repo", self.dir / "r",
                                   "--as", "admin")
            self.assertExit(result, 64)
            self.assertFalse((self.dir / "r").exists())


if __name__ == "__main__":
    unittest.main()
