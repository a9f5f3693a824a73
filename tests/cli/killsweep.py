"""kill -9 at many points of one command's run (issue 10, "Crashes and faults").

A kill point is the K-th call of one system call by the command's main
thread: strace delivers SIGKILL as that call is entered
(`strace -e inject=CALL:signal=KILL:when=K`). The points come from one traced
run of the same command in the same world: `count` of them spread evenly
over its file-system calls from the first one that touches the scratch
directory (before that the process only loads itself), so a sweep covers the
whole run (open, lock, read, write, fsync, rename, commit) whatever the
machine's speed, and a point lands at the same place every time. Threads
other than the main one are not traced; their calls are not points, but a
kill ends them too.

Each sweep also reports its counts (crmtest.record_reliability) for
scripts/reliability.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

# Calls that read or change files, locks or the process's view of them;
# memory, futex and clock calls are left out: how often a thread waits
# varies between runs, so their counts do not name the same instant twice.
FILE_CALLS = {
    "openat", "open", "creat", "close", "read", "pread64", "readv", "preadv", "write", "pwrite64", "writev",
    "pwritev", "fsync", "fdatasync", "sync_file_range", "rename", "renameat", "renameat2", "unlink", "unlinkat",
    "link", "linkat", "mkdir", "mkdirat", "rmdir", "fcntl", "flock", "ftruncate", "truncate", "fallocate", "lseek",
    "newfstatat", "fstat", "stat", "lstat", "statx", "access", "faccessat", "faccessat2", "fchmod", "fchmodat",
    "fchown", "getdents64", "getrandom", "umask", "prctl", "setrlimit", "prlimit64", "execve", "wait4", "clone",
    "clone3", "vfork", "pipe2", "dup2", "dup3",
}
_CALL = re.compile(r"^([a-z_0-9]+)\(")


def _strace(env):
    """strace's own environment and the options that give the traced
    command a preloaded library (libfaketime) that strace itself must not load."""
    env = dict(env if env is not None else os.environ)
    # LeakSanitizer cannot run in a traced process (it would fail the exit of
    # every run that is not killed); the rest of ASan and UBSan stays on.
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS", ""), "detect_leaks=0"]))
    preload = env.pop("LD_PRELOAD", None)
    return env, (["-E", f"LD_PRELOAD={preload}"] if preload else [])


def require_strace():
    if shutil.which("strace") is None:
        raise unittest.SkipTest("strace is not installed (scripts/setup installs it): no kill points")


def kill_points(argv, env, anchor, count=50, cwd=None):
    """Runs `argv` once under strace and returns up to `count` points
    [(call, K)], spread evenly over the file calls made from the first call
    whose line holds `anchor` (a path) on."""
    require_strace()
    with tempfile.NamedTemporaryFile(prefix="trace-", suffix=".txt", delete=False) as handle:
        trace_path = handle.name
    try:
        strace_env, preload = _strace(env)
        completed = subprocess.run(["strace", "-qq", "-s", "256", "-o", trace_path, *preload, "--", *map(str, argv)],
                                   env=strace_env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if completed.returncode != 0:
            raise AssertionError(f"the traced run failed (exit {completed.returncode}): {completed.stderr[-2000:]}")
        with open(trace_path, errors="replace") as trace:
            lines = trace.read().splitlines()
    finally:
        os.unlink(trace_path)
    seen = {}
    candidates = []
    anchored = False
    for line in lines:
        match = _CALL.match(line)
        if not match:
            continue
        call = match.group(1)
        seen[call] = seen.get(call, 0) + 1
        anchored = anchored or (call != "execve" and str(anchor) in line)
        if anchored and call in FILE_CALLS:
            candidates.append((call, seen[call]))
    if not candidates:
        raise AssertionError(f"no file call after {anchor} in the traced run")
    if len(candidates) <= count:
        return candidates
    picks = sorted({round(index * (len(candidates) - 1) / (count - 1)) for index in range(count)})
    return [candidates[index] for index in picks]


def kill_at(point, argv, env, cwd=None, timeout=600):
    """Runs `argv` and kills it with SIGKILL at `point`; True when the kill
    landed (False: the run ended before reaching it)."""
    call, occurrence = point
    strace_env, preload = _strace(env)
    completed = subprocess.run(["strace", "-qq", "-o", os.devnull, "-e", f"trace={call}",
                                "-e", f"inject={call}:signal=KILL:when={occurrence}", *preload, "--",
                                *map(str, argv)],
                               env=strace_env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=timeout)
    import crmtest
    crmtest.remove_stale_faketime_segments()  # what the killed process could not remove
    return completed.returncode in (-9, 137)


class Sweep:
    """Counts the points of one sweep and what went wrong at each: a point
    whose checks fail is a point where data was lost (or left half-written,
    or a lock held, or the next run failed). The sweep goes on after a bad
    point, so the count is complete; finish() records it and fails the test
    when any point went wrong."""

    def __init__(self, test, name):
        self.test = test
        self.name = name
        self.tried = 0
        self.landed = 0
        self.failures = []

    def check(self, point, run_point):
        """Runs `run_point()`, which kills the command at `point`, checks
        the world and returns whether the kill landed."""
        self.tried += 1
        try:
            if run_point():
                self.landed += 1
        except AssertionError as error:
            self.failures.append(f"kill at {point[0]} #{point[1]}: {error}")

    def finish(self, **extra):
        import crmtest
        crmtest.record_reliability("kill", self.name, tried=self.tried, landed=self.landed,
                                   lost=len(self.failures), **extra)
        print(f"\nkill -9 sweep {self.name}: {self.tried} points, {self.landed} landed, "
              f"{len(self.failures)} lost", flush=True)
        if self.failures:
            self.test.fail(f"{len(self.failures)} of {self.tried} kill points went wrong:\n" +
                           "\n".join(self.failures[:10]))


# Columns that hold the time a row was written or text naming a file with a
# random part: two uninterrupted runs differ there, so a state compares them
# by presence only. Every other value is compared exactly.
VOLATILE_COLUMNS = {"at", "created_at", "enrolled_at", "details_json", "started_at", "finished_at"}


def open_after_kill(path):
    """A connection to the SQLite file at `path` as our own readers open it
    after a kill: read-write, so that SQLite rolls back the hot journal a
    killed writer left (a read-only connection refuses to read past it with
    "attempt to write a readonly database"). It creates nothing."""
    import sqlite3
    return sqlite3.connect(f"file:{path}?mode=rw", uri=True)


def database_state(path, volatile=VOLATILE_COLUMNS, skip_tables=()):
    """Every row of every table of the SQLite file at `path`: {table: sorted rows}."""
    connection = open_after_kill(path)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        state = {}
        for table in tables:
            if table in skip_tables:
                continue
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            names = [column[0] for column in cursor.description]
            rows = [tuple("<set>" if name in volatile and value not in (None, "") else value
                          for name, value in zip(names, row)) for row in cursor]
            state[table] = sorted(rows, key=repr)
        return state
    finally:
        connection.close()


def describe_difference(state, before, after):
    """Which tables differ from both the state before and the state after."""
    tables = sorted(name for name in set(state) | set(before) | set(after)
                    if state.get(name) != before.get(name) and state.get(name) != after.get(name))
    mixed = sorted(name for name in set(state) if state.get(name) == before.get(name) != after.get(name))
    return f"tables neither before nor after: {tables}; tables still before: {mixed}"
