"""Helpers for the crm-backup end-to-end tests (tests/cli/test_backup_*.py):
make demo stores, run crm-backup with a faked clock, and read a store or an
archive independently of the code under test (Python's sqlite3, zipfile, csv).
"""
import csv
import io
import json
import os
import sqlite3
import zipfile

import crmtest

FAKETIME_LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


def at(when: str) -> dict:
    """Environment that makes the binaries believe it is `when` ("2026-01-01 02:00:00" UTC)."""
    return {**crmtest.preloaded(FAKETIME_LIBRARY), "FAKETIME": "@" + when, "TZ": "UTC", "FAKETIME_DONT_RESET": "1"}


def record_counts(objects: list) -> dict:
    """{name: records} of a --json "objects" array ([{"name", "records"}])."""
    return {item["name"]: item["records"] for item in objects}


def object_types(store) -> dict:
    """name -> (table, [property names in definition order], [sensitive property names])."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        types = {}
        for name, table in db.execute("SELECT name, table_name FROM object_types"):
            rows = db.execute("SELECT name, sensitivity FROM properties WHERE object_type = ? ORDER BY position",
                              (name,)).fetchall()
            types[name] = (table, [r[0] for r in rows], [r[0] for r in rows if r[1] != "non_sensitive"])
        return types


def store_rows(store, object_name, properties=None) -> list:
    """Every record of an object as [id, value...] ordered by id; NULL reads as ""."""
    table, names, _ = object_types(store)[object_name]
    names = names if properties is None else properties
    columns = ", ".join(['"hs_object_id"'] + ['"' + n + '"' for n in names])
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        return [[str(row[0])] + ["" if v is None else str(v) for v in row[1:]]
                for row in db.execute(f'SELECT {columns} FROM "{table}" ORDER BY hs_object_id')]


def archive_rows(archive, entry, passphrase=None) -> list:
    """The rows of a CSV entry (header included), read with Python's csv module."""
    with zipfile.ZipFile(archive) as zip_file:
        data = zip_file.read(entry, pwd=passphrase)
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def manifest_of(archive) -> dict:
    with zipfile.ZipFile(archive) as zip_file:
        return json.loads(zip_file.read("manifest.json"))


class BackupTestCase(crmtest.CliTestCase):
    """A CliTestCase with a demo store and a repository in its scratch directory."""

    contacts = 2000
    tier = "enterprise"

    def setUp(self):
        super().setUp()
        self.store = self.dir / "store.sqlite"
        self.repo = self.dir / "repo"
        result = self.run_tool("crm-demo", "init", "--store", self.store, "--contacts", self.contacts,
                               "--tier", self.tier)
        self.assertExit(result, 0)

    def backup(self, *args, user="admin", env=None, input=None, timeout=600):
        return self.run_tool("crm-backup", *args, "--store", self.store, "--repo", self.repo, "--as", user,
                             env=env, input=input, timeout=timeout)

    def create(self, *args, when=None, **kwargs):
        """Runs create --json and returns its parsed output (the create must succeed)."""
        result = self.backup("create", "--json", *args, env=at(when) if when else None, **kwargs)
        self.assertExit(result, 0)
        return json.loads(result.stdout)
