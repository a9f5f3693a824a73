"""Shared by the HubSpot end-to-end tests: a fake HubSpot account on
127.0.0.1 (tests/hubspot/fake_hubspot.py) and the environment that points the
real binaries at it (docs/hubspot.md): CRM_STORE=hubspot:, a token file only
its owner may read, CRM_HUBSPOT_BASE_URL.
"""
import csv
import io
import json
import os
import pathlib
import sys
import urllib.request
import zipfile

import crmtest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "hubspot"))
from fake_hubspot import FakeHubSpot  # noqa: E402

TOKEN = "pat-na1-test-token"
ADMIN = "ada@example.com"
VIEWER = "bob@example.com"


class HubSpotCase(crmtest.CliTestCase):
    """A fake account per test: override `account()` to shape it."""

    def account(self) -> dict:
        return {}

    def setUp(self):
        super().setUp()
        config = {
            "token": TOKEN,
            "users": [{"email": ADMIN, "superAdmin": True}, {"email": VIEWER, "superAdmin": False}],
            "limits": {"ten_second": 5000, "daily": 1000000, "search_per_second": 50},
        }
        config.update(self.account())
        self.fake = FakeHubSpot(config)
        self.fake.start()
        self.addCleanup(self.fake.stop)
        self.repo = self.dir / "repo"
        self.token_file = self.dir / "token"
        self.token_file.write_text(TOKEN + "\n")
        os.chmod(self.token_file, 0o600)
        self.env.update({"CRM_STORE": "hubspot:", "CRM_HUBSPOT_TOKEN_FILE": str(self.token_file),
                         "CRM_HUBSPOT_BASE_URL": self.fake.url, "CRM_BACKUP_REPO": str(self.repo)})

    def backup(self, *args, user=ADMIN, env=None):
        return self.run_tool("crm-backup", "--as", user, "create", *args, env=env)

    def backup_json(self, *args):
        result = self.backup("--json", *args)
        self.assertExit(result, 0)
        return json.loads(result.stdout)

    def live_records(self, object_type: str) -> dict:
        """Every live record as the fake holds it: id -> {property: value}, '' for null."""
        with urllib.request.urlopen(f"{self.fake.url}/__fake/records/{object_type}") as answer:
            records = {}
            for line in answer.read().decode("utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    records[int(record["id"])] = {name: "" if value is None else str(value)
                                                  for name, value in record["properties"].items()}
            return records

    def change(self, object_type: str, record_id: int, properties: dict):
        request = urllib.request.Request(f"{self.fake.url}/__fake/records/{object_type}/{record_id}",
                                         data=json.dumps({"properties": properties}).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request).read()

    def stats(self) -> dict:
        return self.fake.stats()


def archive_records(archive: pathlib.Path, object_name: str) -> tuple:
    """(header, id -> row dict) of one CSV of a backup, read with zipfile and csv."""
    with zipfile.ZipFile(archive) as opened:
        text = opened.read(f"{object_name}.csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    return header, {int(row[0]): dict(zip(header[1:], row[1:])) for row in rows[1:]}


def manifest(archive: pathlib.Path) -> dict:
    with zipfile.ZipFile(archive) as opened:
        return json.loads(opened.read("manifest.json"))
