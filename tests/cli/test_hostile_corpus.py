"""Every file of the hostile corpus (tests/data/make_hostile_corpus.py, each
one defect in an archive derived from a real backup) is refused by verify and
by plan with exit 65 and one stderr line, in bounded time, writing nothing."""
import pathlib
import subprocess
import sys
import time
import unittest

import backuptest
import crmtest

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
        tmp = self.dir / "tmp"  # $TMPDIR of every run: a spill file or a plan copy must not stay
        tmp.mkdir()
        env = {"TMPDIR": str(tmp)}
        repository_before = sorted(p.name for p in self.repo.iterdir())
        wrong, strays = [], []
        for name in made:
            started = time.monotonic()
            verified = self.backup("verify", corpus / name, env=env, timeout=BOUND_SECONDS * 2)
            plan = self.dir / "hostile.plan"
            planned = self.run_tool("crm-restore", "plan", "--backup", corpus / name, "--store", self.store,
                                    "--as", "admin", "--object", "contacts", "--properties", "email",
                                    "-o", plan, env=env, timeout=BOUND_SECONDS * 2)
            elapsed = time.monotonic() - started
            want = 0 if name in VALID_HOSTED_EXPORT else 65
            if not (refused(verified, 65) and refused(planned, want) and elapsed < BOUND_SECONDS):
                wrong.append(f"{name}: verify {verified.code}, plan {planned.code} (want 65, {want}), "
                             f"{elapsed:.1f} s: {verified.stderr.strip()[:200]} | {planned.stderr.strip()[:200]}")
            left = sorted(str(p.name) for p in tmp.iterdir())
            if want != 0 and plan.exists():
                left.append(plan.name)
            if left:
                strays.append(f"{name}: {left}")
            plan.unlink(missing_ok=True)
            for path in tmp.iterdir():
                path.unlink()
        if sorted(p.name for p in corpus.iterdir()) != before:
            strays.append(f"the corpus directory changed: {sorted(p.name for p in corpus.iterdir())}")
        if sorted(p.name for p in self.repo.iterdir()) != repository_before:
            strays.append("the repository changed")
        crmtest.record_reliability("hostile", "corpus", tried=len(made), refused=len(made) - len(wrong),
                                   stray=len(strays))
        self.assertEqual(wrong, [], "every hostile input is refused with its exit code and one line, in time")
        self.assertEqual(strays, [], "nothing is written outside what the command owns")


def refused(result, code):
    """Exit `code`, and one stderr line when it is not 0."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return result.code == code and (code == 0 or len(lines) == 1)

if __name__ == "__main__":
    unittest.main()
