"""Failures leave nothing partial (SPEC §5): kill -9 at many points of a
create, a held lock, concurrent creates, an unwritable repository and a full
disk."""
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import unittest

import backuptest
import crmtest
import killsweep
from backuptest import at


class LockTest(backuptest.BackupTestCase):
    def test_a_held_lock_refuses_a_second_writer(self):
        self.create(when="2026-01-01 02:00:00")
        with open(self.repo / "lock", "r+") as lock:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a POSIX lock: conflicts with our OFD locks
            result = self.backup("create", env=at("2026-01-05 02:00:00"))
        self.assertExit(result, 75)
        self.assertIn("lock held", result.stderr)
        self.assertEqual(len(json.loads(self.backup("list", "--json").stdout)), 1)

    def test_concurrent_creates_give_one_backup(self):
        # Into a new repository each time: the two also race to make it (a
        # second create once found a directory "not empty" or a catalog of
        # version 0, about one run in fifteen).
        for attempt in range(10):
            repo = self.dir / f"repo-{attempt}"
            command = [crmtest.binary("crm-backup"), "create", "--store", str(self.store), "--repo", str(repo),
                       "--as", "admin"]
            processes = [subprocess.Popen(command, env={**self.env, **at("2026-01-01 02:00:00")},
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                         for _ in range(2)]
            results = sorted((process.wait(timeout=600), process.stderr.read()) for process in processes)
            for process in processes:
                process.stdout.close()
                process.stderr.close()
            self.assertEqual([code for code, _ in results], [0, 75], results)
            listed = self.run_tool("crm-backup", "list", "--json", "--repo", repo, "--as", "admin")
            self.assertEqual(len(json.loads(listed.stdout)), 1)


class KillTest(backuptest.BackupTestCase):
    contacts = 3000

    def test_kill_9_at_any_point_leaves_complete_backups_or_none(self):
        # The world each kill starts from: a repository holding one earlier
        # backup (which no kill may harm) and the store.
        earlier = self.create(when="2026-01-01 02:00:00")
        world = self.dir / "world"
        world.mkdir()
        shutil.copyfile(self.store, world / "store.sqlite")
        shutil.copytree(self.repo, world / "repo")

        def load_world():
            for suffix in ("", "-wal", "-shm", "-journal"):
                pathlib.Path(str(self.store) + suffix).unlink(missing_ok=True)
            shutil.copyfile(world / "store.sqlite", self.store)
            shutil.rmtree(self.repo)
            shutil.copytree(world / "repo", self.repo)

        command = [crmtest.binary("crm-backup"), "create", "--store", str(self.store), "--repo", str(self.repo),
                   "--as", "admin"]
        env = {**self.env, **at("2026-01-03 02:00:00")}
        volatile = killsweep.VOLATILE_COLUMNS | {"message"}  # a notification names the backup's random id
        before = killsweep.database_state(self.store, volatile=volatile)
        self.assertExit(self.backup("create", env=at("2026-01-03 02:00:00")), 0)
        after = killsweep.database_state(self.store, volatile=volatile)
        load_world()
        points = killsweep.kill_points(command, env, anchor=self.dir)
        sweep = killsweep.Sweep(self, "backup-create")

        def run_point(point):
            load_world()
            landed = killsweep.kill_at(point, command, env)
            now = killsweep.database_state(self.store, volatile=volatile)
            self.assertIn(now, (before, after), killsweep.describe_difference(now, before, after))
            listed = self.assert_only_complete_backups()
            self.assertIn(earlier["backup_id"], listed, "the earlier backup is still there")
            self.assertLessEqual(len(listed), 2)
            final = self.backup("create", "--json", env=at("2026-01-03 02:10:00"))
            if len(listed) == 2:
                self.assertExit(final, 75)  # the killed run's backup is there: once a day
            else:
                self.assertExit(final, 0)
            self.assertEqual(len(self.assert_only_complete_backups()), 2)
            leftovers = [name for name in os.listdir(self.repo) if name.startswith(".tmp-")]
            if final.code == 0:
                self.assertEqual(leftovers, [], "the next writer removes what killed ones left")
            return landed

        for point in points:
            sweep.check(point, lambda: run_point(point))
        sweep.finish()

    def assert_only_complete_backups(self):
        """Every listed backup has its archive and verifies; every archive in
        the repository is listed or a complete orphan (renamed, row not yet
        inserted: readers ignore it, the next writer removes it)."""
        listed = self.backup("list", "--json")
        self.assertExit(listed, 0)
        backups = json.loads(listed.stdout)
        for backup in backups:
            self.assertTrue(os.path.exists(backup["archive"]))
            self.assertExit(self.backup("verify", backup["backup_id"]), 0)
        names = {os.path.basename(backup["archive"]) for backup in backups}
        for name in os.listdir(self.repo):
            if name.endswith(".zip") and name not in names:
                self.assertExit(self.backup("verify", self.repo / name), 0)
        return [backup["backup_id"] for backup in backups]


class DiskTest(backuptest.BackupTestCase):
    contacts = 20000

    def tearDown(self):
        subprocess.run(["umount", str(self.dir / "mnt")], capture_output=True)
        super().tearDown()

    def test_a_full_disk_fails_with_74_and_leaves_nothing(self):
        mount = self.dir / "mnt"
        if not crmtest.mount_tmpfs(mount, "size=1m"):
            self.skipTest("cannot mount a small tmpfs here (needs root); disk-full not simulated")
        self.repo = mount / "repo"
        result = self.backup("create")
        self.assertExit(result, 74)
        names = os.listdir(self.repo)
        self.assertFalse([name for name in names if name.endswith(".zip") or name.startswith(".tmp-")], names)
        listed = self.backup("list", "--json")
        self.assertExit(listed, 0)
        self.assertEqual(json.loads(listed.stdout), [])
        crmtest.record_reliability("diskfull", "backup-create", runs=1, lost=0)

    def test_a_read_only_repository_cannot_be_created(self):
        mount = self.dir / "mnt"
        if not crmtest.mount_tmpfs(mount, "ro,size=1m"):
            self.skipTest("cannot mount a read-only tmpfs here (needs root)")
        self.repo = mount / "repo"
        result = self.backup("create")
        self.assertIn(result.code, (73, 74), repr(result))
        self.assertExit(result, result.code)

    def test_a_repository_path_through_a_file_cannot_be_created(self):
        blocker = self.dir / "file"
        blocker.write_text("not a directory")
        self.repo = blocker / "repo"
        result = self.backup("create")
        self.assertIn(result.code, (73, 74), repr(result))
        self.assertExit(result, result.code)


if __name__ == "__main__":
    unittest.main()
