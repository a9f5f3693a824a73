"""End-to-end: kill -9 at any moment of `crm-restore apply`, of `crm-restore
undo` and of the apply of an undo plan leaves the store exactly as before or
exactly as after, the restore lock free, no half-written plan or undo file,
and the next run succeeds and ends in the right state; two applies at once:
one runs, the other is told to try again (75).

Each sweep kills the command at 50 points spread over its whole run
(killsweep.py: the K-th file call of its main thread, from the plan check,
lock, drift check and undo file to the writes and the commit), each from the
same world; whatever instant a kill lands on, the assertions are the same.
"""
import hashlib
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import unittest

import crmtest
import killsweep
from test_restore_story import RestoreCase


class RestoreCrash(RestoreCase):
    contacts = 5000

    def setUp(self):
        super().setUp()
        self.mutate()
        self.tmp = self.dir / "tmp"  # the private copy of a plan lives in $TMPDIR
        self.tmp.mkdir()
        self.env["TMPDIR"] = str(self.tmp)
        self.path, self.digest, self.summary = self.plan("--object", "deals", "--properties", "dealstage,amount")
        self.assertGreater(self.summary["records_to_change"], 200)
        self.save_world("planned")

    # worlds: the store and the journal (the repository's catalog) together ----

    def save_world(self, name):
        connection = sqlite3.connect(self.store)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        saved = self.dir / f"world-{name}"
        saved.mkdir()
        shutil.copyfile(self.store, saved / "store.sqlite")
        shutil.copyfile(self.repo / "catalog.sqlite", saved / "catalog.sqlite")

    def load_world(self, name):
        saved = self.dir / f"world-{name}"
        for suffix in ("", "-wal", "-shm", "-journal"):
            pathlib.Path(str(self.store) + suffix).unlink(missing_ok=True)
            pathlib.Path(str(self.repo / "catalog.sqlite") + suffix).unlink(missing_ok=True)
        shutil.copyfile(saved / "store.sqlite", self.store)
        shutil.copyfile(saved / "catalog.sqlite", self.repo / "catalog.sqlite")

    def state(self):
        return killsweep.database_state(self.store)

    @staticmethod
    def apply_args(path, digest):
        return ["apply", str(path), "--confirm", digest, "--acknowledge-data-change", "--acknowledge-irreversible"]

    def apply_command(self, path, digest, user="sso-admin"):
        return [crmtest.binary("crm-restore"), "--store", str(self.store), "--repo", str(self.repo), "--as", user,
                *self.apply_args(path, digest)]

    def journal_runs(self):
        connection = killsweep.open_after_kill(self.repo / "catalog.sqlite")
        try:
            return connection.execute("SELECT id, state, plan_hash, undo_file, undo_sha256 FROM restore_runs "
                                      "ORDER BY id").fetchall()
        finally:
            connection.close()

    def temporaries(self, *directories):
        return sorted(str(path) for directory in directories for path in pathlib.Path(directory).iterdir()
                      if path.name.startswith(".tmp-"))

    # the sweeps ----------------------------------------------------------

    def sweep_apply(self, name, world, path, digest):
        """Kills the apply of `path` at 50 points, each from `world`."""
        self.load_world(world)
        before = self.state()
        outcome_before = json.loads(self.restore("--json", "status").stdout)["outcome"]
        self.assertExit(self.restore(*self.apply_args(path, digest), user="sso-admin"), 0)
        after = self.state()
        self.assertNotEqual(before, after)
        self.load_world(world)
        points = killsweep.kill_points(self.apply_command(path, digest), self.env, anchor=self.dir)
        sweep = killsweep.Sweep(self, name)
        seen = {"before": 0, "after": 0}

        def run_point(point):
            self.load_world(world)
            landed = killsweep.kill_at(point, self.apply_command(path, digest), self.env)
            now = self.state()
            self.assertIn(now, (before, after), killsweep.describe_difference(now, before, after))
            is_after = now == after
            seen["after" if is_after else "before"] += 1
            status = self.restore("--json", "status")
            self.assertExit(status, 0)
            status = json.loads(status.stdout)
            self.assertFalse(status["running"], "the restore lock is free after kill -9")
            self.assertIn(status["outcome"], ("completed",) if is_after else ("planned", "interrupted", outcome_before))
            if is_after:
                # A committed restore always has its undo file, as the journal recorded it.
                run = [row for row in self.journal_runs() if row[2] == digest][-1]
                self.assertTrue(os.path.exists(run[3]), f"restore {run[0]} has no undo file")
                self.assertEqual(hashlib.sha256(pathlib.Path(run[3]).read_bytes()).hexdigest(), run[4])
            again = self.restore(*self.apply_args(path, digest), user="sso-admin")
            self.assertExit(again, 75 if is_after else 0)
            self.assertEqual(self.state(), after, "the next run ends in the state of an uninterrupted one")
            self.assertFalse(any(pathlib.Path(self.tmp).iterdir()), "the private plan copy is gone")
            self.assertEqual(self.temporaries(path.parent), [], "the next run removes a killed one's temporaries")
            return landed

        for point in points:
            sweep.check(point, lambda: run_point(point))
        print(f"\n{name}: {seen['before']} kills left the store as before, {seen['after']} as after")
        sweep.finish(before=seen["before"], after=seen["after"])

    def test_kill_9_at_any_moment_of_apply_leaves_the_store_before_or_after(self):
        self.sweep_apply("restore-apply", "planned", self.path, self.digest)

    def test_kill_9_at_any_moment_of_undo_and_of_its_apply(self):
        # The restore, then `undo` (a plan back) swept, then the apply of that plan swept.
        self.load_world("planned")
        mutated = self.state()
        self.assertExit(self.apply(self.path, self.digest, user="sso-admin"), 0)
        import_id = json.loads(self.restore("--json", "history").stdout)[0]["id"]
        self.save_world("restored")
        restored = self.state()
        output = self.dir / "undo" / "undo.plan"
        output.parent.mkdir()
        command = [crmtest.binary("crm-restore"), "--store", str(self.store), "--repo", str(self.repo),
                   "--as", "admin", "--json", "undo", str(import_id), "-o", str(output)]

        def body(path):
            # The plan without its header (which holds the time it was made).
            return path.read_bytes().split(b"\n", 1)[1]

        made = self.restore("--json", "undo", import_id, "-o", output)
        self.assertExit(made, 0)
        reference = body(output)
        undo_digest = json.loads(made.stdout)["hash"]
        undo_path = self.dir / "undo" / "reference.plan"
        output.rename(undo_path)

        points = killsweep.kill_points(command, self.env, anchor=self.dir)
        sweep = killsweep.Sweep(self, "restore-undo")

        def run_point(point):
            output.unlink(missing_ok=True)
            landed = killsweep.kill_at(point, command, self.env)
            self.assertEqual(self.state(), restored, "undo only reads the store")
            if output.exists():
                self.assertEqual(body(output), reference, "a plan appears only complete")
            self.assertFalse(json.loads(self.restore("--json", "status").stdout)["running"])
            again = self.restore("--json", "undo", import_id, "-o", output)
            self.assertExit(again, 0)
            self.assertEqual(body(output), reference, "the next undo writes the same plan")
            self.assertEqual(self.temporaries(output.parent), [], "the next run removes a killed one's temporaries")
            return landed

        for point in points:
            sweep.check(point, lambda: run_point(point))
        sweep.finish()

        self.sweep_apply("restore-undo-apply", "restored", undo_path, undo_digest)
        self.load_world("restored")
        self.assertExit(self.restore(*self.apply_args(undo_path, undo_digest), user="sso-admin"), 0)
        for table in (name for name in mutated if name.startswith("records_")):
            self.assertEqual(self.state()[table], mutated[table], f"the undo puts back every value of {table}")

    def test_two_applies_at_once_one_runs_the_other_is_refused(self):
        processes = [subprocess.Popen(self.apply_command(self.path, self.digest), env=self.env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                     for _ in range(2)]
        outcomes = sorted((process.wait(), process.stderr.read()) for process in processes)
        for process in processes:
            process.stderr.close()
        self.assertEqual([code for code, _ in outcomes], [0, 75], outcomes)
        refused = [line for line in outcomes[1][1].splitlines() if line.strip()]
        self.assertEqual(len(refused), 1, outcomes[1][1])
        self.assertEqual(self.query("SELECT COUNT(*) FROM imports")[0][0], 1)


if __name__ == "__main__":
    unittest.main()
