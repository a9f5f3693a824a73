"""The loose-modes scan of the scoreboard (issue 10, SPEC §5 and §8): the
main flows run under umask 000, and every file and directory they created
(the store and its secrets, the repository and its catalog, locks and
archives, plan, undo and download outputs, $TMPDIR) is listed with its mode.
None may grant group or others any access: backups, secrets, plans, undo
files and the catalog are 0600, the repository 0700, whatever the umask.
"""
import json
import os
import pathlib
import stat
import time

import crmtest
from test_restore_story import RestoreCase, totp
from test_schedule_cli import at


class LooseModes(RestoreCase):
    contacts = 300

    def setUp(self):
        self.umask = os.umask(0)
        try:
            super().setUp()
        except BaseException:
            os.umask(self.umask)
            raise
        self.tmp = self.dir / "tmp"
        self.tmp.mkdir(mode=0o700)
        self.env["TMPDIR"] = str(self.tmp)
        self.out = self.dir / "out"
        self.out.mkdir(mode=0o700)
        self.secrets = self.dir / "secrets"  # written by this test, not by the tools
        self.secrets.mkdir(mode=0o700)

    def tearDown(self):
        os.umask(self.umask)
        super().tearDown()

    def crm(self, name, *args, user="admin", env=None, input=None):
        result = self.run_tool(name, "--store", self.store, "--repo", self.repo, "--as", user, *args, env=env,
                               input=input)
        self.assertExit(result, 0)
        return result

    def test_nothing_the_tools_create_under_umask_000_is_open_to_group_or_others(self):
        passphrase = self.secrets / "passphrase"
        fd = os.open(passphrase, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, b"loose modes scan\n")
        os.close(fd)
        self.crm("crm-backup", "create", "--encrypt", "--passphrase-file", passphrase, env=at("2026-12-10 02:00:00"))
        self.crm("crm-backup", "download", self.backup["backup_id"], "-o", self.out / "copy.zip")
        self.crm("crm-backup", "verify", self.backup["backup_id"])
        self.crm("crm-backup", "config", "set", "notify_command", "true")
        self.mutate()
        plan = self.out / "deals.plan"
        digest = json.loads(self.crm("crm-restore", "plan", "--backup", self.backup["backup_id"], "-o", plan, "--json",
                                     "--object", "deals", "--properties", "dealstage").stdout)["hash"]
        code = totp(pathlib.Path(str(self.store) + ".admin-totp").read_text(), time.time())
        self.crm("crm-restore", "apply", plan, "--confirm", digest, "--acknowledge-data-change",
                 "--acknowledge-irreversible", env={"CRM_OTP": code})
        import_id = json.loads(self.crm("crm-restore", "--json", "history").stdout)[0]["id"]
        self.crm("crm-restore", "undo", import_id, "-o", self.out / "undo.plan")
        self.crm("crm-restore", "2fa", "enroll", user="sso-admin")
        self.crm("crm-schedule", "enable", "--every", "week", "--day", "mon", "--at", "02:00", "--encrypt",
                 "--passphrase-file", passphrase, env=at("2026-12-14 10:00:00"))
        self.crm("crm-schedule", "run", env=at("2026-12-21 02:05:00"))
        self.crm("crm-backup", "prune", "--keep-daily", "1", env=at("2027-02-01 02:00:00"))

        created, loose = [], []
        for root, directories, files in os.walk(self.dir):
            for name in directories + files:
                path = os.path.join(root, name)
                if path.startswith(str(self.secrets)) or path in (str(self.tmp), str(self.out)):
                    continue
                mode = stat.S_IMODE(os.lstat(path).st_mode)
                created.append(path)
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    continue
                if mode & 0o077:
                    loose.append(f"{oct(mode)} {os.path.relpath(path, self.dir)}")
        self.assertGreater(len(created), 10)
        crmtest.record_reliability("modes", "umask-000", files=len(created), loose=len(loose))
        self.assertEqual(loose, [], "files and directories open to group or others")


if __name__ == "__main__":
    import unittest
    unittest.main()
