"""crm-backup export ID -o DIR [--spreadsheet] (issue 16): a backup's CSV
files as plain files. Exact: the archive's bytes. For spreadsheets: a UTF-8
byte order mark, property labels as headers, and text a spreadsheet would
run as a formula escaped with an apostrophe (OWASP, CSV injection), numbers
of number properties left as numbers. Everything is read back independently
of the code under test (Python's zipfile, csv and sqlite3)."""
import csv
import hashlib
import io
import json
import os
import pathlib
import re
import shutil
import sqlite3
import stat
import unittest
import zipfile

import backuptest
from backuptest import archive_rows, manifest_of, object_types, store_rows

BOM = b"\xef\xbb\xbf"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
PASSPHRASE = "correct horse battery"


def spreadsheet_cell(value, is_number):
    """The rule of the issue, written again here: a value starting like a
    formula gets an apostrophe, unless it is a number of a number property."""
    if value.startswith(FORMULA_START) and not (is_number and NUMBER.fullmatch(value)):
        return "'" + value
    return value


class ExportTest(backuptest.BackupTestCase):
    contacts = 200

    def setUp(self):
        super().setUp()
        table, _, _ = object_types(self.store)["contacts"]
        with sqlite3.connect(self.store) as db:
            self.first, self.second = [row[0] for row in db.execute(
                f'SELECT hs_object_id FROM "{table}" ORDER BY hs_object_id LIMIT 2')]
            db.execute(f'UPDATE "{table}" SET jobtitle = ?, city = ?, annualrevenue = ?, message = ? '
                       'WHERE hs_object_id = ?', ("=1+1", "São Paulo", "-42.5", 'a,b\r\nsay "hi"', self.first))
            db.execute(f'UPDATE "{table}" SET jobtitle = ?, annualrevenue = ?, city = ? WHERE hs_object_id = ?',
                       ("@SUM(A1:A9)", "-1+cmd|' /C calc'!A0", "\tTab", self.second))
        self.created = self.create()
        self.id = self.created["backup_id"]
        self.archive = self.created["archive"]
        self.out = self.dir / "export"

    def export(self, *args, **kwargs):
        return self.backup("export", *args, **kwargs)

    def files_with_records(self, manifest):
        return [o for o in manifest["objects"] if o["record_count"] > 0]

    def assertNothingIn(self, directory):
        self.assertFalse(directory.exists() and any(directory.iterdir()),
                         f"left behind: {list(directory.iterdir()) if directory.exists() else None}")

    def test_exact_export_is_the_archives_bytes(self):
        result = self.export(self.id, "-o", self.out, "--json")
        self.assertExit(result, 0)
        self.assertEqual(result.stderr, "")
        report = json.loads(result.stdout)
        manifest = manifest_of(self.archive)
        self.assertEqual(list(report), ["backup_id", "directory", "spreadsheet", "files"])
        self.assertEqual(report["backup_id"], self.id)
        self.assertEqual(report["directory"], str(self.out.resolve()))
        self.assertTrue(os.path.isabs(report["directory"]))
        self.assertIs(report["spreadsheet"], False)
        wanted = self.files_with_records(manifest)
        self.assertEqual([f["object"] for f in report["files"]], [o["name"] for o in wanted])
        self.assertEqual(sorted(p.name for p in self.out.iterdir()), sorted(o["file"] for o in wanted))
        self.assertEqual(stat.S_IMODE(self.out.stat().st_mode), 0o700)
        with zipfile.ZipFile(self.archive) as zip_file:
            for entry, file in zip(wanted, report["files"]):
                self.assertEqual(file["path"], str(self.out.resolve() / entry["file"]))
                self.assertEqual(file["records"], entry["record_count"])
                data = pathlib.Path(file["path"]).read_bytes()
                self.assertEqual(data, zip_file.read(entry["file"]), entry["file"])
                self.assertEqual(hashlib.sha256(data).hexdigest(), entry["sha256"])
                self.assertEqual(stat.S_IMODE(os.stat(file["path"]).st_mode), 0o600)

    def test_spreadsheet_export_escapes_formulas_and_keeps_numbers(self):
        copy = self.dir / "copy.zip"
        shutil.copyfile(self.archive, copy)  # by file, not id
        result = self.export(copy, "-o", self.out, "--spreadsheet", "--json")
        self.assertExit(result, 0)
        report = json.loads(result.stdout)
        self.assertIs(report["spreadsheet"], True)
        manifest = manifest_of(self.archive)
        contacts = next(o for o in manifest["objects"] if o["name"] == "contacts")
        labels = {p["name"]: p["label"] for p in contacts["properties"]}
        data = (self.out / "contacts.csv").read_bytes()
        self.assertTrue(data.startswith(BOM))
        self.assertFalse(data[3:].startswith(BOM))
        self.assertIn("São Paulo".encode("utf-8"), data)
        rows = list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))
        header = ["Record ID"] + [p["label"] for p in contacts["properties"]]
        self.assertEqual(rows[0], header)
        by_id = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
        first, second = by_id[str(self.first)], by_id[str(self.second)]
        self.assertEqual(first[labels["jobtitle"]], "'=1+1")
        self.assertEqual(first[labels["annualrevenue"]], "-42.5")
        self.assertEqual(first[labels["city"]], "São Paulo")
        self.assertEqual(first[labels["message"]], 'a,b\r\nsay "hi"')
        self.assertEqual(second[labels["jobtitle"]], "'@SUM(A1:A9)")
        self.assertEqual(second[labels["annualrevenue"]], "'-1+cmd|' /C calc'!A0")
        self.assertEqual(second[labels["city"]], "'\tTab")
        # Every cell of every file follows the rule, and nothing else changes.
        self.assertEqual([f["object"] for f in report["files"]],
                         [o["name"] for o in self.files_with_records(manifest)])
        for entry, file in zip(self.files_with_records(manifest), report["files"]):
            is_number = [True] + [p["type"] == "number" for p in entry["properties"]]
            original = archive_rows(self.archive, entry["file"])
            data = pathlib.Path(file["path"]).read_bytes()
            self.assertTrue(data.startswith(BOM))
            exported = list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))
            self.assertEqual(len(exported) - 1, entry["record_count"])
            self.assertEqual(file["records"], entry["record_count"])
            self.assertEqual(exported[0][0], "Record ID")
            for before, after in zip(original[1:], exported[1:]):
                self.assertEqual(after, [spreadsheet_cell(v, n) for v, n in zip(before, is_number)])

    def test_text_output_is_one_line_per_file_and_a_summary(self):
        result = self.export(self.id, "-o", self.out)
        self.assertExit(result, 0)
        self.assertEqual(result.stderr, "")
        lines = result.stdout.splitlines()
        files = self.files_with_records(manifest_of(self.archive))
        self.assertEqual(len(lines), len(files) + 1)
        self.assertEqual(lines[0], f"{self.out.resolve() / files[0]['file']}: {files[0]['record_count']} records")
        self.assertIn(str(self.out.resolve()), lines[-1])
        self.assertIn(self.id, lines[-1])

    def test_a_missing_directory_is_made_with_its_parents(self):
        deep = self.dir / "a" / "b" / "c"
        self.assertExit(self.export(self.id, "-o", deep), 0)
        self.assertTrue((deep / "contacts.csv").is_file())
        self.assertEqual(stat.S_IMODE(deep.stat().st_mode), 0o700)

    def test_an_unknown_backup_is_66(self):
        result = self.export("20200101T000000Z-0000", "-o", self.out)
        self.assertExit(result, 66)
        self.assertFalse(self.out.exists())
        self.assertExit(self.export(self.dir / "missing.zip", "-o", self.out), 66)

    def test_a_missing_output_is_a_usage_error(self):
        result = self.export(self.id)
        self.assertExit(result, 64)
        self.assertIn("-o", result.stderr)

    def test_an_existing_file_is_never_replaced(self):
        self.out.mkdir()
        (self.out / "notes.txt").write_text("mine")
        self.assertExit(self.export(self.id, "-o", self.out), 0)  # other files are no obstacle
        (self.out / "deals.csv").write_text("mine")
        contacts_before = (self.out / "contacts.csv").read_bytes()
        (self.out / "contacts.csv").unlink()
        for args in ((), ("--spreadsheet",)):
            result = self.export(self.id, "-o", self.out, *args)
            self.assertExit(result, 73)
            self.assertIn("already exists", result.stderr)
        # Nothing written, nothing replaced: contacts.csv is not back, deals.csv is still ours.
        self.assertFalse((self.out / "contacts.csv").exists())
        self.assertEqual((self.out / "deals.csv").read_text(), "mine")
        self.assertFalse([p for p in self.out.iterdir() if p.name.startswith(".tmp-")])
        self.assertTrue(contacts_before)

    def test_a_directory_that_cannot_be_made_is_73(self):
        blocker = self.dir / "blocker"
        blocker.write_text("a regular file")
        for target in (blocker, blocker / "sub"):
            result = self.export(self.id, "-o", target)
            self.assertExit(result, 73)
            self.assertIn(str(blocker), result.stderr)
        self.assertEqual(blocker.read_text(), "a regular file")

    @unittest.skipIf(os.geteuid() == 0, "root writes any directory")
    def test_a_read_only_directory_is_73(self):
        self.out.mkdir(mode=0o500)
        self.assertExit(self.export(self.id, "-o", self.out), 73)

    def test_a_viewer_may_not_export(self):
        for user in ("viewer", "nobody"):
            result = self.export(self.id, "-o", self.out, user=user)
            self.assertExit(result, 77)
            self.assertFalse(self.out.exists())
        no_store = self.run_tool("crm-backup", "export", self.id, "-o", self.out, "--repo", self.repo,
                                 "--as", "admin")
        self.assertExit(no_store, 64)
        self.assertFalse(self.out.exists())

    def test_a_damaged_archive_is_65_and_leaves_nothing(self):
        copy = self.dir / "copy.zip"
        with zipfile.ZipFile(self.archive) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                target.writestr(info.filename, data.replace(b"@", b"#", 1) if info.filename == "contacts.csv" else data)
        for args in ((), ("--spreadsheet",)):
            result = self.export(copy, "-o", self.out, *args)
            self.assertExit(result, 65)
            self.assertIn("SHA-256 of contacts.csv", result.stderr)
            self.assertFalse(self.out.exists())


class EncryptedExportTest(backuptest.BackupTestCase):
    contacts = 100

    def test_an_encrypted_backup_exports_with_its_passphrase(self):
        secret = self.dir / "passphrase"
        secret.write_text(PASSPHRASE + "\n")
        created = self.create("--encrypt", "--passphrase-file", secret)
        out = self.dir / "export"
        missing = self.backup("export", created["backup_id"], "-o", out)
        self.assertExit(missing, 77)
        self.assertFalse(out.exists())
        wrong = self.dir / "wrong"
        wrong.write_text("not the passphrase\n")
        self.assertExit(self.backup("export", created["backup_id"], "-o", out, "--passphrase-file", wrong), 77)
        self.assertFalse(out.exists())
        result = self.backup("export", created["backup_id"], "-o", out, "--passphrase-file", secret, "--json")
        self.assertExit(result, 0)
        report = json.loads(result.stdout)
        self.assertEqual([f["object"] for f in report["files"]],
                         [name for name, records in backuptest.record_counts(created["objects"]).items() if records > 0])
        # Python's zipfile cannot open WinZip AES: compare with the store instead.
        _, names, _ = object_types(self.store)["contacts"]
        exported = list(csv.reader(io.StringIO((out / "contacts.csv").read_bytes().decode("utf-8"), newline="")))
        self.assertEqual(exported[0], ["hs_object_id"] + names)
        self.assertEqual(exported[1:], store_rows(self.store, "contacts"))
        sheet = self.dir / "sheet"
        self.assertExit(self.backup("export", created["backup_id"], "-o", sheet, "--spreadsheet", env={
            "CRM_BACKUP_PASSPHRASE": PASSPHRASE}), 0)
        self.assertTrue((sheet / "contacts.csv").read_bytes().startswith(BOM))


if __name__ == "__main__":
    unittest.main()
