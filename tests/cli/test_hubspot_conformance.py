"""The fake HubSpot server speaks HubSpot's JSON: HubSpot's official Node
client (@hubspot/api-client, pinned in tests/hubspot/conformance) pages,
batch-reads, batch-updates, searches and retries against it and gets
populated typed models back.

Needs Node.js and the client installed by scripts/setup; a missing install
fails the test rather than skipping it, so the check cannot silently vanish.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import unittest

HUBSPOT_DIR = pathlib.Path(__file__).resolve().parents[1] / "hubspot"
CONFORMANCE_DIR = HUBSPOT_DIR / "conformance"
sys.path.insert(0, str(HUBSPOT_DIR))

from fake_hubspot import FakeHubSpot  # noqa: E402


class OfficialClientConformanceTest(unittest.TestCase):
    def test_official_client_reads_the_fake_into_populated_models(self):
        node = shutil.which("node")
        self.assertIsNotNone(node, "node not found: install Node.js 18 or later, then run scripts/setup")
        self.assertTrue((CONFORMANCE_DIR / "node_modules" / "@hubspot" / "api-client").is_dir(),
                        f"the official HubSpot client is not installed in {CONFORMANCE_DIR}: run scripts/setup "
                        "(it calls tests/hubspot/conformance/install.sh)")
        config = json.loads((CONFORMANCE_DIR / "fake-config.json").read_text(encoding="utf-8"))
        fake = FakeHubSpot(config)
        fake.start()
        try:
            env = dict(os.environ, FAKE_HUBSPOT_URL=fake.url, FAKE_HUBSPOT_TOKEN=config["token"])
            completed = subprocess.run([node, "conformance.mjs"], cwd=CONFORMANCE_DIR, env=env,
                                       capture_output=True, text=True, timeout=300)
        finally:
            fake.stop()
        print(completed.stdout, end="")
        self.assertEqual(completed.returncode, 0,
                         f"official client disagrees with the fake:\n{completed.stdout}{completed.stderr}")


if __name__ == "__main__":
    unittest.main()
