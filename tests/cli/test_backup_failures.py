"""Failures leave nothing partial (SPEC §5): kill -9 at many points of a
create, a held lock, concurrent creates, an unwritable repository and a full
disk."""
import fcntl
import json
import os
import signal
import subprocess
import time
import unittest

import backuptest
import crmtest
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
        command = [crmtest.binary("crm-backup"), "create", "--store", str(self.store), "--repo", str(self.repo),
                   "--as", "admin"]
        processes = [subprocess.Popen(command, env={**self.env, **at("2026-01-01 02:00:00")},
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2)]
        codes = sorted(process.wait(timeout=600) for process in processes)
        for process in processes:
            process.stdout.close()
            process.stderr.close()
        self.assertEqual(codes, [0, 75])
        self.assertEqual(len(json.loads(self.backup("list", "--json").stdout)), 1)


class KillTest(backuptest.BackupTestCase):
    contacts = 60000

    def test_kill_9_at_any_point_leaves_complete_backups_or_none(self):
        command = [crmtest.binary("crm-backup"), "create", "--store", str(self.store), "--repo", str(self.repo),
                   "--as", "admin"]
        delays = [0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2, 1.8, 2.5]
        for day, delay in enumerate(delays, start=1):
            # A new faked day for each run, so that the plan's frequency limit never refuses.
            env = {**self.env, **at(f"2026-01-{day:02d} 02:00:00")}
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            self.assert_only_complete_backups()
        final = self.backup("create", "--json", env=at("2026-01-20 02:00:00"))
        self.assertExit(final, 0)
        self.assert_only_complete_backups()
        leftovers = [name for name in os.listdir(self.repo) if name.startswith(".tmp-")]
        self.assertEqual(leftovers, [], "the next writer removes what killed ones left")

    def assert_only_complete_backups(self):
        if not self.repo.exists():
            return
        listed = self.backup("list", "--json")
        if listed.code == 66:  # killed before the catalog existed
            return
        self.assertExit(listed, 0)
        for backup in json.loads(listed.stdout):
            self.assertTrue(os.path.exists(backup["archive"]))
            self.assertExit(self.backup("verify", backup["id"]), 0)


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
