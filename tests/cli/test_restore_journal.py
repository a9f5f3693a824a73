"""End-to-end: the journal in the backup repository (issue 8).

crm-restore keeps its bookkeeping in the repository's catalog, the same for
every store: restore runs and imports, audit, notifications, two-factor
enrollments, the replay guard and the lockout. Read with Python's sqlite3,
an independent reader of what the tools wrote.
"""
import json
import re
import sqlite3
import stat
import time
import unittest

from test_restore_story import RestoreCase, totp


class RestoreJournal(RestoreCase):
    contacts = 500

    def journal(self, sql, *params):
        connection = sqlite3.connect(f"file:{self.repo / 'catalog.sqlite'}?mode=ro", uri=True)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def test_apply_is_recorded_in_the_journal_and_history_reads_it(self):
        self.mutate()
        path, digest, _ = self.plan("--object", "deals", "--properties", "dealstage")
        result = self.apply(path, digest, user="sso-admin")
        self.assertExit(result, 0)
        runs = self.journal("SELECT id, state, import_name, plan_hash, undo_sha256, records_written, records_total "
                            "FROM restore_runs")
        self.assertEqual(len(runs), 1)
        run_id, state, name, plan_hash, undo_sha256, written, total = runs[0]
        self.assertEqual((state, name, plan_hash), ("applied", "Data Restore - Deal", digest))
        self.assertEqual(written, total)
        self.assertRegex(undo_sha256, r"^[0-9a-f]{64}$")
        self.assertEqual([row[0] for row in self.journal("SELECT action FROM audit_log")], ["restore.apply"])
        self.assertEqual([row[0] for row in self.journal("SELECT kind FROM notifications")],
                         ["backup.ready", "restore.done"])
        history = json.loads(self.restore("--json", "history").stdout)
        self.assertEqual([entry["id"] for entry in history], [run_id])
        status = json.loads(self.restore("--json", "status").stdout)
        self.assertEqual((status["running"], status["outcome"], status["last_run"]["id"]), (False, "completed", run_id))

    def test_journal_commands_need_a_repository(self):
        result = self.run_tool("crm-restore", "--store", self.store, "--as", "admin", "history")
        self.assertExit(result, 64)
        self.assertIn("--repo", result.stderr)

    def test_the_notify_command_runs_for_restores_too(self):
        self.mutate()
        path, digest, _ = self.plan("--object", "deals", "--properties", "dealstage")
        out = self.dir / "notified"
        result = self.apply(path, digest, user="sso-admin")
        self.assertExit(result, 0)
        # A second restore (the undo) with a notify command configured.
        import_id = json.loads(self.restore("--json", "history").stdout)[0]["id"]
        undo = json.loads(self.restore("--json", "undo", import_id, "-o", self.dir / "undo.plan").stdout)
        env = {"CRM_NOTIFY_COMMAND": f'echo "$CRM_RESTORE_STATE $CRM_RESTORE_IMPORT_ID ${{CRM_OTP:-none}}" > {out}'}
        result = self.restore("apply", self.dir / "undo.plan", "--confirm", undo["hash"], "--acknowledge-data-change",
                              "--acknowledge-irreversible", user="sso-admin", env=env)
        self.assertExit(result, 0)
        state, new_id, otp = out.read_text().split()
        self.assertEqual(state, "applied")
        self.assertGreater(int(new_id), import_id)


    def test_five_wrong_codes_lock_restores_for_fifteen_minutes(self):
        self.mutate()
        path, digest, _ = self.plan("--object", "deals", "--properties", "dealstage")
        right = self.code()
        wrong = "000000" if right != "000000" else "111111"
        for attempt in range(4):
            result = self.apply(path, digest, code=wrong)
            self.assertExit(result, 77)
            self.assertIn("two-factor code is wrong or expired", result.stderr)
        result = self.apply(path, digest, code=wrong)
        self.assertExit(result, 77)
        self.assertIn("restores are now locked for admin until", result.stderr)
        result = self.apply(path, digest, code=self.code())
        self.assertExit(result, 77)
        self.assertRegex(result.stderr, r"restores are locked for admin until \d{4}-\d\d-\d\d \d\d:\d\d UTC")
        self.assertEqual(self.query("SELECT COUNT(*) FROM imports")[0][0], 0)
        report = json.loads(self.restore("--json", "2fa", "status").stdout)
        self.assertEqual((report["locked"], report["failed_attempts"]), (True, 5))
        # The SSO admin is not locked out by someone else's codes.
        self.assertExit(self.apply(path, digest, user="sso-admin"), 0)

    def test_enroll_prints_an_otpauth_uri_and_its_codes_open_restores(self):
        # The viewer may not enroll; a super admin may, and the journal keeps the secret (0600).
        self.assertExit(self.restore("2fa", "enroll", user="viewer"), 77)
        result = self.restore("2fa", "enroll", user="sso-admin")
        self.assertExit(result, 0)
        uri = result.stdout.strip().splitlines()[-1]
        match = re.fullmatch(r"otpauth://totp/crm-backup:sso-admin\?secret=([A-Z2-7]+)&issuer=crm-backup"
                             r"&algorithm=SHA1&digits=6&period=30", uri)
        self.assertIsNotNone(match, uri)
        self.assertNotIn(match.group(1), result.stderr)
        self.assertEqual(stat.S_IMODE((self.repo / "catalog.sqlite").stat().st_mode), 0o600)
        enrolled = json.loads(self.restore("--json", "2fa", "status", user="sso-admin").stdout)
        self.assertTrue(enrolled["enrolled"])
        self.assertExit(self.restore("2fa", "remove", user="sso-admin"), 0)
        self.assertExit(self.restore("2fa", "remove", user="sso-admin"), 66)

    def test_an_admin_without_a_secret_in_the_store_enrolls_with_the_repository(self):
        # A second super admin the demo store has no TOTP secret for: the repository's enrollment serves.
        connection = sqlite3.connect(self.store)
        connection.execute("INSERT INTO users (name, is_super_admin, uses_sso, totp_secret, last_totp_step) "
                           "VALUES ('ops', 1, 0, '', -1)")
        connection.commit()
        connection.close()
        self.mutate()
        path, digest, _ = self.plan("--object", "deals", "--properties", "dealstage", user="ops")
        result = self.apply(path, digest, user="ops", code="123456")
        self.assertExit(result, 77)
        self.assertIn("crm-restore 2fa enroll", result.stderr)
        uri = self.restore("2fa", "enroll", user="ops").stdout.strip().splitlines()[-1]
        secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)
        self.assertExit(self.apply(path, digest, user="ops", code=totp(secret, time.time())), 0)


if __name__ == "__main__":
    unittest.main()
