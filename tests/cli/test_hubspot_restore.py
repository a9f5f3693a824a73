"""End-to-end: restores into a HubSpot account through batch update (issue
9), over the fake HubSpot server, with the real crm-restore binary: a restore
with per-record failures (207), an apply killed between batches and
continued, and two-factor re-authentication through the repository."""
import json
import re
import signal
import subprocess
import time
import unittest

import crmtest
from hubspottest import ADMIN, HubSpotCase
from test_restore_story import totp


class HubSpotRestore(HubSpotCase):
    deals = 450

    def account(self):
        return {"objects": {"deals": {"count": self.deals, "seed": 11}, "contacts": {"count": 30}},
                "update_rejects": {"deals": []}}

    def setUp(self):
        super().setUp()
        self.backup = self.backup_json()
        self.ids = sorted(self.live_records("0-3"))
        self.before = self.live_records("0-3")
        # The bad bulk edit: every deal renamed, and an amount changed on some.
        for record_id in self.ids:
            self.change("0-3", record_id, {"dealname": "BULK EDIT"})

    def restore(self, *args, user=ADMIN, env=None):
        return self.run_tool("crm-restore", "--as", user, *args, env=env)

    def plan(self):
        path = self.dir / "deals.plan"
        result = self.restore("plan", "--backup", self.backup["backup_id"], "--object", "deals", "--properties", "dealname",
                              "-o", path, "--json")
        self.assertExit(result, 0)
        summary = json.loads(result.stdout)
        self.assertEqual(summary["records_to_change"], len(self.ids))
        return path, summary["hash"]

    def apply_args(self, path, digest):
        return ["apply", path, "--confirm", digest, "--acknowledge-data-change", "--acknowledge-irreversible"]

    def use_sso(self):
        result = self.run_tool("crm-backup", "--as", ADMIN, "config", "set", "hubspot.sso_users", ADMIN)
        self.assertExit(result, 0)

    def test_a_restore_writes_back_every_value_and_reports_each_refused_record(self):
        self.use_sso()
        rejected = self.ids[10:12]
        self.fake.stop()
        from fake_hubspot import FakeHubSpot  # a fresh fake that refuses two of the deals
        self.fake = self.restart_fake({"update_rejects": {"deals": [str(i) for i in rejected]}})
        path, digest = self.plan()
        self.fake_reset()
        result = self.restore(*self.apply_args(path, digest))
        self.assertExit(result, 65)
        self.assertIn(f"{len(self.ids) - 2}", result.stderr)
        live = self.live_records("0-3")
        for record_id in self.ids:
            want = "BULK EDIT" if record_id in rejected else self.before[record_id]["dealname"]
            self.assertEqual(live[record_id]["dealname"], want, record_id)
        stats = self.stats()
        self.assertLessEqual(stats["batch_update_calls"], 5)  # 450 records: 5 calls of at most 100
        history = json.loads(self.restore("--json", "history").stdout)
        self.assertTrue(history, history)

    def test_an_apply_killed_between_batches_continues_where_it_stopped(self):
        self.use_sso()
        path, digest = self.plan()
        self.fake.set_faults({"latency_ms": 150})
        self.fake_reset()
        command = [crmtest.binary("crm-restore"), "--as", ADMIN, *map(str, self.apply_args(path, digest))]
        process = subprocess.Popen(command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 120
        while self.stats()["batch_update_calls"] < 2 and time.time() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        written_before_kill = self.stats()["batch_update_records"]
        self.assertGreater(written_before_kill, 0)
        self.assertLess(written_before_kill, len(self.ids))
        self.fake.set_faults({})
        result = self.restore(*self.apply_args(path, digest))
        self.assertExit(result, 0)
        live = self.live_records("0-3")
        for record_id in self.ids:
            self.assertEqual(live[record_id]["dealname"], self.before[record_id]["dealname"], record_id)
        # Continued, not started over: at most the batch whose answer the kill
        # cut off is sent again (HubSpot had written it; the same values).
        written = self.stats()["batch_update_records"]
        self.assertLessEqual(written, len(self.ids) + 100)
        self.assertLess(written, written_before_kill + len(self.ids))

    def test_two_factor_codes_come_from_the_repository_enrollment(self):
        path, digest = self.plan()
        result = self.restore(*self.apply_args(path, digest), env={"CRM_OTP": "123456"})
        self.assertExit(result, 77)
        self.assertIn("2fa enroll", result.stderr)
        uri = self.restore("2fa", "enroll").stdout.strip().splitlines()[-1]
        secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)
        result = self.restore(*self.apply_args(path, digest), env={"CRM_OTP": totp(secret, time.time())})
        self.assertExit(result, 0)
        self.assertEqual(self.live_records("0-3")[self.ids[0]]["dealname"], self.before[self.ids[0]]["dealname"])

    def test_undo_puts_back_the_values_the_restore_overwrote(self):
        self.use_sso()
        path, digest = self.plan()
        result = self.run_tool("crm-restore", "--as", ADMIN, "--json", *self.apply_args(path, digest))
        self.assertExit(result, 0)
        import_id = json.loads(result.stdout)["import_id"]
        undo_plan = self.dir / "undo.plan"
        result = self.restore("--json", "undo", import_id, "-o", undo_plan)
        self.assertExit(result, 0)
        undo = json.loads(result.stdout)
        self.assertExit(self.restore(*self.apply_args(undo_plan, undo["hash"])), 0)
        live = self.live_records("0-3")
        self.assertTrue(all(live[record_id]["dealname"] == "BULK EDIT" for record_id in self.ids))

    def test_the_store_changed_since_the_plan_is_refused(self):
        self.use_sso()
        path, digest = self.plan()
        self.change("0-3", self.ids[5], {"dealname": "someone else"})
        result = self.restore(*self.apply_args(path, digest))
        self.assertExit(result, 75)

    def fake_reset(self):
        import urllib.request
        urllib.request.urlopen(urllib.request.Request(f"{self.fake.url}/__fake/reset-stats", data=b"{}",
                                                      method="POST")).read()

    def restart_fake(self, extra):
        """The fake again with `extra` config, holding the bulk edit: records are regenerated from their seed."""
        from fake_hubspot import FakeHubSpot
        from hubspottest import TOKEN, VIEWER
        config = {"token": TOKEN,
                  "users": [{"email": ADMIN, "superAdmin": True}, {"email": VIEWER, "superAdmin": False}],
                  "limits": {"ten_second": 5000, "daily": 1000000, "search_per_second": 50}}
        config.update(self.account())
        config.update(extra)
        fake = FakeHubSpot(config)
        fake.start()
        self.addCleanup(fake.stop)
        self.env["CRM_HUBSPOT_BASE_URL"] = fake.url
        self.fake = fake
        for record_id in self.ids:
            self.change("0-3", record_id, {"dealname": "BULK EDIT"})
        return fake


if __name__ == "__main__":
    unittest.main()
