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


class NewPassphrase(crmtest.CliTestCase):
    def setUp(self):
        super().setUp()
        self.store = self.dir / "crm.sqlite"
        self.repo = self.dir / "repo"
        self.assertExit(self.run_tool("crm-demo", "init", "--store", self.store, "--contacts", 50), 0)

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
        verified = self.run_tool("crm-backup", "--repo", self.repo, "--as", "admin", "verify", backup["id"],
                                 env={"CRM_BACKUP_PASSPHRASE": passphrase})
        self.assertExit(verified, 0)


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


if __name__ == "__main__":
    unittest.main()
