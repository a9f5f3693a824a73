"""End-to-end: the three binaries treat a missing or unknown subcommand the
same way: exit 64 (EX_USAGE), with what went wrong and the usage on stderr,
nothing on stdout (under --json, the error document: docs/json.md)."""
import json
import unittest

from crmtest import CliTestCase

BINARIES = ("crm-backup", "crm-restore", "crm-schedule")


class UsageTest(CliTestCase):
    def assertUsage(self, name, *args):
        result = self.run_tool(name, *args)
        self.assertEqual(result.code, 64, repr(result))
        if "--json" in args:
            error = json.loads(result.stdout)["error"]
            self.assertEqual((error["message"], error["exit_code"]), ("A subcommand is required", 64))
        else:
            self.assertEqual(result.stdout, "", repr(result))
        lines = result.stderr.splitlines()
        self.assertTrue(lines and lines[0].startswith(f"{name}: "), repr(result))
        self.assertTrue(any(line.startswith(f"Usage: {name} ") for line in lines), repr(result))

    def test_no_subcommand_is_64_with_the_usage(self):
        for name in BINARIES:
            with self.subTest(name):
                self.assertUsage(name)

    def test_an_unknown_subcommand_is_64_with_the_usage(self):
        for name in BINARIES:
            with self.subTest(name):
                self.assertUsage(name, "craete")

    def test_an_unknown_subcommand_suggests_the_nearest_name(self):
        for name, typo, meant in (("crm-backup", "craete", "create"), ("crm-restore", "paln", "plan"),
                                  ("crm-schedule", "enabel", "enable")):
            with self.subTest(name):
                result = self.run_tool(name, typo)
                self.assertEqual(result.code, 64, repr(result))
                self.assertTrue(result.stderr.startswith(
                    f'{name}: unknown subcommand "{typo}"; did you mean "{meant}"? (see {name} --help)\n'),
                    result.stderr)
                self.assertIn(f"Usage: {name} ", result.stderr)

    def test_a_word_far_from_every_name_gets_no_suggestion(self):
        result = self.run_tool("crm-backup", "frobnicate")
        self.assertEqual(result.code, 64, repr(result))
        self.assertTrue(result.stderr.startswith('crm-backup: unknown subcommand "frobnicate" (see'), result.stderr)

    def test_an_unknown_option_suggests_the_nearest_option_of_its_subcommand(self):
        result = self.run_tool("crm-backup", "create", "--jsn")
        self.assertExit(result, 64)
        self.assertEqual(result.stderr.splitlines()[0],
                         'crm-backup: unknown option "--jsn"; did you mean "--json"? (see crm-backup create --help)')
        result = self.run_tool("crm-backup", "remote", "add", "--verfy")
        self.assertExit(result, 64)
        self.assertIn("(see crm-backup remote add --help)", result.stderr.splitlines()[0])

    def test_subcommand_help_lists_the_common_options_it_accepts(self):
        for name, subcommand in (("crm-backup", "show"), ("crm-restore", "plan"), ("crm-schedule", "run")):
            with self.subTest(name):
                result = self.run_tool(name, subcommand, "--help")
                self.assertExit(result, 0)
                footer = result.stdout[result.stdout.index("Common options"):]
                for option in ("--store", "--repo", "--as", "--json"):
                    self.assertIn(option, footer)

    def test_common_options_alone_are_not_a_subcommand(self):
        for name in BINARIES:
            with self.subTest(name):
                self.assertUsage(name, "--json")


if __name__ == "__main__":
    unittest.main()
