"""Shared helpers for the end-to-end tests: run the real binaries in a scratch
directory and check exit codes, stderr lines and files left behind.

Standard library only. A test's scratch directory is removed when it passes
and kept (its path printed) when it fails.
"""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import unittest

BIN_DIR = pathlib.Path(os.environ.get("CRM_BIN_DIR", pathlib.Path(__file__).resolve().parents[2] / "build"))
TMP_ROOT = pathlib.Path(os.environ.get("CRM_TEST_TMP", tempfile.gettempdir()))


def remove_stale_faketime_segments():
    """Removes the shared-memory names (/dev/shm) of libfaketime processes
    that are gone. Each faketimed process creates faketime_sem_<pid> and
    faketime_shm_<pid> and removes them at exit; one killed by a kill -9 sweep
    leaves them behind, and a later process that gets the same pid then dies
    at start ("shm_open failed: File exists"). Names of live processes are
    left alone."""
    shm = pathlib.Path("/dev/shm")
    if not shm.is_dir():
        return
    for entry in shm.iterdir():
        prefix, _, pid = entry.name.rpartition("_")
        if prefix not in ("faketime_shm", "sem.faketime_sem") or not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # alive (or another user's): not ours to remove
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        try:
            entry.unlink()
        except (FileNotFoundError, PermissionError):
            pass


def preloaded(library: str) -> dict:
    """Environment entries that preload `library` (libfaketime) into the
    binaries. Under AddressSanitizer (CRM_SANITIZE=1) ASan's runtime must come
    first in the library list and refuses to start otherwise; a preloaded
    faketime cannot come after it, so these runs alone turn that check off.
    Nothing else changes: ASan, UBSan and LeakSanitizer still check every
    run."""
    remove_stale_faketime_segments()
    options = [option for option in os.environ.get("ASAN_OPTIONS", "").split(":") if option]
    options.append("verify_asan_link_order=0")
    return {"LD_PRELOAD": library, "ASAN_OPTIONS": ":".join(options)}


def binary(name: str) -> str:
    """Path of a built binary: crm-backup, crm-restore, crm-schedule, crm-demo."""
    for candidate in (BIN_DIR / "apps" / name, BIN_DIR / "examples" / name, BIN_DIR / name):
        if candidate.exists():
            return str(candidate)
    raise FileNotFoundError(f"{name} not built under {BIN_DIR}")


class Result:
    def __init__(self, completed: subprocess.CompletedProcess):
        self.code = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    def __repr__(self):
        return f"exit {self.code}\nstdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}"


class CliTestCase(unittest.TestCase):
    """Gives each test a scratch directory `self.dir` and `self.run(...)`."""

    def setUp(self):
        TMP_ROOT.mkdir(parents=True, exist_ok=True)
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix=f"{self.id().split('.')[-1]}-", dir=TMP_ROOT))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
        self.env["CRM_BIN_DIR"] = str(BIN_DIR)

    def tearDown(self):
        outcome = getattr(self, "_outcome", None)
        failed = False
        if outcome is not None:
            result = getattr(outcome, "result", None)
            errors = list(getattr(result, "errors", [])) + list(getattr(result, "failures", []))
            failed = any(test is self for test, _ in errors) or not getattr(outcome, "success", True)
        if failed or os.environ.get("CRM_KEEP_TMP"):
            print(f"\nscratch directory kept: {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def run_tool(self, name, *args, env=None, input=None, timeout=600) -> Result:
        merged = dict(self.env)
        merged.update(env or {})
        completed = subprocess.run([binary(name), *map(str, args)], env=merged, input=input,
                                   capture_output=True, text=True, timeout=timeout)
        return Result(completed)

    def assertExit(self, result: Result, code: int):
        """The exit code is `code`; a failure prints exactly one stderr line."""
        self.assertEqual(result.code, code, repr(result))
        if code != 0:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            self.assertEqual(len(lines), 1, f"want one stderr line, got: {result.stderr!r}")


def mount_tmpfs(directory, options) -> bool:
    """Mounts a small tmpfs on `directory` (we run as root in CI); False when
    that is not possible here. The caller unmounts it."""
    directory.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(directory)],
                            capture_output=True, text=True)
    return result.returncode == 0


def record_reliability(kind: str, name: str, **counts):
    """Writes one result of a sweep, a fault run, the hostile corpus or a
    scan as `<kind>-<name>.json` into $CRM_RELIABILITY_OUT, when set:
    scripts/reliability runs the tests and sums these files into its table.
    `counts` are numbers such as tried=50, lost=0."""
    directory = os.environ.get("CRM_RELIABILITY_OUT")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    path = pathlib.Path(directory) / f"{kind}-{name}.json"
    path.write_text(json.dumps({"kind": kind, "name": name, **counts}, sort_keys=True) + "\n")
