"""crm-demo: makes a private, deterministic demo store; mutate changes what it
says; errors exit with the sysexits code and one stderr line."""
import json
import os
import sqlite3
import stat
import unittest

import crmtest


def table_dump(path, skip_columns=()):
    """Every table's rows, ordered, except the columns named (table, column)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dump = {}
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')
                       if (table, row[1]) not in skip_columns]
            select = ", ".join(f'"{column}"' for column in columns)
            dump[table] = (columns, connection.execute(f'SELECT {select} FROM "{table}" ORDER BY 1').fetchall())
        return dump
    finally:
        connection.close()


class DemoTest(crmtest.CliTestCase):
    def init(self, name="crm.sqlite", *extra):
        path = self.dir / name
        result = self.run_tool("crm-demo", "init", "--store", path, "--contacts", 600, *extra)
        self.assertExit(result, 0)
        return path, result

    def show(self, path):
        result = self.run_tool("crm-demo", "show", "--store", path, "--json")
        self.assertExit(result, 0)
        return json.loads(result.stdout)

    def test_init_creates_a_private_store_and_a_private_totp_file(self):
        path, result = self.init()
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        totp = pathlib_add(path, ".admin-totp")
        self.assertEqual(stat.S_IMODE(os.stat(totp).st_mode), 0o600)
        lines = totp.read_text().splitlines()
        self.assertEqual(len(lines), 1)
        self.assertRegex(lines[0], r"^[A-Z2-7]{32}$")
        self.assertIn("tickets", result.stdout)
        self.assertIn("empty on purpose", result.stdout)
        # Nothing but the store and its secret is left in the directory.
        self.assertEqual(sorted(os.listdir(self.dir)), ["crm.sqlite", "crm.sqlite.admin-totp"])

    def test_init_makes_the_account_issue_2_describes(self):
        path, _ = self.init("crm.sqlite", "--tier", "professional")
        shown = self.show(path)
        self.assertEqual(shown["account"]["tier"], "professional")
        objects = {item["name"]: item for item in shown["objects"]}
        self.assertEqual([item["name"] for item in shown["objects"]],
                         ["contacts", "companies", "deals", "tickets", "products", "tasks", "calls",
                          "conversations", "pets"])
        self.assertEqual(objects["contacts"]["records"], 600)
        self.assertEqual(objects["tickets"]["records"], 0)
        self.assertEqual(objects["pets"]["object_type_id"], "2-1")
        for name, item in objects.items():
            if name != "tickets":
                self.assertGreater(item["records"], 0, name)
        self.assertGreaterEqual(objects["contacts"]["properties"], 40)
        self.assertGreater(objects["contacts"]["sensitive_properties"], 0)
        self.assertGreater(objects["contacts"]["read_only_properties"], 0)
        users = {user["name"]: user for user in shown["users"]}
        self.assertTrue(users["admin"]["is_super_admin"] and users["admin"]["has_totp"])
        self.assertTrue(users["sso-admin"]["is_super_admin"] and users["sso-admin"]["uses_sso"])
        self.assertFalse(users["viewer"]["is_super_admin"])
        workflows = shown["workflows"]
        self.assertEqual(len(workflows), 2)
        self.assertEqual(sorted(w["allows_reenrollment"] for w in workflows), [False, True])
        self.assertIn("dealstage", [w for w in workflows if w["allows_reenrollment"]][0]["trigger_properties"])

        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        types = {row[0] for row in connection.execute("SELECT DISTINCT type FROM properties")}
        self.assertEqual(types, {"string", "number", "date", "datetime", "enumeration", "bool", "phone_number"})
        values = [row[0] for row in connection.execute(
            "SELECT message FROM records_contacts UNION ALL SELECT firstname FROM records_contacts "
            "UNION ALL SELECT interests FROM records_contacts")]
        connection.close()
        self.assertTrue(any(v is None for v in values), "some values are empty")
        text = "".join(v for v in values if v)
        for wanted in (",", '"', "\r\n", "Zoë", "東京", "🎉", ";"):
            self.assertIn(wanted, text)

    def test_same_seed_gives_the_same_store(self):
        first, _ = self.init("one.sqlite", "--seed", "7")
        second, _ = self.init("two.sqlite", "--seed", "7")
        other, _ = self.init("three.sqlite", "--seed", "8")
        self.assertEqual(self.show(first), self.show(second))
        random_columns = {("account", "store_id"), ("users", "totp_secret")}
        self.assertEqual(table_dump(first, random_columns), table_dump(second, random_columns))
        self.assertNotEqual(table_dump(first, random_columns)["records_contacts"],
                            table_dump(other, random_columns)["records_contacts"])

    def test_mutate_changes_what_it_says(self):
        path, _ = self.init()
        before = self.show(path)
        result = self.run_tool("crm-demo", "mutate", "--store", path)
        self.assertExit(result, 0)
        after = self.show(path)
        deals_before = {o["name"]: o for o in before["objects"]}["deals"]
        before_contacts = {o["name"]: o for o in before["objects"]}["contacts"]["records"]
        self.assertIn(f"dealstage set to 'closedlost' on {deals_before['records']} records", result.stdout)
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        stages = {row[0] for row in connection.execute("SELECT dealstage FROM records_deals")}
        lifecycle = connection.execute(
            "SELECT count(*) FROM records_contacts WHERE lifecyclestage IS NOT NULL AND hs_object_id NOT IN "
            "(SELECT hs_object_id FROM records_contacts ORDER BY hs_object_id DESC LIMIT 25)").fetchone()[0]
        health = connection.execute(
            "SELECT count(*) FROM properties WHERE object_type = 'deals' AND name = 'deal_health'").fetchone()[0]
        connection.close()
        self.assertEqual(stages, {"closedlost"})
        self.assertEqual(lifecycle, 0, "only the 25 new contacts may have a lifecycle stage")
        self.assertIn(f"lifecyclestage cleared on {before_contacts} records", result.stdout)
        self.assertEqual(health, 1)
        contacts_before = {o["name"]: o for o in before["objects"]}["contacts"]
        contacts_after = {o["name"]: o for o in after["objects"]}["contacts"]
        self.assertGreater(contacts_after["deleted"], 0)
        self.assertEqual(contacts_after["records"],
                         contacts_before["records"] - contacts_after["deleted"] + 25)
        self.assertEqual({o["name"]: o for o in after["objects"]}["deals"]["properties"],
                         deals_before["properties"] + 1)

    def test_show_writes_nothing(self):
        path, _ = self.init()
        before = path.read_bytes()
        self.show(path)
        self.assertEqual(path.read_bytes(), before)
        self.assertEqual(sorted(os.listdir(self.dir)), ["crm.sqlite", "crm.sqlite.admin-totp"])

    def test_missing_store_is_66_with_one_line(self):
        for command in ("show", "mutate"):
            result = self.run_tool("crm-demo", command, "--store", self.dir / "missing.sqlite")
            self.assertExit(result, 66)
            self.assertIn("missing.sqlite", result.stderr)
        self.assertEqual(os.listdir(self.dir), [])

    def test_bad_tier_is_64_and_creates_nothing(self):
        result = self.run_tool("crm-demo", "init", "--store", self.dir / "x.sqlite", "--tier", "gold")
        self.assertExit(result, 64)
        self.assertEqual(os.listdir(self.dir), [])

    def test_init_over_an_existing_file_is_73_and_keeps_it(self):
        existing = self.dir / "crm.sqlite"
        existing.write_text("precious")
        result = self.run_tool("crm-demo", "init", "--store", existing)
        self.assertExit(result, 73)
        self.assertEqual(existing.read_text(), "precious")

    def test_a_file_that_is_not_a_store_is_65(self):
        not_a_store = self.dir / "notes.txt"
        not_a_store.write_text("not a database, just text that is long enough to be a header\n" * 10)
        result = self.run_tool("crm-demo", "show", "--store", not_a_store)
        self.assertExit(result, 65)


def pathlib_add(path, suffix):
    return path.with_name(path.name + suffix)


if __name__ == "__main__":
    unittest.main()
