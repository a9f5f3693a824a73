"""Secrets typed at a terminal (a pseudo-terminal here): the prompt is shown,
nothing typed is echoed, Enter ends the answer; a new archive's passphrase is
asked twice and must have at least 12 characters."""
import json
import os
import pty
import select
import signal
import time
import unittest

import crmtest
from backuptest import at
from test_restore_story import RestoreCase


def at_terminal(argv, env, answers, timeout=120):
    """Runs argv with a terminal as its controlling tty and stdin/stdout/stderr.
    `answers` is a list of (prompt, text): once `prompt` has appeared, `text`
    is typed followed by Enter. Returns (exit code, all the terminal showed)."""
    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    shown = b""
    pending = list(answers)
    searched_from = 0  # each prompt is looked for after the one answered last
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if pending:
                at = shown.find(pending[0][0].encode(), searched_from)
                if at >= 0:
                    prompt, text = pending.pop(0)
                    searched_from = at + len(prompt)
                    os.write(master, text.encode() + b"\r")
                    continue
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        else:
            os.kill(pid, signal.SIGKILL)  # stuck, waiting for an answer that never comes
    finally:
        os.close(master)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


class SmallStoreCase(crmtest.CliTestCase):
    """A demo store of 50 contacts and a repository path, for the cases below."""

    def setUp(self):
        super().setUp()
        self.store = self.dir / "crm.sqlite"
        self.repo = self.dir / "repo"
        self.assertExit(self.run_tool("crm-demo", "init", "--store", self.store, "--contacts", 50), 0)


class NewPassphrase(SmallStoreCase):
    def create(self, *answers):
        argv = [crmtest.binary("crm-backup"), "--store", str(self.store), "--repo", str(self.repo), "--as", "admin",
                "create", "--encrypt", "--json"]
        return at_terminal(argv, self.env, answers)

    def test_a_short_passphrase_is_refused_before_it_is_asked_again(self):
        code, shown = self.create(("Passphrase: ", "short words"))
        self.assertEqual(code, 64, shown)
        self.assertIn("shorter than 12 characters", shown)
        self.assertNotIn("(again)", shown)
        self.assertNotIn("short words", shown, "the passphrase was echoed")
        self.assertFalse(list(self.repo.glob("*.zip")) if self.repo.exists() else [])

    def test_two_different_answers_are_refused(self):
        code, shown = self.create(("Passphrase: ", "correct horse battery"),
                                  ("Passphrase (again): ", "correct horse batterx"))
        self.assertEqual(code, 64, shown)
        self.assertIn("the two passphrases typed differ", shown)
        self.assertFalse(list(self.repo.glob("*.zip")) if self.repo.exists() else [])

    def test_the_same_passphrase_twice_makes_a_backup_it_opens(self):
        passphrase = "correct horse battery staple"
        code, shown = self.create(("Passphrase: ", passphrase), ("Passphrase (again): ", passphrase))
        self.assertEqual(code, 0, shown)
        self.assertNotIn(passphrase, shown, "the passphrase was echoed")
        # The progress line on the terminal names raw and compressed bytes.
        self.assertRegex(shown, r"contacts \d+/\d+ records, CSV [0-9.]+ (B|KiB), zip [0-9.]+ (B|KiB), ")
        backup = json.loads(shown[shown.index("{"):shown.rindex("}") + 1])
        self.assertTrue(backup["encrypted"])
        verified = self.run_tool("crm-backup", "--repo", self.repo, "--as", "admin", "verify", backup["backup_id"],
                                 env={"CRM_BACKUP_PASSPHRASE": passphrase})
        self.assertExit(verified, 0)


class PassphraseOnlyForEncryptedArchives(SmallStoreCase):
    def backup_at_terminal(self, *args, answers=()):
        argv = [crmtest.binary("crm-backup"), "--store", str(self.store), "--repo", str(self.repo), "--as", "admin",
                *map(str, args)]
        return at_terminal(argv, self.env, list(answers))

    def create(self, *args, when="2026-01-01 02:00:00", env=None):
        result = self.run_tool("crm-backup", "--store", self.store, "--repo", self.repo, "--as", "admin", "create",
                               "--json", *args, env={**at(when), **(env or {})})
        self.assertExit(result, 0)
        return json.loads(result.stdout)["backup_id"]

    def test_an_archive_that_is_not_encrypted_is_read_without_a_prompt(self):
        first, second = self.create(), self.create(when="2026-01-02 02:00:00")
        for args in (("verify", first), ("show", first), ("diff", first, second), ("diff", first, "--live")):
            with self.subTest(args=args):
                code, shown = self.backup_at_terminal(*args)
                self.assertEqual(code, 0, shown)
                self.assertNotIn("Passphrase", shown)

    def test_an_encrypted_archive_asks_at_a_terminal_and_opens_with_the_answer(self):
        passphrase = "correct horse battery staple"
        backup = self.create("--encrypt", env={"CRM_BACKUP_PASSPHRASE": passphrase})
        for args in (("verify", backup), ("diff", backup, "--live")):
            with self.subTest(args=args):
                code, shown = self.backup_at_terminal(*args, answers=[("Passphrase: ", passphrase)])
                self.assertEqual(code, 0, shown)
                self.assertNotIn(passphrase, shown, "the passphrase was echoed")


class TwoFactorCodeAtATerminal(RestoreCase):
    contacts = 200

    def test_otp_file_dash_prompts_without_echo_and_ends_at_enter(self):
        self.mutate()
        path, digest, _ = self.plan("--object", "deals", "--properties", "dealstage")
        argv = [crmtest.binary("crm-restore"), "--store", str(self.store), "--repo", str(self.repo), "--as", "admin",
                "apply", str(path), "--confirm", digest, "--acknowledge-data-change", "--acknowledge-irreversible",
                "--otp-file", "-"]
        code = self.code()
        exit_code, shown = at_terminal(argv, self.env, [("Two-factor code: ", code)])
        self.assertEqual(exit_code, 0, shown)
        self.assertNotIn(code, shown.replace(digest, ""), "the code was echoed")

    def history(self):
        return json.loads(self.restore("--json", "history").stdout)

    def apply_at_terminal(self, answers):
        if not hasattr(self, "planned"):
            self.mutate()
            self.planned = self.plan("--object", "deals", "--properties", "dealstage")
        path, digest, _ = self.planned
        argv = [crmtest.binary("crm-restore"), "--store", str(self.store), "--repo", str(self.repo), "--as", "admin",
                "apply", str(path), "--confirm", digest, "--otp-file", "-"]
        return at_terminal(argv, self.env, answers)

    def test_no_to_either_acknowledgement_cancels_before_the_code_is_asked(self):
        for answers in ([("changes data in the CRM. Continue? [yes/no] ", "no")],
                        [("changes data in the CRM. Continue? [yes/no] ", "yes"),
                         ("keeps an undo file (crm-restore undo). Continue? [yes/no] ", "n")]):
            with self.subTest(answers=answers):
                exit_code, shown = self.apply_at_terminal(answers)
                self.assertEqual(exit_code, 77, shown)
                self.assertIn("crm-restore: restore cancelled (nothing was changed)", shown)
                self.assertNotIn("Two-factor code", shown)
                self.assertEqual(self.history(), [])

    def test_the_prompts_say_the_crm_keeps_no_undo_and_this_tool_keeps_an_undo_file(self):
        exit_code, shown = self.apply_at_terminal([
            ("changes data in the CRM. Continue? [yes/no] ", "yes"),
            ("The CRM keeps no undo of a restore; this tool keeps an undo file (crm-restore undo). Continue? [yes/no] ",
             "yes"), ("Two-factor code: ", self.code())])
        self.assertEqual(exit_code, 0, shown)
        self.assertNotIn("cannot undo", shown)
        self.assertEqual(len(self.history()), 1)
        # At a terminal, apply's progress line names each step and the records written.
        self.assertRegex(shown, r"crm-restore: \[[#.]{20}\] write \d+/\d+ records")
        self.assertIn("crm-restore: commit...", shown)

    def test_plan_at_a_terminal_shows_the_records_scanned(self):
        self.mutate()
        argv = [crmtest.binary("crm-restore"), "--store", str(self.store), "--as", "admin", "plan", "--backup",
                str(self.archive), "--object", "contacts", "--properties", "lifecyclestage", "-o",
                str(self.dir / "contacts.plan")]
        exit_code, shown = at_terminal(argv, self.env, [])
        self.assertEqual(exit_code, 0, shown)
        self.assertRegex(shown, r"crm-restore: \[[#.]{20}\] plan \d+/\d+ records")
        self.assertIn("review it, then: crm-restore apply", shown)


if __name__ == "__main__":
    unittest.main()
