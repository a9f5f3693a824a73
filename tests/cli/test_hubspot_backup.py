"""End-to-end: backups of a HubSpot account through its API (issue 9), over
the fake HubSpot server, with the real crm-backup binary. Every value is
compared with what the fake holds, read through its admin endpoint; the
archive is read with Python's zipfile and csv."""
import json
import os
import socket
import unittest

import crmtest
from hubspottest import ADMIN, VIEWER, HubSpotCase, archive_records, manifest


class BigAccountBackup(HubSpotCase):
    def account(self):
        return {
            "objects": {"contacts": {"count": 50000, "seed": 7, "extra_properties": 20, "archived": 20},
                        "companies": {"count": 700, "seed": 3}, "deals": {"count": 900, "seed": 5},
                        "tickets": {"count": 300}, "products": {"count": 40}, "tasks": {"count": 120},
                        "calls": {"count": 80}},
            "custom_objects": [{"name": "pets", "objectTypeId": "2-1001", "singular": "Pet", "plural": "Pets",
                                "count": 60}],
            "conversations": {"count": 25},
            "faults": {"every_nth_429": 37, "every_nth_5xx": 53},
        }

    def test_every_value_of_every_object_is_backed_up_despite_429s_and_5xxs(self):
        result = self.backup_json()
        archive = result["archive"]
        counts = {o["name"]: o["records"] for o in result["objects"]}
        self.assertEqual(counts["contacts"], 50000)
        self.assertFalse(result["consistent_snapshot"])
        self.assertEqual(result["modified_during_backup"], 0)
        stats = self.stats()
        self.assertGreater(stats["rate_limited_429"] + stats["injected_faults"], 0, stats)
        written = manifest(archive)
        self.assertFalse(written["consistent_snapshot"])
        for entry in written["objects"]:
            if entry["record_count"] == 0:
                continue
            object_type = entry["object_type_id"]
            if object_type == "conversations":
                continue
            header, rows = archive_records(archive, entry["name"])
            live = self.live_records(object_type)
            self.assertEqual(sorted(rows), sorted(live), entry["name"])
            for record_id, row in rows.items():
                for name in header[1:]:
                    self.assertEqual(row[name], live[record_id].get(name, ""),
                                     f"{entry['name']} {record_id} {name}")
        self.assertEqual(counts["conversations"], 25)


class WideAccountBackup(HubSpotCase):
    def account(self):
        return {"objects": {"contacts": {"count": 2000, "seed": 9, "extra_properties": 300}}}

    def test_hundreds_of_properties_are_split_across_requests_never_a_414(self):
        result = self.backup_json("--objects", "contacts")
        stats = self.stats()
        # 315 properties of ~49 characters never fit one URL: split, never a 414.
        self.assertEqual(stats["uri_too_long_414"], 0)
        self.assertLessEqual(stats["max_url_length"], 15000)
        # What the property list needs per 100 records: one list page and one
        # batch read for the properties past the URL limit.
        self.assertGreaterEqual(stats["list_requests"], 2000 // 100)
        self.assertLessEqual(stats["batch_read_calls"], 2000 // 100)
        header, rows = archive_records(result["archive"], "contacts")
        self.assertGreater(len(header), 300)
        live = self.live_records("0-1")
        self.assertEqual(sorted(rows), sorted(live))
        for record_id, row in rows.items():
            for name in header[1:]:
                self.assertEqual(row[name], live[record_id].get(name, ""), f"{record_id} {name}")


class FetchAheadBackup(HubSpotCase):
    """The later object types are fetched ahead, into a private spill file,
    while contacts are written (docs/hubspot.md, "The network")."""

    def account(self):
        return {"objects": {"contacts": {"count": 3000, "seed": 11}, "companies": {"count": 800, "seed": 12},
                            "deals": {"count": 900, "seed": 13}},
                "change_during_list": {"object": "deals", "after_requests": 2, "records": 5}}

    def test_types_fetched_ahead_are_whole_and_their_changes_counted_when_fetched(self):
        result = self.backup_json()
        archive = result["archive"]
        for name, type_id in (("contacts", "0-1"), ("companies", "0-2"), ("deals", "0-3")):
            header, rows = archive_records(archive, name)
            live = self.live_records(type_id)
            self.assertEqual(sorted(rows), sorted(live), name)
            if name == "deals":
                continue  # five changed while they were listed
            for record_id, row in rows.items():
                self.assertEqual({column: row[column] for column in header[1:]},
                                 {column: live[record_id].get(column, "") for column in header[1:]})
        deals = [entry for entry in manifest(archive)["objects"] if entry["name"] == "deals"][0]
        self.assertEqual(deals["modified_during_backup"], 5)
        self.assertEqual(result["modified_during_backup"], 5)


class FetchAheadDailyLimit(HubSpotCase):
    def account(self):
        return {"objects": {"contacts": {"count": 3000}, "companies": {"count": 800}, "deals": {"count": 900}},
                "limits": {"ten_second": 5000, "daily": 80, "search_per_second": 50}}

    def test_the_daily_limit_reached_while_fetching_ahead_is_75_and_leaves_nothing(self):
        tmp = self.dir / "tmp"
        tmp.mkdir()
        result = self.backup(env={"TMPDIR": str(tmp)})
        self.assertExit(result, 75)
        self.assertIn("daily", result.stderr.lower())
        self.assertEqual(list(self.repo.glob("*.zip*")), [])
        self.assertEqual(list(tmp.iterdir()), [])


class SmallAccount(HubSpotCase):
    def account(self):
        return {"objects": {"contacts": {"count": 300, "extra_properties": 5, "archived": 4},
                            "deals": {"count": 120}, "tickets": {"count": 30}},
                "scopes": ["crm.objects.contacts.read", "crm.objects.companies.read", "crm.objects.deals.read",
                           "crm.objects.deals.write", "e-commerce", "crm.schemas.custom.read",
                           "crm.objects.custom.read", "settings.users.read", "automation",
                           "crm.objects.contacts.sensitive.read"]}

    def test_an_object_type_the_token_may_not_read_is_skipped_and_reported(self):
        result = self.backup_json()
        skipped = {gap["object"]: gap for gap in result["skipped"]}
        self.assertIn("tickets", skipped)
        self.assertIn("403", skipped["tickets"]["reason"])
        self.assertNotIn("tickets", result["objects"])
        written = manifest(result["archive"])
        self.assertIn("tickets", [gap["object"] for gap in written["skipped"]])
        text = self.backup()
        self.assertExit(text, 0)
        self.assertIn("skipped tickets", text.stdout)

    def test_sensitive_properties_without_their_scope_are_listed_as_unread(self):
        result = self.backup_json()
        unread = [(gap["object"], gap["property"]) for gap in result["skipped"]]
        self.assertIn(("contacts", "highly_sensitive properties"), unread)
        self.assertNotIn(("contacts", "sensitive properties"), unread)
        # --exclude-sensitive leaves them out by design: nothing to report.
        excluded = self.backup_json("--exclude-sensitive")
        self.assertNotIn("highly_sensitive properties", [gap["property"] for gap in excluded["skipped"]])

    def test_records_changed_during_the_backup_are_counted(self):
        self.fake.stop()
        config_changes = {"change_during_list": {"object": "contacts", "after_requests": 1, "records": 7}}
        from fake_hubspot import FakeHubSpot
        from hubspottest import TOKEN
        self.fake = FakeHubSpot({"token": TOKEN, "users": [{"email": ADMIN, "superAdmin": True}],
                                 "objects": {"contacts": {"count": 400}}, **config_changes})
        self.fake.start()
        self.addCleanup(self.fake.stop)
        self.env["CRM_HUBSPOT_BASE_URL"] = self.fake.url
        result = self.backup_json()
        self.assertEqual(result["modified_during_backup"], 7)
        contacts = [entry for entry in manifest(result["archive"])["objects"] if entry["name"] == "contacts"][0]
        self.assertEqual(contacts["modified_during_backup"], 7)

    def test_only_super_admins_back_up(self):
        result = self.backup(user=VIEWER)
        self.assertExit(result, 77)
        self.assertIn("super admin", result.stderr)
        self.assertFalse(self.repo.exists())

    def test_a_token_missing_wrong_or_readable_by_others_is_refused(self):
        env = dict(self.env)
        del env["CRM_HUBSPOT_TOKEN_FILE"]
        self.env = env
        result = self.backup()
        self.assertExit(result, 77)
        self.assertIn("token", result.stderr)
        self.env["CRM_HUBSPOT_TOKEN"] = "not-the-token"
        result = self.backup()
        self.assertExit(result, 77)
        self.assertIn("401", result.stderr)
        self.assertIn("correlationId", result.stderr)
        self.assertNotIn("not-the-token", result.stderr)
        del self.env["CRM_HUBSPOT_TOKEN"]
        self.env["CRM_HUBSPOT_TOKEN_FILE"] = str(self.token_file)
        os.chmod(self.token_file, 0o644)
        result = self.backup()
        self.assertExit(result, 77)
        self.assertIn("chmod 600", result.stderr)
        self.assertFalse(self.repo.exists())

    def test_a_server_that_cannot_be_reached_is_69(self):
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            port = unused.getsockname()[1]
        self.env["CRM_HUBSPOT_BASE_URL"] = f"http://127.0.0.1:{port}"
        result = self.backup()
        self.assertExit(result, 69)
        self.assertIn("could not be reached", result.stderr)

    def test_a_token_given_on_the_command_line_is_refused(self):
        result = self.run_tool("crm-backup", "--as", ADMIN, "create", "--token", "abc")
        self.assertExit(result, 64)

    def test_a_schedule_backs_up_the_account_when_its_slot_is_due(self):
        from test_schedule_cli import FIRST_SLOT, at
        enable = self.run_tool("crm-schedule", "--as", ADMIN, "enable", "--every", "week", "--day", "mon", "--at",
                               "02:00", env=at("2026-01-05 10:00:00"))
        self.assertExit(enable, 0)
        result = self.run_tool("crm-schedule", "--as", ADMIN, "run", env=at(FIRST_SLOT))
        self.assertExit(result, 0)
        archives = sorted(self.repo.glob("*.zip"))
        self.assertEqual(len(archives), 1)
        self.assertEqual(manifest(archives[0])["consistent_snapshot"], False)

    def test_verify_and_diff_work_on_a_hubspot_backup(self):
        first = self.backup_json()
        self.assertExit(self.run_tool("crm-backup", "verify", first["backup_id"]), 0)
        record_id = sorted(self.live_records("0-3"))[0]
        self.change("0-3", record_id, {"dealname": "Renamed by a user"})
        diff = self.run_tool("crm-backup", "--json", "diff", first["backup_id"], "--live")
        self.assertExit(diff, 0)
        self.assertIn("dealname", diff.stdout)


if __name__ == "__main__":
    unittest.main()
