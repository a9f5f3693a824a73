"""End-to-end: the restore story from issue 4, and every refusal with its exit code.

A demo account is backed up, then `crm-demo mutate` makes the bad bulk edit;
crm-restore plans and applies the restore. The store is then read with
Python's sqlite3 and compared with the backup's CSV read with zipfile and csv:
an independent reader of everything the tools wrote.
"""
import base64
import csv
import fcntl
import hashlib
import hmac
import io
import json
import os
import pathlib
import re
import sqlite3
import stat
import struct
import time
import unittest
import zipfile

import crmtest


def totp(secret_base32: str, at: float, step_offset: int = 0) -> str:
    """RFC 6238: HMAC-SHA1 over the 30-second step, dynamic truncation, 6 digits."""
    key = base64.b32decode(secret_base32.strip().upper() + "=" * (-len(secret_base32.strip()) % 8))
    step = int(at // 30) + step_offset
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1000000:06d}"


class RestoreCase(crmtest.CliTestCase):
    """A demo store, a backup of it, and helpers to run crm-restore and read what it wrote."""

    contacts = 2000

    def setUp(self):
        super().setUp()
        self.store = self.dir / "crm.sqlite"
        self.repo = self.dir / "repo"
        result = self.run_tool("crm-demo", "init", "--store", self.store, "--contacts", self.contacts,
                               "--tier", "enterprise")
        self.assertExit(result, 0)
        result = self.run_tool("crm-backup", "--store", self.store, "--repo", self.repo, "--as", "admin",
                               "create", "--json")
        self.assertExit(result, 0)
        self.backup = json.loads(result.stdout)
        self.archive = pathlib.Path(self.backup["archive"])

    def mutate(self):
        self.assertExit(self.run_tool("crm-demo", "mutate", "--store", self.store), 0)

    def restore(self, *args, user="admin", env=None, input=None, store=None):
        """crm-restore against the store, with the repository that holds its journal."""
        return self.run_tool("crm-restore", "--store", store or self.store, "--repo", self.repo, "--as", user, *args,
                             env=env, input=input)

    def code(self, step_offset=0):
        secret = pathlib.Path(str(self.store) + ".admin-totp").read_text()
        return totp(secret, time.time(), step_offset)

    def plan(self, *args, output="deals.plan", user="admin"):
        """Makes a plan and returns (path, hash, the --json summary)."""
        path = self.dir / output
        result = self.restore("plan", "--backup", self.archive, "-o", path, "--json", *args, user=user)
        self.assertExit(result, 0)
        summary = json.loads(result.stdout)
        return path, summary["hash"], summary

    def apply(self, path, digest, *extra, user="admin", code=None, acknowledge=True):
        args = ["apply", path, "--confirm", digest, *extra]
        if acknowledge:
            args += ["--acknowledge-data-change", "--acknowledge-irreversible"]
        env = {"CRM_OTP": code} if code is not None else None
        return self.restore(*args, user=user, env=env)

    def query(self, sql, *params):
        connection = sqlite3.connect(f"file:{self.store}?mode=ro", uri=True)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def records(self, object_name):
        """Every live record: id -> {property: value}, '' for no value."""
        connection = sqlite3.connect(f"file:{self.store}?mode=ro", uri=True)
        try:
            cursor = connection.execute(f'SELECT * FROM "records_{object_name}" ORDER BY hs_object_id')
            names = [column[0] for column in cursor.description]
            return {row[0]: {name: ("" if value is None else str(value)) for name, value in zip(names[1:], row[1:])}
                    for row in cursor}
        finally:
            connection.close()

    def backed_up(self, object_name):
        """The backup's records of one object: id -> {property: value}."""
        with zipfile.ZipFile(self.archive) as archive:
            text = archive.read(f"{object_name}.csv").decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        return {int(row[0]): dict(zip(header[1:], row[1:])) for row in rows[1:]}


class RestoreStory(RestoreCase):
    def test_plan_apply_restores_every_chosen_value_and_nothing_else(self):
        self.mutate()
        before = self.records("deals")
        backup = self.backed_up("deals")
        path, digest, summary = self.plan("--object", "deals", "--properties", "dealstage,amount")
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
        self.assertEqual(hashlib.sha256(path.read_bytes()).hexdigest(), digest)
        self.assertGreater(summary["records_to_change"], 0)
        self.assertGreater(summary["records_deleted"], 0)
        self.assertEqual(summary["records_in_recycle_bin"], summary["records_deleted"])
        workflows = {workflow["name"]: workflow for workflow in summary["workflows"]}
        self.assertIn("Notify owner when deal stage changes", workflows)
        self.assertNotIn("Welcome new deals", workflows)  # no re-enrollment

        result = self.apply(path, digest, code=self.code())
        self.assertExit(result, 0)
        self.assertIn("restore done", result.stderr)

        after = self.records("deals")
        self.assertEqual(set(after), set(before), "no record created or deleted")
        changed = 0
        for record_id, values in after.items():
            if record_id in backup:
                for name in ("dealstage", "amount"):
                    self.assertEqual(values[name], backup[record_id][name], f"deal {record_id} {name}")
                changed += any(before[record_id][name] != backup[record_id][name] for name in ("dealstage", "amount"))
            else:
                self.assertEqual(values, before[record_id], f"deal {record_id} created since: untouched")
            for name, value in values.items():
                if name not in ("dealstage", "amount"):
                    self.assertEqual(value, before[record_id][name], f"deal {record_id} {name} untouched")
        self.assertEqual(changed, summary["records_to_change"])
        for record_id in backup:
            if record_id not in before:
                self.assertNotIn(record_id, after, "deleted records are never recreated")

        imports = self.query("SELECT id, name, state, records_updated, values_set, values_cleared, details_json "
                             "FROM imports")
        self.assertEqual(len(imports), 1)
        import_id, name, state, updated, values_set, values_cleared, details = imports[0]
        self.assertEqual((name, state), ("Data Restore - Deal", "completed"))
        self.assertEqual((updated, values_set, values_cleared),
                         (summary["records_to_change"], summary["values_to_set"], summary["values_to_clear"]))
        self.assertEqual(json.loads(details)["plan_hash"], digest)
        audit = self.query("SELECT user, action, details_json FROM audit_log WHERE action = 'restore.apply'")
        self.assertEqual(len(audit), 1)
        self.assertEqual(audit[0][0], "admin")
        self.assertEqual(json.loads(audit[0][2])["plan_hash"], digest)
        notifications = self.query("SELECT kind FROM notifications WHERE kind = 'restore.done'")
        self.assertEqual(len(notifications), 1)
        for workflow in summary["workflows"]:
            enrolled = self.query("SELECT COUNT(*) FROM workflow_enrollments WHERE workflow_id = ?", workflow["id"])
            self.assertEqual(enrolled[0][0], workflow["records"], workflow["name"])
        self.assertGreater(sum(workflow["records"] for workflow in summary["workflows"]), 0)

        undo_file = pathlib.Path(json.loads(details)["undo_file"])
        self.assertEqual(undo_file.parent, path.parent)
        self.assertEqual(stat.S_IMODE(undo_file.stat().st_mode), 0o600)

        history = json.loads(self.restore("--json", "history").stdout)
        self.assertEqual([entry["id"] for entry in history], [import_id])
        status = json.loads(self.restore("--json", "status").stdout)
        self.assertEqual((status["running"], status["outcome"]), (False, "completed"))

    def test_cleared_values_are_restored_and_empty_backup_values_clear(self):
        self.mutate()
        backup = self.backed_up("contacts")
        path, digest, summary = self.plan("--object", "contacts", "--properties", "lifecyclestage,phone")
        self.assertExit(self.apply(path, digest, user="sso-admin"), 0)
        after = self.records("contacts")
        for record_id, values in backup.items():
            if record_id in after:
                self.assertEqual(after[record_id]["lifecyclestage"], values["lifecyclestage"])
                self.assertEqual(after[record_id]["phone"], values["phone"])
        self.assertTrue(any(values["phone"] == "" for values in backup.values()), "the demo has empty phones")

    def test_undo_returns_the_store_to_its_values_before_the_restore(self):
        self.mutate()
        before = self.records("deals")
        path, digest, _ = self.plan("--object", "deals", "--properties", "dealstage,amount")
        self.assertExit(self.apply(path, digest, user="sso-admin"), 0)
        import_id = self.query("SELECT id FROM imports")[0][0]
        self.assertNotEqual(self.records("deals"), before)
        undo_plan = self.dir / "undo.plan"
        result = self.restore("--json", "undo", import_id, "-o", undo_plan)
        self.assertExit(result, 0)
        undo = json.loads(result.stdout)
        self.assertEqual(undo["source"]["undo_of_import"], import_id)
        self.assertExit(self.apply(undo_plan, undo["hash"], user="sso-admin"), 0)
        self.assertEqual(self.records("deals"), before)
        self.assertEqual(len(self.query("SELECT id FROM imports")), 2)

    def test_a_plan_that_changes_nothing_says_so_and_applying_it_records_no_import(self):
        # Nothing was changed since the backup.
        path = self.dir / "nothing.plan"
        planned = self.restore("plan", "--backup", self.archive, "-o", path, "--object", "deals", "--properties",
                               "dealstage")
        self.assertExit(planned, 0)
        self.assertIn("nothing to restore", planned.stdout)
        self.assertNotIn("crm-restore apply", planned.stdout)
        digest = planned.stdout.split("hash: ")[1].split()[0]
        before = self.records("deals")
        applied = self.apply(path, digest, user="sso-admin")
        self.assertExit(applied, 0)
        self.assertIn("nothing to restore", applied.stdout)
        self.assertEqual(self.records("deals"), before)
        self.assertEqual(self.query("SELECT COUNT(*) FROM imports")[0][0], 0)
        self.assertEqual(json.loads(self.restore("--json", "history").stdout), [])
        self.assertFalse(list(self.dir.glob("nothing.plan.*.undo")))

    def test_all_properties_refuses_read_only_ones_with_their_reason(self):
        self.mutate()
        _, _, summary = self.plan("--object", "deals", "--all-properties")
        reasons = {refused["name"]: refused["reason"] for refused in summary["refused"]}
        self.assertTrue(reasons, "the demo has read-only deal properties")
        self.assertTrue(all(reason == "read-only or calculated" for reason in reasons.values()), reasons)
        self.assertNotIn("dealstage", reasons)
        self.assertIn("dealstage", summary["properties"])


class PlanReview(RestoreCase):
    """crm-restore show: a plan reviewed again, from the file alone."""

    def setUp(self):
        super().setUp()
        self.mutate()
        self.path, self.digest, self.summary = self.plan("--object", "deals", "--properties", "dealstage,amount")
        self.changes = [json.loads(line) for line in self.path.read_text().splitlines()
                        if json.loads(line)["kind"] == "change"]

    def show(self, *args):
        """show with no store and no repository: the file is all it reads."""
        return self.run_tool("crm-restore", *args, env={"CRM_STORE": "", "CRM_BACKUP_REPO": ""})

    def test_plan_json_counts_values_per_property_and_names_the_plan_absolutely(self):
        self.assertEqual(self.summary["plan"], str(self.path.resolve()))
        self.assertRegex(self.summary["source"]["snapshot_time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        by_property = {item["property"]: item for item in self.summary["by_property"]}
        self.assertEqual(list(by_property), ["dealstage", "amount"])
        for name in ("dealstage", "amount"):
            values = [change["after"][change["properties"].index(name)]
                      for change in self.changes if name in change["properties"]]
            self.assertEqual(by_property[name]["values_to_set"], sum(1 for value in values if value), name)
            self.assertEqual(by_property[name]["values_to_clear"], sum(1 for value in values if not value), name)
        self.assertEqual(sum(item["values_to_set"] for item in by_property.values()), self.summary["values_to_set"])

    def test_show_json_is_the_plan_summary_with_its_first_records(self):
        result = self.show("--json", "show", self.path, "--records", "2")
        self.assertExit(result, 0)
        review = json.loads(result.stdout)
        self.assertEqual(review["hash"], self.digest)
        self.assertEqual(review["by_property"], self.summary["by_property"])
        self.assertEqual(review["records_to_change"], self.summary["records_to_change"])
        expected = [{"id": change["id"],
                     "values": [{"property": name, "current": before, "restored": after}
                                for name, before, after in zip(change["properties"], change["before"],
                                                               change["after"])]}
                    for change in self.changes[:2]]
        self.assertEqual(review["first_records"], expected)
        none = json.loads(self.show("--json", "show", self.path, "--records", "0").stdout)
        self.assertEqual(none["first_records"], [])

    def test_show_text_prints_counts_per_property_and_current_to_restored(self):
        result = self.show("show", self.path, "--records", "3")
        self.assertExit(result, 0)
        lines = result.stdout.splitlines()
        self.assertTrue(any(re.match(r"^    dealstage +\d+ to set, \d+ to clear$", line) for line in lines), lines)
        self.assertIn("first 3 records (current \u2192 restored):", lines)
        first = self.changes[0]
        shown = [line for line in lines if line.startswith(f"  {first['id']} ")]
        self.assertEqual(len(shown), 1, lines)
        self.assertIn(f"{first['properties'][0]}: ", shown[0])
        self.assertIn(f"\u2192 \"{first['after'][0]}\"" if first["after"][0] else "\u2192 (empty)", shown[0])
        self.assertIn(f"hash: {self.digest}", lines)
        self.assertIn(f"plan: {self.path.resolve()}", lines)

    def test_show_refuses_an_edited_plan_and_a_missing_one(self):
        edited = self.dir / "edited.plan"
        edited.write_text(re.sub(r'"after":\["[^"]+"', '"after":[""', self.path.read_text(), count=1))
        self.assertExit(self.show("show", edited), 65)
        self.assertExit(self.show("show", self.dir / "missing.plan"), 66)


class RestoreRefusals(RestoreCase):
    def setUp(self):
        super().setUp()
        self.mutate()
        self.path, self.digest, self.summary = self.plan("--object", "deals", "--properties", "dealstage")
        self.before = self.records("deals")

    def assertNothingWritten(self):
        self.assertEqual(self.records("deals"), self.before)
        self.assertEqual(self.query("SELECT COUNT(*) FROM imports")[0][0], 0)

    def test_a_viewer_is_refused_before_the_backup_is_even_read(self):
        damaged = self.dir / "damaged.zip"
        damaged.write_bytes(self.archive.read_bytes()[:-100])
        result = self.restore("plan", "--backup", damaged, "--object", "deals", "--properties", "dealstage",
                              "-o", self.dir / "v.plan", user="viewer")
        self.assertExit(result, 77)  # not 65: nobody reads a backup for a user who may not restore
        self.assertFalse((self.dir / "v.plan").exists())

    def test_viewer_may_not_plan_or_apply(self):
        result = self.restore("plan", "--backup", self.archive, "--object", "deals", "--properties", "dealstage",
                              "-o", self.dir / "v.plan", user="viewer")
        self.assertExit(result, 77)
        self.assertFalse((self.dir / "v.plan").exists())
        self.assertExit(self.apply(self.path, self.digest, user="viewer"), 77)
        self.assertNothingWritten()

    def test_conversations_cannot_be_restored(self):
        result = self.restore("plan", "--backup", self.archive, "--object", "conversations", "--all-properties")
        self.assertExit(result, 64)
        self.assertIn("conversations", result.stderr)

    def test_wrong_hash_is_refused(self):
        self.assertExit(self.apply(self.path, "0" * 64, user="sso-admin"), 65)
        self.assertNothingWritten()

    def test_tampered_plan_is_refused(self):
        content = self.path.read_text()
        # Clearing a value the plan sets: the hash no longer matches, and even
        # with the hash recomputed the summary no longer matches the records.
        tampered, count = re.subn(r'"after":\["[^"]+"', '"after":[""', content, count=1)
        self.assertEqual(count, 1)
        self.path.write_text(tampered)
        self.assertExit(self.apply(self.path, self.digest, user="sso-admin"), 65)
        tampered_digest = hashlib.sha256(self.path.read_bytes()).hexdigest()
        self.assertExit(self.apply(self.path, tampered_digest, user="sso-admin"), 65)
        self.assertNothingWritten()

    def test_plan_against_another_store_is_refused(self):
        other = self.dir / "other.sqlite"
        self.assertExit(self.run_tool("crm-demo", "init", "--store", other, "--contacts", self.contacts), 0)
        result = self.restore("apply", self.path, "--confirm", self.digest, "--acknowledge-data-change",
                              "--acknowledge-irreversible", user="sso-admin", store=other)
        self.assertExit(result, 65)
        self.assertIn("another store", result.stderr)

    def test_backup_that_fails_verification_plans_nothing(self):
        broken = self.dir / "broken.zip"
        data = bytearray(self.archive.read_bytes())
        data[len(data) // 3] ^= 0xFF
        broken.write_bytes(bytes(data))
        result = self.restore("plan", "--backup", broken, "--object", "deals", "--properties", "dealstage",
                              "-o", self.dir / "b.plan")
        self.assertExit(result, 65)
        self.assertFalse((self.dir / "b.plan").exists())

    def test_missing_acknowledgements_without_a_terminal_are_refused(self):
        self.assertExit(self.apply(self.path, self.digest, user="sso-admin", acknowledge=False), 77)
        result = self.restore("apply", self.path, "--confirm", self.digest, "--acknowledge-data-change",
                              user="sso-admin")
        self.assertExit(result, 77)
        self.assertNothingWritten()

    def test_two_factor_code_is_required_checked_and_never_replayed(self):
        self.assertExit(self.apply(self.path, self.digest), 77)  # no code, no terminal
        wrong = f"{(int(self.code()) + 1) % 1000000:06d}"
        self.assertExit(self.apply(self.path, self.digest, code=wrong), 77)
        self.assertNothingWritten()
        code = self.code()
        self.assertExit(self.apply(self.path, self.digest, code=code), 0)
        undo_plan = self.dir / "undo.plan"
        result = self.restore("--json", "undo", self.query("SELECT id FROM imports")[0][0], "-o", undo_plan)
        self.assertExit(result, 0)
        replay = self.apply(undo_plan, json.loads(result.stdout)["hash"], code=code)
        self.assertExit(replay, 77)
        self.assertIn("already used", replay.stderr)

    def test_code_from_a_file_or_stdin(self):
        code_file = self.dir / "code"
        code_file.write_text(self.code() + "\n")
        result = self.restore("apply", self.path, "--confirm", self.digest, "--acknowledge-data-change",
                              "--acknowledge-irreversible", "--otp-file", code_file)
        self.assertExit(result, 0)

    def test_code_on_the_command_line_is_refused(self):
        result = self.restore("apply", self.path, "--confirm", self.digest, "--otp", self.code())
        self.assertExit(result, 64)
        self.assertNothingWritten()

    def test_sso_user_needs_no_code(self):
        self.assertExit(self.apply(self.path, self.digest, user="sso-admin"), 0)

    def test_another_restore_running_is_refused(self):
        # The restore lock lives in the repository, named after the store's identity.
        store_id = self.query("SELECT store_id FROM account")[0][0]
        name = "restore-" + hashlib.sha256(store_id.encode()).hexdigest()[:16] + ".lock"
        with open(self.repo / name, "a+") as lock:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a POSIX lock: conflicts with our OFD locks
            result = self.apply(self.path, self.digest, user="sso-admin")
            self.assertExit(result, 75)
            self.assertIn("another restore is running on this store", result.stderr)
            self.assertNothingWritten()
        self.assertExit(self.apply(self.path, self.digest, user="sso-admin"), 0)

    def test_record_changed_after_planning_is_refused(self):
        changed_id = int(self.path.read_text().splitlines()[1].split('"id":')[1].split(",")[0])
        connection = sqlite3.connect(self.store)
        connection.execute("UPDATE records_deals SET dealstage = 'contractsent' WHERE hs_object_id = ?",
                           (changed_id,))
        connection.commit()
        connection.close()
        self.before = self.records("deals")
        result = self.apply(self.path, self.digest, user="sso-admin")
        self.assertExit(result, 75)
        self.assertIn("changed since", result.stderr)
        self.assertNothingWritten()

    def test_missing_plan_is_not_found(self):
        self.assertExit(self.apply(self.dir / "nope.plan", self.digest, user="sso-admin"), 66)


class HostedExport(RestoreCase):
    def test_a_hosted_crm_export_with_labels_and_record_id_is_planned_and_applied(self):
        backup = self.backed_up("deals")
        labels = dict(self.query("SELECT name, label FROM properties WHERE object_type = 'deals'"))
        self.mutate()
        names = list(next(iter(backup.values())).keys())
        export = self.dir / "hubspot-export.zip"
        text = io.StringIO(newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["Record ID"] + [labels.get(name, name) for name in names])
        for record_id in sorted(backup, reverse=True):  # exports are not in id order
            writer.writerow([record_id] + [backup[record_id][name] for name in names])
        with zipfile.ZipFile(export, "w") as archive:
            archive.writestr("hubspot-crm-exports-all-deals-2026-01-01.csv", text.getvalue())
        path = self.dir / "export.plan"
        result = self.restore("plan", "--backup", export, "--object", "deals", "--properties", "dealstage",
                              "-o", path)
        self.assertExit(result, 0)
        self.assertIn("checksums could not be checked", result.stdout)
        digest = re.search(r"^hash: ([0-9a-f]{64})$", result.stdout, re.M).group(1)
        self.assertExit(self.apply(path, digest, user="sso-admin"), 0)
        after = self.records("deals")
        for record_id, values in backup.items():
            if record_id in after:
                self.assertEqual(after[record_id]["dealstage"], values["dealstage"])

    def test_a_malformed_export_csv_is_refused(self):
        export = self.dir / "bad.zip"
        with zipfile.ZipFile(export, "w") as archive:
            archive.writestr("deals.csv", 'Record ID,Deal Stage\n1,"unterminated\n')
        result = self.restore("plan", "--backup", export, "--object", "deals", "--properties", "dealstage",
                              "-o", self.dir / "x.plan")
        self.assertExit(result, 65)


if __name__ == "__main__":
    unittest.main()
