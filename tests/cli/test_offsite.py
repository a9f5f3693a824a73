"""End-to-end: off-site copies through rclone (issue 12, docs/offsite.md).

Remotes here are a local directory and a WebDAV server (`rclone serve
webdav` on 127.0.0.1, started by the test) with a throwaway rclone
configuration. What the tools leave on a remote is read back with Python
(hashlib, json) and, for the WebDAV remote, straight from the directory the
server serves.
"""
import hashlib
import json
import os
import pathlib
import signal
import socket
import stat
import sqlite3
import subprocess
import time
import unittest

import backuptest
import crmtest
from test_restore_story import totp

ID_PATTERN = r"\d{8}T\d{6}Z-[0-9a-f]{4}"


def sha256_of(path) -> str:
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OffsiteCase(backuptest.BackupTestCase):
    """A demo store, a repository and a throwaway rclone configuration."""

    contacts = 1500

    def setUp(self):
        super().setUp()
        self.rclone_config = self.dir / "rclone.conf"
        self.rclone_config.write_text("")
        self.env["RCLONE_CONFIG"] = str(self.rclone_config)
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            if server.poll() is None:
                server.kill()
                server.wait()
        super().tearDown()

    def remote(self, *args, env=None, repo=None):
        return self.run_tool("crm-backup", "--store", self.store, "--repo", repo or self.repo, "--as", "admin",
                             "remote", *args, env=env)

    def add_remote(self, name, destination, repo=None):
        self.assertExit(self.remote("add", name, destination, repo=repo), 0)

    def list_json(self, repo=None):
        result = self.run_tool("crm-backup", "--repo", repo or self.repo, "list", "--json")
        self.assertExit(result, 0)
        return json.loads(result.stdout)

    def copy_states(self, backup_id, repo=None):
        """remote name -> state of the backup's copy there, from list --json."""
        for backup in self.list_json(repo):
            if backup["backup_id"] == backup_id:
                return {copy["name"]: copy["state"] for copy in backup["remotes"]}
        self.fail(f"backup {backup_id} not listed")

    def files_in(self, directory):
        return sorted(path.name for path in pathlib.Path(directory).iterdir()) if pathlib.Path(directory).exists() \
            else []

    # --- a WebDAV server on the loopback interface -------------------------------
    def start_webdav(self, directory, port):
        directory.mkdir(exist_ok=True)
        server = subprocess.Popen(["rclone", "serve", "webdav", "--addr", f"127.0.0.1:{port}", str(directory)],
                                  env={"PATH": os.environ["PATH"], "HOME": str(self.dir),
                                       "RCLONE_CONFIG": str(self.rclone_config)},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.servers.append(server)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return server
            except OSError:
                time.sleep(0.1)
        self.fail("rclone serve webdav did not start")

    def configure_webdav(self, name, port):
        with open(self.rclone_config, "a") as config:
            config.write(f"[{name}]\ntype = webdav\nurl = http://127.0.0.1:{port}\nvendor = other\n\n")

    def start_slow_create(self):
        """crm-backup create in the background, its uploads slowed to several seconds."""
        env = dict(self.env)
        env["RCLONE_BWLIMIT"] = "40k"
        return subprocess.Popen([crmtest.binary("crm-backup"), "--store", str(self.store), "--repo", str(self.repo),
                                 "--as", "admin", "create", "--json"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def wait_for_temporary(self, directory, timeout=60):
        """Waits until an upload's temporary file appears somewhere under `directory`."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(path.name.startswith(".tmp-") for path in pathlib.Path(directory).rglob("*")):
                return
            time.sleep(0.05)
        self.fail(f"no upload started under {directory}")


class LocalDirectoryRemote(OffsiteCase):
    def test_create_copies_archive_and_sidecar_checked_and_whole(self):
        usb = self.dir / "usb"
        self.add_remote("usb", usb)
        result = self.backup("create", "--json")
        self.assertExit(result, 0)
        backup = json.loads(result.stdout)
        self.assertIn(f"backup {backup['backup_id']} copied to remote usb", result.stderr)

        archive_name = f"crm-backup-{backup['backup_id']}.zip"
        self.assertEqual(self.files_in(usb), sorted([archive_name, f"{backup['backup_id']}.json"]))
        self.assertEqual(sha256_of(usb / archive_name), backup["sha256"])
        self.assertEqual(stat.S_IMODE((usb / archive_name).stat().st_mode) & 0o077, 0, "the copy is private")
        sidecar = json.loads((usb / f"{backup['backup_id']}.json").read_text())
        self.assertEqual(sidecar["id"], backup["backup_id"])
        self.assertEqual(sidecar["sha256"], backup["sha256"])
        self.assertEqual(sidecar["size_bytes"], backup["size_bytes"])
        self.assertEqual(sidecar["archive_name"], archive_name)
        self.assertEqual(sidecar["manifest"], backuptest.manifest_of(backup["archive"]))

        self.assertEqual(self.copy_states(backup["backup_id"]), {"usb": "copied"})
        listed = self.run_tool("crm-backup", "--repo", self.repo, "list")
        self.assertExit(listed, 0)
        self.assertIn("local,usb", listed.stdout)
        remotes = self.remote("list", "--json")
        self.assertExit(remotes, 0)
        self.assertEqual(json.loads(remotes.stdout)[0]["copied"], 1)

        verified = self.backup("verify", backup["backup_id"], "--remote", "usb")
        self.assertExit(verified, 0)
        self.assertIn("on remote usb: sound", verified.stdout)

    def test_corrupted_remote_copy_fails_verify_with_65(self):
        usb = self.dir / "usb"
        self.add_remote("usb", usb)
        backup = self.create()
        copy = usb / f"crm-backup-{backup['backup_id']}.zip"
        data = bytearray(copy.read_bytes())
        data[len(data) // 2] ^= 0xFF
        copy.write_bytes(bytes(data))
        result = self.backup("verify", backup["backup_id"], "--remote", "usb")
        self.assertExit(result, 65)
        self.assertIn("does not match the SHA-256", result.stderr)
        # The local archive is untouched and still sound; the copy is marked
        # failed, and remote sync copies it again.
        self.assertExit(self.backup("verify", backup["backup_id"]), 0)
        self.assertEqual(self.copy_states(backup["backup_id"]), {"usb": "failed"})
        self.assertExit(self.remote("sync"), 0)
        self.assertEqual(self.copy_states(backup["backup_id"]), {"usb": "copied"})
        self.assertExit(self.backup("verify", backup["backup_id"], "--remote", "usb"), 0)

    def test_remote_names_destinations_and_removal(self):
        self.assertExit(self.remote("add", "Bad Name", self.dir / "x"), 64)
        self.assertExit(self.remote("add", "usb", "--config=/etc/passwd"), 64)
        self.add_remote("usb", self.dir / "usb")
        self.assertExit(self.remote("add", "usb", self.dir / "other"), 64)
        self.assertExit(self.remote("remove", "nas"), 66)
        self.assertExit(self.remote("remove", "usb"), 0)
        listed = self.remote("list", "--json")
        self.assertExit(listed, 0)
        self.assertEqual(json.loads(listed.stdout), [])

    def test_viewer_may_not_add_a_remote(self):
        result = self.run_tool("crm-backup", "--store", self.store, "--repo", self.repo, "--as", "viewer",
                               "remote", "add", "usb", self.dir / "usb")
        self.assertExit(result, 77)
        self.assertFalse((self.repo / "catalog.sqlite").exists())

    def test_rclone_gets_no_secret_of_ours(self):
        """A wrapper first in PATH records the environment rclone is given."""
        bin_dir = self.dir / "bin"
        bin_dir.mkdir()
        seen = self.dir / "rclone-env"
        wrapper = bin_dir / "rclone"
        wrapper.write_text(f"#!/bin/sh\nenv >> {seen}\nexec /usr/bin/rclone \"$@\"\n")
        wrapper.chmod(0o755)
        self.add_remote("usb", self.dir / "usb")
        passphrase = "correct horse battery staple"
        result = self.backup("create", "--encrypt",
                             env={"PATH": f"{bin_dir}:{os.environ['PATH']}", "CRM_BACKUP_PASSPHRASE": passphrase,
                                  "CRM_HUBSPOT_TOKEN": "pat-secret-token"})
        self.assertExit(result, 0)
        environment = seen.read_text()
        self.assertIn("RCLONE_CONFIG=", environment)
        self.assertNotIn("CRM_", environment)
        self.assertNotIn(passphrase, environment)
        self.assertNotIn("pat-secret-token", environment)
        # An encrypted backup's sidecar does not show its manifest.
        backup_id = self.list_json()[0]["backup_id"]
        self.assertIsNone(json.loads((self.dir / "usb" / f"{backup_id}.json").read_text())["manifest"])

    def test_prune_remote_keeps_by_its_own_rules(self):
        usb = self.dir / "usb"
        self.add_remote("usb", usb)
        ids = [self.create(when=f"2026-01-{day:02d} 02:00:00")["backup_id"] for day in (1, 8, 15, 22)]
        self.assertEqual(len([name for name in self.files_in(usb) if name.endswith(".zip")]), 4)
        result = self.backup("prune", "--remote", "usb", "--keep-weekly", "2", "--json",
                             env=backuptest.at("2026-03-01 12:00:00"))
        self.assertExit(result, 0)
        removed = {entry["backup_id"] for entry in json.loads(result.stdout)["backups"] if entry["action"] == "remove"}
        self.assertEqual(removed, set(ids[:2]))
        left = self.files_in(usb)
        for backup_id in ids[:2]:
            self.assertNotIn(f"crm-backup-{backup_id}.zip", left)
            self.assertNotIn(f"{backup_id}.json", left)
        for backup_id in ids[2:]:
            self.assertIn(f"crm-backup-{backup_id}.zip", left)
        # The local repository is not touched, and sync does not copy the pruned ones again.
        self.assertEqual(len(self.list_json()), 4)
        self.assertExit(self.remote("sync"), 0)
        self.assertEqual(len([name for name in self.files_in(usb) if name.endswith(".zip")]), 2)

    def test_schedule_check_fails_when_the_newest_offsite_copy_is_too_old(self):
        usb = self.dir / "usb"
        self.add_remote("usb", usb)
        backup = self.create(when="2026-01-01 02:00:00")
        check = ["--repo", self.repo, "check", "--max-age", "8d", "--remote", "usb"]
        self.assertExit(self.run_tool("crm-schedule", *check, env=backuptest.at("2026-01-05 02:00:00")), 0)
        stale = self.run_tool("crm-schedule", *check, env=backuptest.at("2026-01-10 02:00:00"))
        self.assertExit(stale, 75)
        self.assertIn(backup["backup_id"], stale.stderr)
        self.add_remote("nas", self.dir / "nas-that-never-got-a-copy")
        self.assertExit(self.run_tool("crm-schedule", "--repo", self.repo, "check", "--max-age", "8d", "--remote",
                                      "nas", env=backuptest.at("2026-01-05 02:00:00")), 75)

    def test_pruned_local_backup_is_downloaded_from_the_remote(self):
        usb = self.dir / "usb"
        self.add_remote("usb", usb)
        backup = self.create(when="2026-01-01 02:00:00")
        self.assertExit(self.backup("prune", "--allow-empty", env=backuptest.at("2026-02-01 02:00:00")), 0)
        self.assertFalse(pathlib.Path(backup["archive"]).exists())
        out = self.dir / "out.zip"
        result = self.backup("download", backup["backup_id"], "-o", out)
        self.assertExit(result, 0)
        self.assertEqual(sha256_of(out), backup["sha256"])
        # A damaged copy is refused before anything appears at the output.
        copy = usb / f"crm-backup-{backup['backup_id']}.zip"
        copy.write_bytes(copy.read_bytes()[:-10])
        out2 = self.dir / "out2.zip"
        self.assertExit(self.backup("download", backup["backup_id"], "-o", out2), 65)
        self.assertFalse(out2.exists())

    def test_kill_9_during_the_upload_leaves_no_half_file_and_the_next_run_completes(self):
        usb = self.dir / "usb"
        self.add_remote("usb", usb)
        process = self.start_slow_create()
        try:
            self.wait_for_temporary(usb)
            time.sleep(0.5)
        finally:
            process.send_signal(signal.SIGKILL)
            process.communicate()
        time.sleep(0.5)  # rclone dies with its parent (PR_SET_PDEATHSIG)
        backup_id = self.list_json()[0]["backup_id"]
        names = self.files_in(usb)
        self.assertNotIn(f"crm-backup-{backup_id}.zip", names)
        self.assertNotIn(f"{backup_id}.json", names)
        self.assertEqual(self.copy_states(backup_id), {"usb": "pending"})

        result = self.remote("sync")
        self.assertExit(result, 0)
        self.assertEqual(self.copy_states(backup_id), {"usb": "copied"})
        self.assertEqual(self.files_in(usb), sorted([f"crm-backup-{backup_id}.zip", f"{backup_id}.json"]))
        self.assertEqual(sha256_of(usb / f"crm-backup-{backup_id}.zip"), sha256_of(self.list_json()[0]["archive"]))
        self.assertFalse([name for name in self.files_in(usb) if name.startswith(".tmp-")])


class WebdavRemote(OffsiteCase):
    def add_webdav_remote(self):
        """Adds the remote "web" (web:crm) on a free port where no server runs yet; returns the port."""
        port = free_port()
        self.configure_webdav("web", port)
        self.add_remote("web", "web:crm")
        return port

    def test_remote_down_keeps_the_copy_pending_and_sync_copies_it(self):
        port = self.add_webdav_remote()
        result = self.backup("create", "--json")
        self.assertExit(result, 0)
        backup = json.loads(result.stdout)
        warnings = [line for line in result.stderr.splitlines() if "warning" in line]
        self.assertEqual(len(warnings), 1, result.stderr)
        self.assertIn("not copied to remote web (pending)", warnings[0])
        self.assertEqual(self.copy_states(backup["backup_id"]), {"web": "pending"})

        served = self.dir / "served"
        self.start_webdav(served, port)
        result = self.remote("sync")
        self.assertExit(result, 0)
        self.assertIn(f"{backup['backup_id']} web copied", result.stdout)
        self.assertEqual(self.copy_states(backup["backup_id"]), {"web": "copied"})
        self.assertEqual(sha256_of(served / "crm" / f"crm-backup-{backup['backup_id']}.zip"), backup["sha256"])
        self.assertExit(self.backup("verify", backup["backup_id"], "--remote", "web"), 0)

    def test_require_remote_exits_69_with_one_line_and_keeps_the_local_backup(self):
        self.add_webdav_remote()
        result = self.backup("create", "--require-remote")
        self.assertExit(result, 69)
        self.assertIn("not copied to remote web", result.stderr)
        self.assertEqual(len(self.list_json()), 1)

    def test_remote_stopped_during_a_copy_is_pending_then_retried_and_copied(self):
        port = self.add_webdav_remote()
        served = self.dir / "served"
        server = self.start_webdav(served, port)
        process = self.start_slow_create()
        self.wait_for_temporary(served)
        server.kill()
        server.wait()
        stdout, stderr = process.communicate(timeout=300)
        self.assertEqual(process.returncode, 0, stderr)
        backup = json.loads(stdout)
        self.assertIn("(pending)", stderr)
        self.assertEqual(self.copy_states(backup["backup_id"]), {"web": "pending"})

        self.start_webdav(served, port)
        self.assertExit(self.remote("sync"), 0)
        self.assertEqual(self.copy_states(backup["backup_id"]), {"web": "copied"})
        names = self.files_in(served / "crm")
        self.assertEqual(names, sorted([f"crm-backup-{backup['backup_id']}.zip", f"{backup['backup_id']}.json"]))
        self.assertEqual(sha256_of(served / "crm" / f"crm-backup-{backup['backup_id']}.zip"), backup["sha256"])


class DisasterRecovery(OffsiteCase):
    def test_new_repository_imports_the_remote_and_restores_from_it(self):
        served = self.dir / "served"
        port = free_port()
        self.configure_webdav("web", port)
        self.start_webdav(served, port)
        self.add_remote("web", "web:crm")
        backup = self.create()
        deals_then = self.deal_stages()

        # The machine is lost: its repository goes, the CRM gets the bad bulk edit.
        self.assertExit(self.run_tool("crm-demo", "mutate", "--store", self.store), 0)
        self.assertNotEqual(self.deal_stages(), deals_then)
        new_repo = self.dir / "new-repo"
        self.add_remote("web", "web:crm", repo=new_repo)
        imported = self.remote("import", "web", "--json", repo=new_repo)
        self.assertExit(imported, 0)
        self.assertEqual(json.loads(imported.stdout)["imported"], [backup["backup_id"]])

        listed = self.list_json(new_repo)
        self.assertEqual([entry["backup_id"] for entry in listed], [backup["backup_id"]])
        self.assertFalse(listed[0]["local"])
        self.assertEqual(listed[0]["remotes"], [{"name": "web", "state": "copied", "reason": None}])
        self.assertExit(self.run_tool("crm-backup", "--repo", new_repo, "verify", backup["backup_id"]), 0)
        self.assertExit(self.run_tool("crm-backup", "--store", self.store, "--repo", new_repo, "diff",
                                      backup["backup_id"], "--live"), 0)

        plan = self.dir / "deals.plan"
        result = self.run_tool("crm-restore", "--store", self.store, "--repo", new_repo, "--as", "admin", "plan",
                               "--backup", backup["backup_id"], "--object", "deals", "--properties", "dealstage",
                               "-o", plan, "--json")
        self.assertExit(result, 0)
        digest = json.loads(result.stdout)["hash"]
        secret = pathlib.Path(str(self.store) + ".admin-totp").read_text()
        result = self.run_tool("crm-restore", "--store", self.store, "--repo", new_repo, "--as", "admin", "apply",
                               plan, "--confirm", digest, "--acknowledge-data-change", "--acknowledge-irreversible",
                               env={"CRM_OTP": totp(secret, time.time())})
        self.assertExit(result, 0)
        deals_now = self.deal_stages()
        restored = [deal for deal in deals_now if deal in deals_then]
        self.assertTrue(restored)
        for deal in restored:
            self.assertEqual(deals_now[deal], deals_then[deal], f"deal {deal}")

    def deal_stages(self):
        connection = sqlite3.connect(f"file:{self.store}?mode=ro", uri=True)
        try:
            return dict(connection.execute('SELECT hs_object_id, dealstage FROM "records_deals"').fetchall())
        finally:
            connection.close()


if __name__ == "__main__":
    unittest.main()
