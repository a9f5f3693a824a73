"""The Debian package and the install rules: CPack packs this build into
crm-backup_<version>_amd64.deb (cmake/packaging.cmake, as scripts/package
does); the test unpacks it with dpkg-deb -x into a scratch root and runs what
a user gets from `apt-get install`: every binary's --version and --help, the
man pages, bash completion, and cron-line naming the installed binary."""
import gzip
import os
import pathlib
import re
import shutil
import subprocess
import unittest

import crmtest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
TOOLS = ("crm-backup", "crm-restore", "crm-schedule", "crm-demo")


def project_version():
    text = (SOURCE_DIR / "CMakeLists.txt").read_text()
    return re.search(r"project\(crm-backup VERSION ([0-9.]+)", text).group(1)


@unittest.skipUnless(shutil.which("cpack") and shutil.which("dpkg-deb"), "needs cpack and dpkg-deb")
class Package(crmtest.CliTestCase):
    @classmethod
    def setUpClass(cls):
        # One package for every test of this file: packing takes a while.
        crmtest.TMP_ROOT.mkdir(parents=True, exist_ok=True)
        cls.work = pathlib.Path(crmtest.TMP_ROOT) / "package"
        shutil.rmtree(cls.work, ignore_errors=True)
        cls.work.mkdir()
        packed = subprocess.run(["cpack", "--config", str(crmtest.BIN_DIR / "CPackConfig.cmake"),
                                 "-B", str(cls.work / "cpack")], capture_output=True, text=True)
        if packed.returncode != 0:
            raise AssertionError(f"cpack failed:\n{packed.stdout}\n{packed.stderr}")
        cls.deb = cls.work / "cpack" / f"crm-backup_{project_version()}_amd64.deb"
        cls.root = cls.work / "root"
        subprocess.run(["dpkg-deb", "-x", str(cls.deb), str(cls.root)], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def installed(self, *parts):
        return self.root / "usr" / pathlib.Path(*parts)

    def run_installed(self, tool, *args):
        return subprocess.run([str(self.installed("bin", tool)), *args], capture_output=True, text=True,
                              env=self.env, timeout=60)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", str(self.deb), name], capture_output=True, text=True,
                              check=True).stdout.strip()

    def test_the_control_file_names_what_the_binaries_need(self):
        self.assertEqual(self.field("Package"), "crm-backup")
        self.assertEqual(self.field("Version"), project_version())
        self.assertEqual(self.field("Architecture"), "amd64")
        depends = self.field("Depends")
        # Computed from the shared libraries by dpkg-shlibdeps, not written by hand.
        for library in ("libc6", "libsqlite3-0", "libarchive13", "libcurl4", "libqrencode4", "libssl3"):
            self.assertIn(library, depends)
        self.assertIn("rclone", self.field("Recommends"))
        changelog = gzip.decompress(self.installed("share", "doc", "crm-backup", "changelog.gz").read_bytes()).decode()
        self.assertTrue(changelog.startswith(f"crm-backup ({project_version()}) "), changelog[:80])

    def test_every_binary_answers_version_and_help_from_the_unpacked_root(self):
        for tool in TOOLS:
            with self.subTest(tool=tool):
                version = self.run_installed(tool, "--version")
                self.assertEqual(version.returncode, 0, version.stderr)
                self.assertTrue(version.stdout.startswith(f"{tool} {project_version()}"), version.stdout)
                if (SOURCE_DIR / ".git").exists():
                    self.assertRegex(version.stdout, r"\(git [0-9a-f]{12}(, modified)?\)")
                help_text = self.run_installed(tool, "--help")
                self.assertEqual(help_text.returncode, 0, help_text.stderr)
                self.assertIn(f"Usage: {tool}", help_text.stdout)

    def test_the_man_pages_are_there_with_the_version(self):
        for tool in TOOLS:
            with self.subTest(tool=tool):
                page = gzip.decompress(self.installed("share", "man", "man1", f"{tool}.1.gz").read_bytes()).decode()
                self.assertTrue(page.startswith(f".TH {tool.upper()} 1 "), page[:80])
                self.assertIn(f'"crm-backup {project_version()}"', page.splitlines()[0])
        if shutil.which("man"):
            shown = subprocess.run(["man", "-l", str(self.installed("share", "man", "man1", "crm-backup.1.gz"))],
                                   capture_output=True, text=True, env={**self.env, "MANPAGER": "cat"})
            self.assertEqual(shown.returncode, 0, shown.stderr)
            self.assertIn("crm-backup", shown.stdout)

    def complete(self, *words):
        """What bash completion offers for the command line `words` (the
        last word is the one being completed), with the installed script
        and the installed binaries on PATH."""
        script = self.installed("share", "bash-completion", "completions", words[0])
        line = " ".join(f"'{word}'" if word else "''" for word in words)
        program = (f"source '{script}'; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _crm_tools; "
                   "printf '%s\\n' \"${COMPREPLY[@]}\"")
        env = {**self.env, "PATH": f"{self.installed('bin')}:{os.environ['PATH']}"}
        done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return [word for word in done.stdout.splitlines() if word]

    def test_bash_completion_offers_subcommands_and_options(self):
        self.assertEqual(self.complete("crm-backup", "cr"), ["create"])
        self.assertIn("verify", self.complete("crm-backup", ""))
        self.assertEqual(self.complete("crm-restore", "und"), ["undo"])
        self.assertEqual(self.complete("crm-schedule", "cron"), ["cron-line"])
        # The subcommand's own options and the common ones.
        self.assertIn("--threads", self.complete("crm-backup", "create", "--th"))
        self.assertIn("--store", self.complete("crm-backup", "create", "--st"))
        # The subcommand is found after an option and its value.
        self.assertIn("--every-minutes", self.complete("crm-schedule", "--repo", "r", "cron-line", "--ev"))
        # The value of an option completes as a file name: no subcommands offered.
        self.assertEqual(self.complete("crm-backup", "--store", "cr"), [])

    def test_cron_line_names_the_installed_binary(self):
        line = self.run_installed("crm-schedule", "--store", str(self.dir / "store.sqlite"), "--repo",
                                  str(self.dir / "repo"), "cron-line")
        self.assertEqual(line.returncode, 0, line.stderr)
        self.assertIn(str(self.installed("bin", "crm-schedule")), line.stdout)

    @unittest.skipUnless(shutil.which("lintian"), "lintian is not installed")
    def test_lintian_reports_no_errors(self):
        report = subprocess.run(["lintian", "--fail-on", "error", "--tag-display-limit", "0", str(self.deb)],
                                capture_output=True, text=True, timeout=600)
        self.assertEqual(report.returncode, 0, report.stdout + report.stderr)


if __name__ == "__main__":
    unittest.main()
