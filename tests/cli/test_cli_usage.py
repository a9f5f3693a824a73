"""End-to-end: the three binaries treat a missing or unknown subcommand the
same way: exit 64 (EX_USAGE), with what went wrong and the usage on stderr,
nothing on stdout."""
import unittest

from crmtest import CliTestCase

BINARIES = ("crm-backup", "crm-restore", "crm-schedule")


class UsageTest(CliTestCase):
    def assertUsage(self, name, *args):
        result = self.run_tool(name, *args)
        self.assertEqual(result.code, 64, repr(result))
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

    def test_common_options_alone_are_not_a_subcommand(self):
        for name in BINARIES:
            with self.subTest(name):
                self.assertUsage(name, "--json")


if __name__ == "__main__":
    unittest.main()
