"""End-to-end: kill -9 at any moment of `crm-restore apply` leaves the store
exactly as before or exactly as after, and the restore lock free; two applies
at once: one runs, the other is told to try again (75).

The sweep kills apply after a range of delays covering its whole run (plan
check, lock, drift check, writes, undo file, commit); whatever instant each
kill lands on, the assertion is the same, so no timing is asserted.
"""
import json
import pathlib
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

import crmtest
from test_restore_story import RestoreCase


class RestoreCrash(RestoreCase):
    contacts = 20000

    def setUp(self):
        super().setUp()
        self.mutate()
        connection = sqlite3.connect(self.store)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        self.pristine = self.dir / "pristine.sqlite"
        shutil.copyfile(self.store, self.pristine)
        self.path, self.digest, self.summary = self.plan("--object", "deals", "--properties", "dealstage,amount")
        self.assertGreater(self.summary["records_to_change"], 1000)
        # The journal (in the repository's catalog, where the plan is now
        # "planned") is reset with the store: each kill starts from the same world.
        self.pristine_catalog = self.dir / "pristine-catalog.sqlite"
        shutil.copyfile(self.repo / "catalog.sqlite", self.pristine_catalog)

    def reset_store(self):
        for suffix in ("", "-wal", "-shm"):
            pathlib.Path(str(self.store) + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.pristine, self.store)
        for suffix in ("-journal", "-wal", "-shm"):
            pathlib.Path(str(self.repo / "catalog.sqlite") + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.pristine_catalog, self.repo / "catalog.sqlite")

    def state(self):
        deals = self.records("deals")
        imports = self.query("SELECT COUNT(*) FROM imports")[0][0]
        enrollments = self.query("SELECT COUNT(*) FROM workflow_enrollments")[0][0]
        audit = self.query("SELECT COUNT(*) FROM audit_log WHERE action = 'restore.apply'")[0][0]
        return deals, imports, enrollments, audit

    def apply_command(self, user="sso-admin"):
        return [crmtest.binary("crm-restore"), "--store", str(self.store), "--repo", str(self.repo), "--as", user,
                "apply", str(self.path),
                "--confirm", self.digest, "--acknowledge-data-change", "--acknowledge-irreversible"]

    def test_kill_9_at_any_moment_leaves_the_store_before_or_after(self):
        before = self.state()
        self.assertExit(self.apply(self.path, self.digest, user="sso-admin"), 0)
        after = self.state()
        self.assertNotEqual(before[0], after[0])
        self.assertEqual(before[1:], (0, 0, 0))
        seen = {"before": 0, "after": 0}
        for delay in (0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.4, 0.6, 0.9):
            with self.subTest(delay=delay):
                self.reset_store()
                process = subprocess.Popen(self.apply_command(), env=self.env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
                time.sleep(delay)
                process.send_signal(signal.SIGKILL)
                process.wait()
                now = self.state()
                self.assertIn(now, (before, after), f"killed after {delay}s: the store is half-restored")
                seen["before" if now == before else "after"] += 1
                status = json.loads(self.restore("--json", "status").stdout)
                self.assertFalse(status["running"], "the restore lock is free after kill -9")
                self.assertIn(status["outcome"], ("completed",) if now == after else ("planned", "interrupted"))
                again = self.apply(self.path, self.digest, user="sso-admin")
                self.assertExit(again, 0 if now == before else 75)
                self.assertEqual(self.state(), after)
        print(f"\nkill -9 sweep: {seen['before']} kills left the store as before, {seen['after']} as after")

    def test_two_applies_at_once_one_runs_the_other_is_refused(self):
        processes = [subprocess.Popen(self.apply_command(), env=self.env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outcomes = sorted((process.wait(), process.stderr.read()) for process in processes)
        for process in processes:
            process.stderr.close()
        self.assertEqual([code for code, _ in outcomes], [0, 75], outcomes)
        refused = [line for line in outcomes[1][1].splitlines() if line.strip()]
        self.assertEqual(len(refused), 1, outcomes[1][1])
        self.assertEqual(self.query("SELECT COUNT(*) FROM imports")[0][0], 1)


if __name__ == "__main__":
    unittest.main()
