"""crm-backup verify: a good archive passes; a corrupted, truncated or
tampered one fails with exit 65 and one stderr line naming the problem."""
import csv
import hashlib
import io
import json
import shutil
import unittest
import zipfile

import backuptest


class VerifyTest(backuptest.BackupTestCase):
    def setUp(self):
        super().setUp()
        self.created = self.create()
        self.archive = self.dir / "copy.zip"
        shutil.copyfile(self.created["archive"], self.archive)

    def rewrite(self, edit):
        """Rewrites the copy entry by entry; edit(name, data) returns new data, or None to drop the entry."""
        with zipfile.ZipFile(self.archive) as source:
            entries = [(info.filename, source.read(info)) for info in source.infolist()]
        with zipfile.ZipFile(self.archive, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in entries:
                new = edit(name, data)
                if new is not None:
                    target.writestr(name, new)

    def rewrite_with_manifest(self, edit_csv, edit_manifest=lambda manifest: None):
        """Edits contacts.csv and keeps the manifest's checksum consistent with it."""
        with zipfile.ZipFile(self.archive) as source:
            manifest = json.loads(source.read("manifest.json"))
            contacts = edit_csv(source.read("contacts.csv"))
        entry = next(o for o in manifest["objects"] if o["name"] == "contacts")
        entry["sha256"] = hashlib.sha256(contacts).hexdigest()
        edit_manifest(manifest)
        self.rewrite(lambda name, data: contacts if name == "contacts.csv"
                     else json.dumps(manifest).encode() if name == "manifest.json" else data)

    def assertDamaged(self, wanted_text):
        result = self.backup("verify", self.archive)
        self.assertExit(result, 65)
        self.assertIn(wanted_text, result.stderr)
        return result

    def test_a_good_backup_verifies_by_id_and_by_file(self):
        by_id = self.backup("verify", self.created["backup_id"], "--json")
        self.assertExit(by_id, 0)
        report = json.loads(by_id.stdout)
        self.assertTrue(report["ok"])
        self.assertEqual(report["records"], sum(o["records"] for o in self.created["objects"]))
        self.assertExit(self.backup("verify", self.archive), 0)

    def test_a_flipped_byte_in_a_csv_entry_is_found(self):
        with zipfile.ZipFile(self.archive) as zip_file:
            info = zip_file.getinfo("contacts.csv")
        data = bytearray(self.archive.read_bytes())
        name_length = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
        extra_length = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
        position = info.header_offset + 30 + name_length + extra_length + info.compress_size // 2
        data[position] ^= 0x01
        self.archive.write_bytes(bytes(data))
        result = self.backup("verify", self.archive)
        self.assertExit(result, 65)
        # In our words, not libarchive's ("ZIP uncompressed data is wrong size").
        self.assertRegex(result.stderr, r'entry "contacts.csv" is (damaged|cut short): ')
        self.assertNotIn("ZIP", result.stderr)

    def test_a_truncated_archive_is_found(self):
        data = self.archive.read_bytes()
        self.archive.write_bytes(data[:len(data) // 2])
        self.assertExit(self.backup("verify", self.archive), 65)

    def test_edited_record_counts_in_the_manifest_are_found(self):
        def edit(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            next(o for o in manifest["objects"] if o["name"] == "deals")["record_count"] += 1
            return json.dumps(manifest).encode()
        self.rewrite(edit)
        self.assertDamaged("the manifest says")

    def test_an_edited_csv_entry_is_found_by_its_checksum(self):
        self.rewrite(lambda name, data: data.replace(b"@", b"#", 1) if name == "contacts.csv" else data)
        self.assertDamaged("SHA-256 of contacts.csv does not match")

    def test_an_appended_entry_is_found(self):
        with zipfile.ZipFile(self.archive, "a") as zip_file:
            zip_file.writestr("extra.csv", "hs_object_id\r\n1\r\n")
        self.assertDamaged("unexpected entry 'extra.csv'")

    def test_diff_verifies_alongside_and_prints_nothing_from_a_damaged_archive(self):
        # Diff reads the entries it compares through checked cursors while the
        # whole archive is verified on another thread: an entry no cursor
        # reads is still found, and no report is printed.
        with zipfile.ZipFile(self.archive, "a") as zip_file:
            zip_file.writestr("extra.csv", "hs_object_id\r\n1\r\n")
        for args in (("--live",), (self.created["archive"],)):
            for output in ((), ("--json",)):
                with self.subTest(args=args, output=output):
                    result = self.backup("diff", self.archive, *args, *output)
                    self.assertExit(result, 65)
                    self.assertIn("unexpected entry 'extra.csv'", result.stderr)
                    if output:
                        self.assertEqual(list(json.loads(result.stdout)), ["error"])
                    else:
                        self.assertEqual(result.stdout, "")
        edited = self.dir / "edited.zip"
        shutil.copyfile(self.created["archive"], edited)
        self.archive = edited
        self.rewrite(lambda name, data: data.replace(b"@", b"#", 1) if name == "contacts.csv" else data)
        result = self.backup("diff", edited, "--live")
        self.assertExit(result, 65)
        self.assertIn("contacts.csv", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_an_entry_with_a_foreign_name_is_refused(self):
        with zipfile.ZipFile(self.archive, "a") as zip_file:
            zip_file.writestr("../evil.txt", "x")
        self.assertExit(self.backup("verify", self.archive), 65)

    def test_a_missing_csv_entry_is_found(self):
        self.rewrite(lambda name, data: None if name == "deals.csv" else data)
        self.assertDamaged("deals.csv, named in the manifest, is missing")

    def test_a_missing_manifest_is_found(self):
        self.rewrite(lambda name, data: None if name == "manifest.json" else data)
        self.assertDamaged("manifest.json is missing")

    def test_malformed_csv_is_found_even_with_a_matching_checksum(self):
        self.rewrite_with_manifest(lambda data: data.replace(b"\r\n", b'\r\n"', 1))
        self.assertExit(self.backup("verify", self.archive), 65)

    def test_a_header_that_differs_from_the_manifest_is_found(self):
        self.rewrite_with_manifest(lambda data: data.replace(b"hs_object_id,", b"hs_object_id,x", 1))
        self.assertDamaged("header row of contacts.csv")

    def test_ids_out_of_order_are_found(self):
        def swap(data):
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
            rows[1], rows[2] = rows[2], rows[1]
            out = io.StringIO(newline="")
            csv.writer(out, lineterminator="\r\n").writerows(rows)
            return out.getvalue().encode("utf-8")
        self.rewrite_with_manifest(swap)
        self.assertDamaged("increasing order")

    def test_verify_by_id_is_remembered_by_list_and_check(self):
        listed = json.loads(self.backup("list", "--json").stdout)[0]
        self.assertEqual((listed["checked"], listed["verified_at"], listed["damage"]), ("complete", None, None))
        unverified = self.run_tool("crm-schedule", "--repo", self.repo, "check", "--max-age", "8d", "--verified")
        self.assertExit(unverified, 75)
        self.assertIn(f"newest backup {self.created['backup_id']} has not passed verify", unverified.stderr)

        self.assertExit(self.backup("verify", self.created["backup_id"]), 0)
        listed = json.loads(self.backup("list", "--json").stdout)[0]
        self.assertEqual(listed["checked"], "verified")
        self.assertRegex(listed["verified_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertRegex(self.backup("list").stdout, rf"{self.created['backup_id']} .* ready +yes ")
        self.assertExit(self.run_tool("crm-schedule", "--repo", self.repo, "check", "--max-age", "8d", "--verified"), 0)

        # The repository's own archive damaged: verify says so, and so do list and check.
        archive = self.created["archive"]
        data = bytearray(open(archive, "rb").read())
        data[len(data) // 2] ^= 0x01
        with open(archive, "wb") as damaged:
            damaged.write(data)
        self.assertExit(self.backup("verify", self.created["backup_id"]), 65)
        listed = json.loads(self.backup("list", "--json").stdout)[0]
        self.assertEqual(listed["checked"], "damaged")
        self.assertIn("does not match the SHA-256 recorded", listed["damage"])
        self.assertIn("DAMAGED", self.backup("list").stdout)
        check = self.run_tool("crm-schedule", "--repo", self.repo, "check", "--max-age", "8d")
        self.assertExit(check, 75)
        self.assertIn(f"newest backup {self.created['backup_id']} is damaged", check.stderr)

    def test_verify_of_a_file_records_nothing(self):
        self.assertExit(self.backup("verify", self.archive), 0)
        self.assertEqual(json.loads(self.backup("list", "--json").stdout)[0]["checked"], "complete")

    def test_a_missing_archive_is_not_found(self):
        self.assertExit(self.backup("verify", self.dir / "nothing.zip"), 66)
        self.assertExit(self.backup("verify", "20260101T000000Z-0000"), 66)

    def test_verify_json_reports_the_problem_on_stdout_too(self):
        self.rewrite(lambda name, data: None if name == "manifest.json" else data)
        result = self.backup("verify", self.archive, "--json")
        self.assertExit(result, 65)
        error = json.loads(result.stdout)["error"]
        self.assertEqual(error["exit_code"], 65)
        self.assertIn("manifest.json is missing", error["message"])


if __name__ == "__main__":
    unittest.main()
