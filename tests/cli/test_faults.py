"""Fault runs (issue 10): a disk that fills while apply writes its undo
file, a store replaced by garbage, and a repository on a read-only file
system. Each command fails with its exit code and one stderr line, and
nothing it must not touch changes: the store keeps every value, the
repository every backup, and no half-written file stays behind.

The disk-full and read-only runs need a small tmpfs (root, as in CI); they
are skipped where it cannot be mounted.
"""
import json
import os
import pathlib
import sqlite3
import subprocess
import unittest

import crmtest
import killsweep
from test_restore_story import RestoreCase
from test_schedule_cli import ENABLED_AT, at


def fill(directory, leave_bytes):
    """Fills the file system of `directory` with a file, then gives back
    `leave_bytes` (so that exactly about that much is free)."""
    filler = pathlib.Path(directory) / "filler"
    chunk = b"\0" * 4096
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        while os.write(fd, chunk) > 0:
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave_bytes))
    return filler


class DiskFullUndo(RestoreCase):
    contacts = 2000

    def tearDown(self):
        subprocess.run(["umount", str(self.dir / "mnt")], capture_output=True)
        super().tearDown()

    def test_a_disk_full_while_writing_the_undo_file_fails_74_and_leaves_the_store_untouched(self):
        mount = self.dir / "mnt"
        if not crmtest.mount_tmpfs(mount, "size=2m"):
            self.skipTest("cannot mount a small tmpfs here (needs root); disk-full not simulated")
        self.mutate()
        # The plan (and so the undo file beside it) on the small disk; the
        # store, the repository and $TMPDIR elsewhere.
        self.env["TMPDIR"] = str(self.dir)
        path, digest, summary = self.plan("--object", "deals", "--properties", "dealstage,amount",
                                          output="mnt/deals.plan")
        self.assertGreater(summary["records_to_change"], 100)
        self.assertGreater(path.stat().st_size, 16384)
        before = killsweep.database_state(self.store)
        filler = fill(mount, 8192)

        result = self.apply(path, digest, user="sso-admin")
        self.assertExit(result, 74)
        self.assertIn("undo", result.stderr)
        self.assertEqual(killsweep.database_state(self.store), before, "the store is untouched")
        self.assertEqual(sorted(p.name for p in mount.iterdir()), ["deals.plan", "filler"],
                         "no undo file, whole or partial")
        status = json.loads(self.restore("--json", "status").stdout)
        self.assertFalse(status["running"])
        self.assertEqual(self.query("SELECT COUNT(*) FROM imports")[0][0], 0)

        # With room again, the same plan applies.
        filler.unlink()
        self.assertExit(self.apply(path, digest, user="sso-admin"), 0)
        self.assertNotEqual(killsweep.database_state(self.store), before)
        self.assertEqual(len(list(mount.glob("deals.plan.*.undo"))), 1)
        crmtest.record_reliability("diskfull", "restore-apply-undo-file", runs=1, lost=0)


class GarbageStore(RestoreCase):
    """The store's file replaced by garbage after a backup and a plan."""

    contacts = 300

    GARBAGE = {
        "random bytes": os.urandom(64 * 1024),
        "a SQLite header then random bytes": b"SQLite format 3\0" + os.urandom(64 * 1024),
        "text": b"not a database, just text that is long enough to be a header\n" * 100,
    }

    def test_every_command_refuses_a_store_replaced_by_garbage_and_leaves_it_as_it_is(self):
        self.mutate()
        path, digest, _ = self.plan("--object", "deals", "--properties", "dealstage")
        enabled = self.run_tool("crm-schedule", "enable", "--every", "week", "--day", "mon", "--at", "02:00",
                                "--store", self.store, "--repo", self.repo, "--as", "admin", env=at(ENABLED_AT))
        self.assertExit(enabled, 0)
        catalog = (self.repo / "catalog.sqlite").read_bytes()
        archives = sorted(p.name for p in self.repo.glob("*.zip"))
        runs = 0
        for name, garbage in self.GARBAGE.items():
            for suffix in ("-wal", "-shm", "-journal"):
                pathlib.Path(str(self.store) + suffix).unlink(missing_ok=True)
            self.store.write_bytes(garbage)
            commands = {
                "create": self.run_tool("crm-backup", "create", "--store", self.store, "--repo", self.repo,
                                        "--as", "admin"),
                "diff": self.run_tool("crm-backup", "diff", self.backup["backup_id"], "--live", "--store", self.store,
                                      "--repo", self.repo),
                "plan": self.restore("plan", "--backup", self.archive, "-o", self.dir / "garbage.plan",
                                     "--object", "deals", "--properties", "dealstage"),
                "apply": self.apply(path, digest, user="sso-admin"),
                "status": self.restore("status"),
                "schedule run": self.run_tool("crm-schedule", "run", "--store", self.store, "--repo", self.repo,
                                              env=at("2026-01-12 02:05:00")),
            }
            for command, result in commands.items():
                with self.subTest(garbage=name, command=command):
                    runs += 1
                    self.assertIn(result.code, (65, 66), repr(result))
                    self.assertExit(result, result.code)
                    self.assertEqual(self.store.read_bytes(), garbage, "the garbage is left as it was")
                    self.assertFalse((self.dir / "garbage.plan").exists())
                    self.assertEqual(sorted(p.name for p in self.repo.glob("*.zip")), archives)
        # The journal may record refused runs, never a backup or a restore.
        connection = sqlite3.connect(f"file:{self.repo / 'catalog.sqlite'}?mode=ro", uri=True)
        try:
            self.assertEqual(connection.execute("SELECT COUNT(*) FROM backups").fetchone()[0], 1)
            self.assertEqual(connection.execute("SELECT COUNT(*) FROM restore_runs WHERE state = 'applied'")
                             .fetchone()[0], 0)
        finally:
            connection.close()
        self.assertTrue(catalog)
        crmtest.record_reliability("fault", "garbage-store", runs=runs, lost=0)


class ReadOnlyRepository(RestoreCase):
    """A repository holding a backup, its file system then remounted read-only."""

    contacts = 300

    def setUp(self):
        crmtest.CliTestCase.setUp(self)
        self.mount = self.dir / "mnt"
        if not crmtest.mount_tmpfs(self.mount, "size=8m"):
            self.skipTest("cannot mount a small tmpfs here (needs root)")
        self.store = self.dir / "crm.sqlite"
        self.repo = self.mount / "repo"
        self.assertExit(self.run_tool("crm-demo", "init", "--store", self.store, "--contacts", self.contacts,
                                      "--tier", "enterprise"), 0)
        result = self.run_tool("crm-backup", "--store", self.store, "--repo", self.repo, "--as", "admin",
                               "create", "--json")
        self.assertExit(result, 0)
        self.backup = json.loads(result.stdout)
        self.archive = pathlib.Path(self.backup["archive"])

    def tearDown(self):
        subprocess.run(["umount", str(self.mount)], capture_output=True)
        super().tearDown()

    def remount_read_only(self):
        result = subprocess.run(["mount", "-o", "remount,ro", str(self.mount)], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)

    def files(self):
        return {path.name: path.read_bytes() for path in self.repo.iterdir()}

    def test_writes_fail_with_one_line_and_reads_still_work(self):
        self.mutate()
        store_before = killsweep.database_state(self.store)
        self.remount_read_only()
        repository_before = self.files()
        runs = 0

        def backup(*args, env=None):
            return self.run_tool("crm-backup", *args, "--store", self.store, "--repo", self.repo, "--as", "admin",
                                 env=env)

        # Writers: one line, 73 or 74, nothing changed.
        for name, result in {
            "create": backup("create", env=at("2026-12-31 02:00:00")),
            "prune": backup("prune", "--keep-daily", "0"),
            "schedule enable": self.run_tool("crm-schedule", "enable", "--every", "week", "--store", self.store,
                                             "--repo", self.repo, "--as", "admin"),
        }.items():
            with self.subTest(command=name):
                runs += 1
                self.assertIn(result.code, (73, 74), repr(result))
                self.assertExit(result, result.code)
        # Readers: as on a writable disk.
        for name, result in {
            "list": backup("list", "--json"),
            "verify": backup("verify", self.backup["backup_id"]),
            "show": backup("show", self.backup["backup_id"]),
            "download": backup("download", self.backup["backup_id"], "-o", self.dir / "copy.zip"),
        }.items():
            with self.subTest(command=name):
                runs += 1
                self.assertExit(result, 0)
        self.assertEqual((self.dir / "copy.zip").read_bytes(), self.archive.read_bytes())
        # A restore plan reads the backup and the store; its file is written elsewhere.
        planned = self.restore("plan", "--backup", self.backup["backup_id"], "-o", self.dir / "ro.plan",
                               "--object", "deals", "--properties", "dealstage")
        runs += 1
        self.assertExit(planned, 0)
        self.assertTrue((self.dir / "ro.plan").exists())
        self.assertEqual(self.files(), repository_before, "the repository is unchanged")
        self.assertEqual(killsweep.database_state(self.store), store_before, "the store is unchanged")
        crmtest.record_reliability("fault", "read-only-repository", runs=runs, lost=0)


if __name__ == "__main__":
    unittest.main()
