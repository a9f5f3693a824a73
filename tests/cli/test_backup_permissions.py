"""Who may run each crm-backup command (docs/security.md): the commands that
copy customer data out or delete backups check the super-admin rule first,
before any work, like create."""
import os
import unittest

import backuptest
from backuptest import at


class PermissionTest(backuptest.BackupTestCase):
    contacts = 50

    def test_download_by_a_viewer_is_refused_and_writes_nothing(self):
        created = self.create(when="2026-01-01 02:00:00")
        out = self.dir / "out.zip"
        for user in ("viewer", "nobody"):
            refused = self.backup("download", created["backup_id"], "-o", out, user=user, env=at("2026-01-02 00:00:00"))
            self.assertExit(refused, 77)
            self.assertFalse(out.exists())
        self.assertIn("no user nobody", refused.stderr)
        viewer = self.backup("download", created["backup_id"], "-o", out, user="viewer")
        self.assertIn("not a super admin", viewer.stderr)

    def test_download_is_checked_before_the_backup_is_looked_up(self):
        self.create()
        refused = self.backup("download", "20200101T000000Z-0000", "-o", self.dir / "x.zip", user="viewer")
        self.assertExit(refused, 77)

    def test_prune_by_a_viewer_is_refused_and_removes_nothing(self):
        created = self.create(when="2026-01-01 02:00:00")
        for args in (("prune",), ("prune", "--dry-run")):
            refused = self.backup(*args, user="viewer", env=at("2026-03-01 00:00:00"))
            self.assertExit(refused, 77)
            self.assertIn("not a super admin", refused.stderr)
            self.assertEqual(refused.stdout, "")
        self.assertTrue(os.path.exists(created["archive"]))
        self.assertExit(self.backup("prune", user="nobody", env=at("2026-03-01 00:00:00")), 77)
        self.assertTrue(os.path.exists(created["archive"]))

    def test_prune_and_download_need_a_store_to_check_the_user(self):
        created = self.create()
        out = self.dir / "out.zip"
        no_store = self.run_tool("crm-backup", "download", created["backup_id"], "-o", out, "--repo", self.repo,
                                 "--as", "admin")
        self.assertExit(no_store, 64)
        self.assertFalse(out.exists())
        self.assertExit(self.run_tool("crm-backup", "prune", "--repo", self.repo, "--as", "admin"), 64)

    def test_a_super_admin_may_download_and_prune(self):
        created = self.create(when="2026-01-01 02:00:00")
        out = self.dir / "out.zip"
        self.assertExit(self.backup("download", created["backup_id"], "-o", out, env=at("2026-01-02 00:00:00")), 0)
        self.assertTrue(out.exists())
        self.assertExit(self.backup("prune", "--allow-empty", env=at("2026-03-01 00:00:00")), 0)
        self.assertFalse(os.path.exists(created["archive"]))


if __name__ == "__main__":
    unittest.main()
