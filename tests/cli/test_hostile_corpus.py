"""Every file of the hostile corpus (tests/data/make_hostile_corpus.py, each
one defect in an archive derived from a real backup) is refused by verify and
by plan with exit 65 and one stderr line, in bounded time, writing nothing."""
import pathlib
import subprocess
import sys
import time
import unittest

import backuptest

GENERATOR = pathlib.Path(__file__).resolve().parents[1] / "data" / "make_hostile_corpus.py"
# Seconds one refusal may take; a bomb or a huge entry count must stop early.
BOUND_SECONDS = 60
# A hosted export is any zip of CSVs without a manifest, given by path: that
# one is a valid input for plan, refused by verify only.
VALID_HOSTED_EXPORT = {"manifest-missing.zip"}


class HostileCorpusTest(backuptest.BackupTestCase):
    contacts = 200

    def test_verify_and_plan_refuse_every_hostile_archive(self):
        created = self.create()
        corpus = self.dir / "corpus"
        made = subprocess.run([sys.executable, str(GENERATOR), created["archive"], str(corpus)],
                              capture_output=True, text=True, check=True).stdout.split()
        self.assertGreater(len(made), 40)
        before = sorted(p.name for p in corpus.iterdir())
        for name in made:
            with self.subTest(name):
                started = time.monotonic()
                verified = self.backup("verify", corpus / name, timeout=BOUND_SECONDS * 2)
                self.assertExit(verified, 65)
                plan = self.dir / "hostile.plan"
                planned = self.run_tool("crm-restore", "plan", "--backup", corpus / name, "--store", self.store,
                                        "--as", "admin", "--object", "contacts", "--properties", "email",
                                        "-o", plan, timeout=BOUND_SECONDS * 2)
                if name in VALID_HOSTED_EXPORT:
                    self.assertExit(planned, 0)
                    plan.unlink()
                else:
                    self.assertExit(planned, 65)
                    self.assertFalse(plan.exists())
                self.assertLess(time.monotonic() - started, BOUND_SECONDS)
        self.assertEqual(sorted(p.name for p in corpus.iterdir()), before)


if __name__ == "__main__":
    unittest.main()
