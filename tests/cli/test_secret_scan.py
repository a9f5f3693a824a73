"""The secrets scan of the scoreboard (issue 10, SPEC §8): backups,
restores and a scheduled backup run with a passphrase, a two-factor code and
an API token set to known canary strings, and the canaries are looked for
everywhere they must never be: the argument vector of every child (the
notify command records its own and its parent's /proc/<pid>/cmdline), the
children's environments, stdout and stderr (logs), `--json` outputs, the
journal and audit rows (the repository's catalog and the store, read as
bytes with their WAL files) and every other file the runs left.
"""
import json
import os
import pathlib
import re
import sqlite3
import time

import crmtest
from test_restore_story import RestoreCase, totp
from test_schedule_cli import at

PASSPHRASE = "canary-passphrase-5d1f0b7e"
TOKEN = "canary-token-pat-na1-9c2e44"
WRONG_OTP = "918273"  # a well-formed code that is wrong: it is refused, and must not be echoed either
CANARIES = (PASSPHRASE, TOKEN, WRONG_OTP)


class SecretScan(RestoreCase):
    contacts = 300

    def setUp(self):
        super().setUp()
        self.secrets = self.dir / "secrets"
        self.secrets.mkdir(mode=0o700)
        self.passphrase_file = self.secrets / "passphrase"
        self.passphrase_file.write_text(PASSPHRASE + "\n")
        self.passphrase_file.chmod(0o600)
        self.dumps = self.dir / "notify"
        self.dumps.mkdir()
        # Every notification dumps the child's environment, its argv and its parent's (the tool's) argv.
        self.env["CRM_NOTIFY_COMMAND"] = (
            f'd="{self.dumps}/$$"; env > "$d.env"; tr "\\0" " " < /proc/$$/cmdline > "$d.argv"; '
            f'tr "\\0" " " < /proc/$PPID/cmdline >> "$d.argv"')
        # Set for every run: the passphrase, the token (for a HubSpot store; here
        # only something to scrub) and a two-factor code.
        self.env["CRM_BACKUP_PASSPHRASE"] = PASSPHRASE
        self.env["CRM_HUBSPOT_TOKEN"] = TOKEN
        self.outputs = []  # (what, text)

    def tool(self, name, *args, env=None, input=None):
        result = self.run_tool(name, *args, env=env, input=input)
        self.outputs.append((f"{name} {args[:6]} stdout", result.stdout))
        self.outputs.append((f"{name} {args[:6]} stderr", result.stderr))
        return result

    def crm(self, name, *args, user="admin", env=None, input=None):
        return self.tool(name, "--store", self.store, "--repo", self.repo, "--as", user, *args, env=env,
                         input=input)

    def test_no_canary_reaches_argv_logs_json_journal_or_a_child(self):
        # crm-backup: encrypted creates (environment, file and stdin), reads with the passphrase.
        created = self.crm("crm-backup", "create", "--encrypt", "--json", env=at("2026-12-10 02:00:00"))
        self.assertExit(created, 0)
        backup_id = json.loads(created.stdout)["backup_id"]
        self.assertExit(self.crm("crm-backup", "create", "--encrypt", "--passphrase-file", self.passphrase_file,
                                 "--json", env={**at("2026-12-12 02:00:00"), "CRM_BACKUP_PASSPHRASE": ""}), 0)
        self.assertExit(self.crm("crm-backup", "create", "--encrypt", "--passphrase-file", "-", "--json",
                                 env={**at("2026-12-13 02:00:00"), "CRM_BACKUP_PASSPHRASE": ""},
                                 input=PASSPHRASE + "\n"), 0)
        for args in (("list", "--json"), ("verify", backup_id, "--json"), ("show", backup_id, "--json"),
                     ("diff", backup_id, "--live", "--json")):
            self.crm("crm-backup", *args)
        # A secret on the command line is refused (64) and not echoed.
        for option in ("--passphrase", "--otp", "--token"):
            refused = self.crm("crm-backup", "create", option, PASSPHRASE)
            self.assertExit(refused, 64)
        # crm-restore: a plan from the encrypted backup, a wrong code (77), then the right one from a file.
        self.mutate()
        plan = self.dir / "deals.plan"
        planned = self.crm("crm-restore", "plan", "--backup", backup_id, "-o", plan, "--json", "--object", "deals",
                           "--properties", "dealstage")
        self.assertExit(planned, 0)
        digest = json.loads(planned.stdout)["hash"]
        acknowledged = ["--confirm", digest, "--acknowledge-data-change", "--acknowledge-irreversible"]
        wrong = self.crm("crm-restore", "apply", plan, *acknowledged, env={"CRM_OTP": WRONG_OTP})
        self.assertExit(wrong, 77)
        code_file = self.secrets / "otp"
        code = totp(pathlib.Path(str(self.store) + ".admin-totp").read_text(), time.time())
        code_file.write_text(code + "\n")
        applied = self.crm("crm-restore", "--json", "apply", plan, *acknowledged, "--otp-file", code_file,
                           env={"CRM_OTP": WRONG_OTP})
        self.assertExit(applied, 0)
        for args in (("--json", "history"), ("--json", "status")):
            self.crm("crm-restore", *args)
        # crm-schedule: an encrypted schedule, a due slot run with the secrets in the environment
        # (a scheduled backup runs the repository's notify command).
        self.assertExit(self.crm("crm-backup", "config", "set", "notify_command", self.env["CRM_NOTIFY_COMMAND"]), 0)
        self.assertExit(self.crm("crm-schedule", "enable", "--every", "week", "--day", "mon", "--at", "02:00",
                                 "--encrypt", "--passphrase-file", self.passphrase_file, env=at("2026-12-14 10:00:00")), 0)
        ran = self.tool("crm-schedule", "run", "--json", "--store", self.store, "--repo", self.repo,
                        env={**at("2026-12-21 02:05:00"), "CRM_OTP": WRONG_OTP})
        self.assertExit(ran, 0)

        found = {"argv": [], "logs": [], "json": [], "journal and audit": [], "child environments": [],
                 "other files": []}
        dumps = sorted(self.dumps.iterdir())
        self.assertGreaterEqual(len([d for d in dumps if d.suffix == ".env"]), 5, "the notify command ran")
        for dump in dumps:
            text = dump.read_text(errors="replace")
            for secret in (*CANARIES, code):
                if secret in text:
                    found["child environments" if dump.suffix == ".env" else "argv"].append(f"{secret} in {dump}")
        for what, text in self.outputs:
            for secret in CANARIES:
                if secret in text:
                    kind = "json" if "--json" in what and "stdout" in what else "logs"
                    found[kind].append(f"{secret} in {what}")
        journal_files = {str(self.repo / "catalog.sqlite"), str(self.store)}
        skip = {self.secrets, self.dumps}
        for path in sorted(self.dir.rglob("*")):
            if not path.is_file() or skip.intersection(path.parents) or path.suffix == ".zip":
                continue
            data = path.read_bytes()
            for secret in CANARIES:
                if secret.encode() in data:
                    base = re.sub(r"-(wal|shm|journal)$", "", str(path))
                    found["journal and audit" if base in journal_files else "other files"].append(
                        f"{secret} in {path}")
        # The rows themselves, through SQLite, in case a page is compressed or split.
        for database, tables in ((self.repo / "catalog.sqlite", ("audit_log", "notifications", "restore_runs",
                                                                  "settings", "schedule", "backups")),
                                 (self.store, ("audit_log", "notifications", "imports"))):
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            try:
                for table in tables:
                    for row in connection.execute(f'SELECT * FROM "{table}"'):
                        for secret in CANARIES:
                            if secret in repr(row):
                                found["journal and audit"].append(f"{secret} in {database.name} {table}")
            finally:
                connection.close()
        counts = {kind: len(items) for kind, items in found.items()}
        crmtest.record_reliability("secrets", "canaries", runs=len(self.outputs) // 2, **counts)
        self.assertEqual({kind: items for kind, items in found.items() if items}, {})


if __name__ == "__main__":
    import unittest
    unittest.main()
