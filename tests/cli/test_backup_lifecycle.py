"""list, show, download (14-day window), prune and diff through crm-backup."""
import json
import os
import sqlite3
import stat
import unittest

import backuptest
from backuptest import at


class LifecycleTest(backuptest.BackupTestCase):
    def test_list_show_and_download_inside_the_window(self):
        created = self.create("--note", "before the migration", when="2026-01-01 02:00:00")
        listed = self.backup("list", "--json", env=at("2026-01-02 00:00:00"))
        self.assertExit(listed, 0)
        backups = json.loads(listed.stdout)
        self.assertEqual([b["backup_id"] for b in backups], [created["backup_id"]])
        self.assertEqual(backups[0]["state"], "ready")
        self.assertEqual(backups[0]["expires_at"], "2026-01-15T02:00:00Z")
        self.assertEqual(backups[0]["objects"], created["objects"])

        shown = self.backup("show", created["backup_id"], "--json")
        self.assertExit(shown, 0)
        show = json.loads(shown.stdout)
        self.assertEqual(show["note"], "before the migration")
        self.assertEqual({o["name"]: o["record_count"] for o in show["manifest"]["objects"]}, backuptest.record_counts(created["objects"]))
        self.assertIn("contacts", self.backup("show", created["backup_id"]).stdout)

        out = self.dir / "out.zip"
        downloaded = self.backup("download", created["backup_id"], "-o", out, env=at("2026-01-14 12:00:00"))
        self.assertExit(downloaded, 0)
        self.assertEqual(out.read_bytes(), open(created["archive"], "rb").read())
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)

    def test_show_of_an_encrypted_backup_without_its_passphrase_prints_what_the_catalog_knows(self):
        passphrase = {"CRM_BACKUP_PASSPHRASE": "correct horse battery staple"}
        made = self.backup("create", "--json", "--encrypt", env=passphrase)
        self.assertExit(made, 0)
        created = json.loads(made.stdout)
        shown = self.backup("show", created["backup_id"])
        self.assertExit(shown, 0)
        self.assertIn("encrypted   yes (AES-256)", shown.stdout)
        self.assertIn("give --passphrase-file FILE or CRM_BACKUP_PASSPHRASE", shown.stdout)
        as_json = json.loads(self.backup("show", created["backup_id"], "--json").stdout)
        self.assertIsNone(as_json["manifest"])
        self.assertEqual({o["name"]: o["records"] for o in as_json["objects"]}, backuptest.record_counts(created["objects"]))
        # The property names are inside the archive.
        refused = self.backup("show", created["backup_id"], "--properties")
        self.assertExit(refused, 77)
        self.assertIn("inside its encrypted archive", refused.stderr)

        with_passphrase = json.loads(self.backup("show", created["backup_id"], "--json", "--properties", env=passphrase).stdout)
        self.assertIsNotNone(with_passphrase["manifest"])
        contacts = next(o for o in with_passphrase["objects"] if o["name"] == "contacts")
        self.assertIn("email", contacts["property_names"])

    def test_show_properties_lists_each_objects_property_names(self):
        created = self.create()
        shown = self.backup("show", created["backup_id"], "--properties")
        self.assertExit(shown, 0)
        self.assertIn("\n  email\n", shown.stdout)
        self.assertIn("\n  dealstage\n", shown.stdout)

    def test_download_after_fourteen_days_says_when_it_expired(self):
        created = self.create(when="2026-01-01 02:00:00")
        out = self.dir / "late.zip"
        late = self.backup("download", created["backup_id"], "-o", out, env=at("2026-01-15 02:00:01"))
        self.assertExit(late, 66)
        self.assertIn("2026-01-15", late.stderr)
        self.assertFalse(out.exists())
        listed = json.loads(self.backup("list", "--json", env=at("2026-01-16 00:00:00")).stdout)
        self.assertEqual(listed[0]["state"], "expired")

    def test_unknown_backups_are_not_found(self):
        self.create()
        self.assertExit(self.backup("show", "20200101T000000Z-0000"), 66)
        self.assertExit(self.backup("download", "20200101T000000Z-0000", "-o", self.dir / "x.zip"), 66)

    def test_list_without_a_repository_is_not_found_and_creates_nothing(self):
        result = self.backup("list")
        self.assertExit(result, 66)
        self.assertFalse(self.repo.exists())

    def test_prune_removes_expired_archives_unless_a_keep_rule_holds_them(self):
        first = self.create(when="2026-01-01 02:00:00")
        second = self.create(when="2026-02-01 02:00:00")
        third = self.create(when="2026-03-01 02:00:00")
        dry = self.backup("prune", "--dry-run", "--json", env=at("2026-03-05 00:00:00"))
        self.assertExit(dry, 0)
        actions = {b["backup_id"]: b["action"] for b in json.loads(dry.stdout)["backups"]}
        self.assertEqual(actions, {first["backup_id"]: "remove", second["backup_id"]: "remove", third["backup_id"]: "keep"})
        self.assertTrue(os.path.exists(first["archive"]))

        kept = self.backup("prune", "--keep-monthly", "2", env=at("2026-03-05 00:00:00"))
        self.assertExit(kept, 0)
        self.assertIn(f"removed {first['backup_id']}", kept.stdout)
        self.assertFalse(os.path.exists(first["archive"]))
        self.assertTrue(os.path.exists(second["archive"]))
        listed = [b["backup_id"] for b in json.loads(self.backup("list", "--json").stdout)]
        self.assertEqual(listed, [third["backup_id"], second["backup_id"]])

    def test_prune_keeps_the_newest_backup_unless_allow_empty(self):
        first = self.create(when="2026-01-01 02:00:00")
        second = self.create(when="2026-01-02 02:00:00")
        pruned = self.backup("prune", env=at("2026-03-05 00:00:00"))
        self.assertExit(pruned, 0)
        self.assertIn(f"kept {second['backup_id']} (the newest backup; --allow-empty removes it too)", pruned.stdout)
        self.assertFalse(os.path.exists(first["archive"]))
        self.assertTrue(os.path.exists(second["archive"]))

        emptied = self.backup("prune", "--allow-empty", env=at("2026-03-05 00:00:00"))
        self.assertExit(emptied, 0)
        self.assertIn(f"removed {second['backup_id']}", emptied.stdout)
        self.assertFalse(os.path.exists(second["archive"]))
        self.assertEqual(json.loads(self.backup("list", "--json").stdout), [])

    def test_diff_of_two_backups_and_against_the_live_store(self):
        before = self.create(when="2026-01-01 02:00:00")
        unchanged = self.backup("diff", before["backup_id"], "--live", "--json")
        self.assertExit(unchanged, 0)
        self.assertFalse(json.loads(unchanged.stdout)["has_differences"])

        self.assertExit(self.run_tool("crm-demo", "mutate", "--store", self.store), 0)
        live = self.backup("diff", before["backup_id"], "--live", "--json")
        self.assertExit(live, 0)
        after = self.create(when="2026-01-03 02:00:00")
        between = self.backup("diff", before["backup_id"], after["backup_id"], "--json")
        self.assertExit(between, 0)
        for report in (json.loads(live.stdout), json.loads(between.stdout)):
            self.assertTrue(report["has_differences"])
            objects = {o["name"]: o for o in report["objects"]}
            self.assertGreater(objects["deals"]["changed"], 0)
            self.assertIn("dealstage", objects["deals"]["changed_by_property"])
            self.assertGreater(objects["contacts"]["removed"], 0)
            self.assertGreater(objects["contacts"]["added"], 0)
            self.assertEqual(objects["contacts"]["added"], backuptest.record_counts(after["objects"])["contacts"] -
                             backuptest.record_counts(before["objects"])["contacts"] + objects["contacts"]["removed"])
        text = self.backup("diff", before["backup_id"], after["backup_id"])
        self.assertExit(text, 0)
        self.assertIn("dealstage", text.stdout)

    def set_deal_name(self, deal_id, value):
        table = backuptest.object_types(self.store)["deals"][0]
        with sqlite3.connect(self.store) as db:
            db.execute(f'UPDATE "{table}" SET dealname = ? WHERE hs_object_id = ?', (value, deal_id))

    def test_diff_show_values_prints_old_and_new_escaped_and_cut(self):
        before = self.create(when="2026-01-01 02:00:00")
        deals = backuptest.store_rows(self.store, "deals", ["dealname"])
        first, second = deals[0], deals[1]
        self.set_deal_name(first[0], "Acme\x1b[31m\nrenewal")
        self.set_deal_name(second[0], "x" * 500)

        text = self.backup("diff", before["backup_id"], "--live", "--show-values")
        self.assertExit(text, 0)
        self.assertNotIn("\x1b", text.stdout)
        lines = text.stdout.splitlines()
        self.assertIn(f"  changed {first[0]}:", lines)
        self.assertIn(f'    dealname: "{first[1]}" \u2192 "Acme\\x1b[31m\\x0arenewal"', lines)
        long_line = next(line for line in lines if line.startswith("    dealname: ") and "xxx" in line)
        self.assertLess(len(long_line), 300, "a long value is cut to one line")

        as_json = self.backup("diff", before["backup_id"], "--live", "--show-values", "--json")
        self.assertExit(as_json, 0)
        report = json.loads(as_json.stdout)
        self.assertEqual((report["old"], report["new"]), (before["backup_id"], "live"))
        deals_report = next(o for o in report["objects"] if o["name"] == "deals")
        changed = {r["id"]: r for r in deals_report["changed_records"]}
        self.assertEqual(changed[int(first[0])]["values"],
                         [{"property": "dealname", "old": first[1], "new": "Acme\x1b[31m\nrenewal"}])
        self.assertEqual(changed[int(second[0])]["values"][0]["new"], "x" * 500, "JSON holds values whole")

        plain = json.loads(self.backup("diff", before["backup_id"], "--live", "--json").stdout)
        deals_plain = next(o for o in plain["objects"] if o["name"] == "deals")
        self.assertIsNone(deals_plain["changed_records"][0]["values"])

    def test_diff_show_values_is_for_super_admins_only(self):
        before = self.create(when="2026-01-01 02:00:00")
        self.assertExit(self.backup("diff", before["backup_id"], "--live", user="viewer"), 0)
        refused = self.backup("diff", before["backup_id"], "--live", "--show-values", user="viewer")
        self.assertExit(refused, 77)
        self.assertEqual(refused.stdout, "")

    def test_diff_needs_a_second_side(self):
        created = self.create()
        self.assertExit(self.backup("diff", created["backup_id"]), 64)


if __name__ == "__main__":
    unittest.main()
