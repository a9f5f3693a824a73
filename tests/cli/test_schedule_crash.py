"""End-to-end: kill -9 at any moment of a `crm-schedule run` that backs up a
due slot leaves the store as before or as after (a backup only reads it,
then adds its notification), no partial archive in the repository, no
catalog row without its archive, no lock held, and the next run ends the
slot with exactly one backup.

The sweep kills the run at 50 points spread over its whole run
(killsweep.py), each from the same world: a weekly schedule whose first slot
is due.
"""
import json
import os
import pathlib
import shutil
import unittest

import crmtest
import killsweep
from test_schedule_cli import ScheduleTestCase, at

RUN_AT = "2026-01-12 02:05:00"
NEXT_RUN_AT = "2026-01-12 02:20:00"
# A notification's message names the backup, whose id has a random part.
VOLATILE = killsweep.VOLATILE_COLUMNS | {"message"}


class ScheduleCrash(ScheduleTestCase):
    def setUp(self):
        super().setUp()
        self.make_store(contacts=3000)
        self.enable()
        self.world = self.dir / "world"
        self.world.mkdir()
        shutil.copyfile(self.store, self.world / "store.sqlite")
        shutil.copytree(self.repo, self.world / "repo")

    def load_world(self):
        for suffix in ("", "-wal", "-shm", "-journal"):
            pathlib.Path(str(self.store) + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.world / "store.sqlite", self.store)
        shutil.rmtree(self.repo)
        shutil.copytree(self.world / "repo", self.repo)

    def state(self):
        return killsweep.database_state(self.store, volatile=VOLATILE)

    def catalog(self):
        connection = killsweep.open_after_kill(self.repo / "catalog.sqlite")
        try:
            return connection.execute("SELECT id, archive_name, state, note FROM backups ORDER BY id").fetchall()
        finally:
            connection.close()

    def assert_repository_whole(self, orphans_allowed):
        """Every catalog row has its archive, which verifies. A kill between
        the archive's rename and its catalog row leaves a complete archive
        without a row, which readers ignore and the next writer removes
        (catalog/repository.cpp): allowed right after a kill only, and only
        complete. Temporary files are the only other thing a kill may leave."""
        rows = self.catalog()
        names = {row[1] for row in rows}
        for backup_id, archive_name, _, _ in rows:
            self.assertTrue((self.repo / archive_name).exists(), f"catalog row {backup_id} without its archive")
            self.assertExit(self.run_tool("crm-backup", "verify", backup_id), 0)
        for path in self.repo.iterdir():
            if path.name.endswith(".zip") and path.name not in names:
                self.assertTrue(orphans_allowed, f"{path.name} is in the repository but not in the catalog")
                self.assertExit(self.run_tool("crm-backup", "verify", path), 0)
        return rows

    def test_kill_9_at_any_moment_of_a_scheduled_backup(self):
        command = [crmtest.binary("crm-schedule"), "run", "--json"]
        env = {**self.env, **at(RUN_AT)}
        before = self.state()
        done = self.run_tool("crm-schedule", "run", "--json", env=at(RUN_AT))
        self.assertExit(done, 0)
        self.assertEqual(json.loads(done.stdout)["outcome"], "backed_up")
        after = self.state()
        self.assertEqual([row[3] for row in after["notifications"]], ["backup.ready"])
        self.load_world()
        points = killsweep.kill_points(command, env, anchor=self.dir)
        sweep = killsweep.Sweep(self, "schedule-run")
        seen = {"before": 0, "after": 0, "notification lost": 0}

        def run_point(point):
            self.load_world()
            landed = killsweep.kill_at(point, command, env)
            now = self.state()
            self.assertIn(now, (before, after), killsweep.describe_difference(now, before, after))
            rows = self.assert_repository_whole(orphans_allowed=True)
            self.assertLessEqual(len(rows), 1)
            seen["after" if now == after else "before"] += 1
            # A kill between publishing the backup and adding its
            # notification loses that notification (the backup is listed
            # and status tells of it): counted, not hidden.
            is_notification_lost = now == before and len(rows) == 1
            again = self.run_tool("crm-schedule", "run", "--json", env=at(NEXT_RUN_AT))
            self.assertExit(again, 0)
            rows = self.assert_repository_whole(orphans_allowed=False)
            self.assertEqual(len(rows), 1, "one backup for the slot")
            if is_notification_lost:
                seen["notification lost"] += 1
                self.assertEqual(self.state(), before)
            else:
                self.assertEqual(self.state(), after, "the store as after an uninterrupted run")
            status = json.loads(self.run_tool("crm-schedule", "status", "--json", env=at(NEXT_RUN_AT)).stdout)
            self.assertTrue(status["last_outcome"].startswith("ok: backup "), status["last_outcome"])
            self.assertEqual(status["next_run"], "2026-01-19T02:00:00Z")
            leftovers = [name for name in os.listdir(self.repo) if name.startswith(".tmp-")]
            self.assertEqual(leftovers, [], "the next run removes what a killed one left")
            return landed

        for point in points:
            sweep.check(point, lambda: run_point(point))
        print(f"\nschedule run: {seen['before']} kills left the store as before, {seen['after']} as after, "
              f"{seen['notification lost']} lost the backup's notification")
        sweep.finish(before=seen["before"], after=seen["after"], notifications_lost=seen["notification lost"])


if __name__ == "__main__":
    unittest.main()
