"""End-to-end: every command's --json output is what its JSON Schema says
(docs/json/*.schema.json, docs/json.md), and a failure under --json prints
the failure document whose exit_code is the process's exit code, with one
line on stderr.

One demo store and repository serve every command: setUpClass runs them all
in the order a user would (backups, remotes, a restore and its undo, a
schedule under a moved clock) and keeps each output; each test then checks
one output against its schema. Schemas are read with python3-jsonschema
(Draft 2020-12), formats not checked; the patterns for times, paths and ids
are in docs/json/common.schema.json.
"""
import datetime
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import unittest

import backuptest
import crmtest

try:
    import jsonschema
except ImportError:  # the rest of the suite needs only the standard library
    jsonschema = None
try:  # jsonschema 4.18 and later resolve $ref through `referencing`
    import referencing
except ImportError:  # Debian 12's python3-jsonschema (4.10) has RefResolver
    referencing = None

SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[2] / "docs" / "json"
NO_HASH = "0" * 64

# A weekly Monday 02:00 UTC schedule enabled on Monday 2026-01-05 runs first
# on 2026-01-12 02:00 (as in test_schedule_cli).
ENABLED_AT = "2026-01-05 10:00:00"


def load_schemas() -> dict:
    """file name -> schema, for every docs/json/*.schema.json."""
    return {path.name: json.loads(path.read_text()) for path in sorted(SCHEMA_DIR.glob("*.schema.json"))}


def validator(schema: dict, schemas: dict):
    """A Draft 2020-12 validator of `schema` whose $refs ("common.schema.json#/...")
    name the other files of docs/json/."""
    if referencing is not None:
        registry = referencing.Registry().with_resources(
            (name, referencing.Resource.from_contents(other)) for name, other in schemas.items())
        return jsonschema.Draft202012Validator(schema, registry=registry)
    base = "https://crm-backup.invalid/json/"  # any absolute base: the files refer to each other by name
    name = next(name for name, other in schemas.items() if other is schema)
    resolver = jsonschema.RefResolver(base_uri=base + name, referrer=schema,
                                      store={base + other_name: other for other_name, other in schemas.items()})
    return jsonschema.Draft202012Validator(schema, resolver=resolver)


class Run:
    """One command line and what it printed."""

    def __init__(self, tool, args, result, cwd=None):
        self.tool = tool
        self.args = [str(arg) for arg in args]
        self.result = result
        self.cwd = cwd

    @property
    def command(self) -> str:
        where = f"(in {self.cwd}) " if self.cwd else ""
        return where + " ".join([self.tool, *self.args])

    def __repr__(self):
        return f"{self.command}\n{self.result!r}"


class JsonSchemaCase(unittest.TestCase):
    """Runs commands against one shared store and repository (made once, in
    setUpClass) and checks outputs against the schemas. The shared scratch
    directory is kept, and its path printed, when a test fails."""

    runs = {}

    @classmethod
    def setUpClass(cls):
        if jsonschema is None:
            raise unittest.SkipTest("python3-jsonschema is not installed")
        cls.schemas = load_schemas()
        cls.validators = {name: validator(schema, cls.schemas) for name, schema in cls.schemas.items()}
        crmtest.TMP_ROOT.mkdir(parents=True, exist_ok=True)
        cls.root = pathlib.Path(tempfile.mkdtemp(prefix=f"{cls.__name__}-", dir=crmtest.TMP_ROOT))
        cls.is_kept = False
        cls.base_env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
        cls.base_env["CRM_BIN_DIR"] = str(crmtest.BIN_DIR)
        cls.runs = {}
        try:
            cls.run_the_story()
        except BaseException:
            print(f"\nscratch directory kept: {cls.root}")
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.is_kept or os.environ.get("CRM_KEEP_TMP"):
            print(f"\nscratch directory kept: {cls.root}")
        else:
            shutil.rmtree(cls.root, ignore_errors=True)

    def tearDown(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        problems = list(getattr(result, "errors", [])) + list(getattr(result, "failures", []))
        if any(test is self for test, _ in problems) or not getattr(outcome, "success", True):
            type(self).is_kept = True

    # --- running the tools ---------------------------------------------------

    @classmethod
    def tool(cls, key, name, *args, env=None, cwd=None) -> crmtest.Result:
        """Runs `name` with `args`; with a `key`, keeps the run for the tests."""
        merged = dict(cls.base_env)
        merged.update(env or {})
        completed = subprocess.run([crmtest.binary(name), *map(str, args)], env=merged, cwd=cwd,
                                   capture_output=True, text=True, timeout=300)
        result = crmtest.Result(completed)
        if key is not None:
            cls.runs[key] = Run(name, args, result, cwd)
        return result

    @classmethod
    def document(cls, key) -> dict:
        """The parsed output of a kept run, {} when it failed."""
        run = cls.runs.get(key)
        try:
            return json.loads(run.result.stdout) if run and run.result.code == 0 else {}
        except ValueError:
            return {}

    # --- checking ------------------------------------------------------------

    def schema_errors(self, schema, document) -> list:
        """What does not match, one line per problem: the same problem in
        several elements of an array is one line ("objects/*", 9 times)."""
        def leaves(error):
            # "not valid under any of the given schemas" says little: show why
            # the branch that is not null failed.
            branches = [sub for sub in error.context or [] if sub.validator_value != "null"]
            if error.validator == "anyOf" and error.instance is not None and branches:
                return [leaf for sub in branches for leaf in leaves(sub)]
            return [error]

        validator = self.validators[schema + ".schema.json"]
        counts = {}
        for error in validator.iter_errors(document):
            for leaf in leaves(error):
                where = "/".join("*" if isinstance(part, int) else str(part) for part in leaf.absolute_path)
                line = f"  at {where or '(the document)'}: {leaf.message[:300]}"
                counts[line] = counts.get(line, 0) + 1
        lines = [line + (f" ({count} times)" if count > 1 else "") for line, count in sorted(counts.items())]
        return lines[:15] + ([f"  ... and {len(lines) - 15} more"] if len(lines) > 15 else [])

    def parse(self, run: Run):
        try:
            return json.loads(run.result.stdout)
        except ValueError as problem:
            self.fail(f"stdout is not one JSON document ({problem}):\n{run!r}")

    def assertValid(self, run: Run, schema: str, document=None):
        document = self.parse(run) if document is None else document
        errors = self.schema_errors(schema, document)
        if errors:
            shown = json.dumps(document, indent=2)
            if len(shown) > 3000:
                shown = shown[:3000] + "\n..."
            self.fail(f"{run.command}\nexit {run.result.code}; stdout does not match "
                      f"docs/json/{schema}.schema.json:\n" + "\n".join(errors) + f"\nstdout:\n{shown}")

    def assertOutput(self, key, schema):
        """The kept run `key` succeeded and its stdout matches `schema`."""
        run = self.runs.get(key)
        if run is None:
            self.skipTest(f"{key}: not run here")
        self.assertEqual(run.result.code, 0, repr(run))
        self.assertValid(run, schema)

    def assertFailureDocument(self, run: Run, code: int, result_schema=None):
        """Exit `code`, one stderr line "<tool>: message (hint)", and on stdout
        the failure document with error.exit_code == `code`: "error" alone, or
        with the command's own result when `result_schema` names it."""
        result = run.result
        self.assertEqual(result.code, code, repr(run))
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, f"want one stderr line:\n{run!r}")
        document = self.parse(run)
        self.assertValid(run, "error", document)
        error = document["error"]
        self.assertEqual(error["exit_code"], result.code, repr(run))
        hint = f" ({error['hint']})" if error["hint"] is not None else ""
        self.assertEqual(lines[0], f"{run.tool}: {error['message']}{hint}", repr(run))
        if result_schema is None:
            self.assertEqual(list(document), ["error"], repr(run))
        else:
            self.assertValid(run, result_schema, document)


class JsonOutputs(JsonSchemaCase):
    # key of the kept run -> the schema its stdout must match. A test per
    # entry is made below (test_<key>).
    CASES = {
        "crm-backup create": "crm-backup-create",
        "crm-backup create, 20 days ago": "crm-backup-create",
        "crm-backup create --encrypt --exclude-sensitive": "crm-backup-create",
        "crm-backup list": "crm-backup-list",
        "crm-backup list, a backup pruned here and kept on a remote": "crm-backup-list",
        "crm-backup show": "crm-backup-show",
        "crm-backup show --properties": "crm-backup-show",
        "crm-backup show, expired": "crm-backup-show",
        "crm-backup show, encrypted, with the passphrase": "crm-backup-show",
        "crm-backup show, encrypted, without the passphrase": "crm-backup-show",
        "crm-backup show, on a remote only": "crm-backup-show",
        "crm-backup verify ID": "crm-backup-verify",
        "crm-backup verify FILE": "crm-backup-verify",
        "crm-backup verify --remote": "crm-backup-verify",
        "crm-backup diff A B": "crm-backup-diff",
        "crm-backup diff A --live": "crm-backup-diff",
        "crm-backup diff A --live --show-values": "crm-backup-diff",
        "crm-backup download": "crm-backup-download",
        "crm-backup export": "crm-backup-export",
        "crm-backup export --spreadsheet": "crm-backup-export",
        "crm-backup prune --dry-run": "crm-backup-prune",
        "crm-backup prune": "crm-backup-prune",
        "crm-backup prune --remote --dry-run": "crm-backup-prune",
        "crm-backup remote add": "crm-backup-remote-add",
        "crm-backup remote list": "crm-backup-remote-list",
        "crm-backup remote list, after sync": "crm-backup-remote-list",
        "crm-backup remote sync": "crm-backup-remote-sync",
        "crm-backup remote sync, nothing to copy": "crm-backup-remote-sync",
        "crm-backup remote import": "crm-backup-remote-import",
        "crm-backup remote remove": "crm-backup-remote-remove",
        "crm-backup config list": "crm-backup-config-list",
        "crm-backup config set": "crm-backup-config-set",
        "crm-backup config get": "crm-backup-config-get",
        "crm-backup config unset": "crm-backup-config-unset",
        "crm-restore status, no restore yet": "crm-restore-status",
        "crm-restore status, planned": "crm-restore-status",
        "crm-restore status, completed": "crm-restore-status",
        "crm-restore plan": "crm-restore-plan",
        "crm-restore plan, nothing to change": "crm-restore-plan",
        "crm-restore show": "crm-restore-show",
        "crm-restore show, an undo plan": "crm-restore-show",
        "crm-restore apply": "crm-restore-apply",
        "crm-restore apply, nothing to restore": "crm-restore-apply",
        "crm-restore apply, an undo plan": "crm-restore-apply",
        "crm-restore history": "crm-restore-history",
        "crm-restore undo": "crm-restore-undo",
        "crm-restore 2fa status, not enrolled": "crm-restore-2fa-status",
        "crm-restore 2fa enroll": "crm-restore-2fa-enroll",
        "crm-restore 2fa status, enrolled": "crm-restore-2fa-status",
        "crm-restore 2fa remove": "crm-restore-2fa-remove",
        "crm-restore 2fa enroll, again": "crm-restore-2fa-enroll",
        "crm-schedule status, never enabled": "crm-schedule-status",
        "crm-schedule status, encrypted, after a run": "crm-schedule-status",
        "crm-schedule status, disabled": "crm-schedule-status",
        "crm-schedule enable": "crm-schedule-enable",
        "crm-schedule run, nothing due": "crm-schedule-run",
        "crm-schedule run, backed up": "crm-schedule-run",
        "crm-schedule run, disabled": "crm-schedule-run",
        "crm-schedule check": "crm-schedule-check",
        "crm-schedule check --remote": "crm-schedule-check",
        "crm-schedule disable": "crm-schedule-disable",
        "crm-schedule disable, not enabled": "crm-schedule-disable",
        "crm-schedule cron-line": "crm-schedule-cron-line",
        "crm-schedule cron-line --user --log-file": "crm-schedule-cron-line",
        "crm-schedule systemd-unit": "crm-schedule-systemd-unit",
        "crm-schedule systemd-unit --output-dir": "crm-schedule-systemd-unit",
    }

    # What a few runs must show, so that each case is the situation it names.
    SITUATIONS = {
        "crm-backup show, expired": {"state": "expired"},
        "crm-backup show, encrypted, without the passphrase": {"manifest": None},
        "crm-backup show, on a remote only": {"archive": None, "remote": "usb"},
        "crm-backup verify FILE": {"backup_id": None},
        "crm-backup verify --remote": {"archive": None, "remote": "usb"},
        "crm-backup diff A B": {"has_differences": False},
        "crm-backup diff A --live": {"new": "live", "has_differences": True},
        "crm-backup remote sync, nothing to copy": {"copies": []},
        "crm-restore status, no restore yet": {"outcome": "none"},
        "crm-restore status, planned": {"outcome": "planned"},
        "crm-restore status, completed": {"outcome": "completed"},
        "crm-restore plan, nothing to change": {"records_to_change": 0},
        "crm-restore apply": {"nothing_to_restore": False},
        "crm-restore apply, nothing to restore": {"nothing_to_restore": True, "import_id": None},
        "crm-restore 2fa status, enrolled": {"enrolled": True},
        "crm-schedule status, never enabled": {"enabled": False, "cadence": None},
        "crm-schedule status, encrypted, after a run": {"enabled": True, "encrypted": True},
        "crm-schedule run, nothing due": {"outcome": "nothing_due"},
        "crm-schedule run, backed up": {"outcome": "backed_up"},
        "crm-schedule run, disabled": {"outcome": "disabled"},
        "crm-schedule check": {"fresh": True},
        "crm-schedule check --remote": {"fresh": True, "remote": "usb"},
        "crm-schedule disable": {"was_enabled": True},
        "crm-schedule disable, not enabled": {"was_enabled": False},
    }

    def assertOutput(self, key, schema):
        super().assertOutput(key, schema)
        document = json.loads(self.runs[key].result.stdout)
        for name, value in self.SITUATIONS.get(key, {}).items():
            self.assertEqual(document.get(name, "(missing)"), value, f"{name} of {self.runs[key]!r}")

    @classmethod
    def run_the_story(cls):
        root = cls.root
        cls.store = root / "crm.sqlite"
        cls.repo = root / "repo"
        cls.tool(None, "crm-demo", "init", "--store", cls.store, "--contacts", 200, "--tier", "enterprise")
        cls.run_backup()
        cls.run_restore()
        cls.run_schedule()

    # --- crm-backup --------------------------------------------------------------

    @classmethod
    def backup(cls, key, *args, repo=None, env=None, user="admin"):
        return cls.tool(key, "crm-backup", "--store", cls.store, "--repo", repo or cls.repo, "--as", user, *args,
                        "--json", env=env)

    @classmethod
    def run_backup(cls):
        root = cls.root
        has_rclone = shutil.which("rclone") is not None
        rclone_config = root / "rclone.conf"
        rclone_config.write_text("")
        remote_env = {"RCLONE_CONFIG": str(rclone_config)}
        passphrase = {"CRM_BACKUP_PASSPHRASE": "json-schema-passphrase"}
        twenty_days_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=20)

        # Backup A, past its download window; backup B, now; then the bulk edit.
        cls.backup("crm-backup create, 20 days ago", "create", env=backuptest.at(twenty_days_ago.strftime(
            "%Y-%m-%d %H:%M:%S")))
        cls.backup("crm-backup create", "create", "--note", "before the bulk edit")
        old = cls.document("crm-backup create, 20 days ago").get("backup_id", "missing-a")
        new = cls.document("crm-backup create").get("backup_id", "missing-b")
        cls.new_backup = new
        cls.tool(None, "crm-demo", "mutate", "--store", cls.store)
        encrypted_repo = root / "repo-encrypted"
        cls.backup("crm-backup create --encrypt --exclude-sensitive", "create", "--encrypt", "--exclude-sensitive",
                   repo=encrypted_repo, env=passphrase)
        encrypted = cls.document("crm-backup create --encrypt --exclude-sensitive").get("backup_id", "missing-e")

        archive = pathlib.Path(cls.document("crm-backup create").get("archive", root / "missing.zip"))
        cls.copy = root / "copy.zip"  # an archive file whose name carries no id
        if archive.exists():
            shutil.copyfile(archive, cls.copy)

        cls.backup("crm-backup verify ID", "verify", new)
        cls.backup("crm-backup verify FILE", "verify", cls.copy)
        cls.backup("crm-backup show", "show", new)
        cls.backup("crm-backup show --properties", "show", new, "--properties")
        cls.backup("crm-backup show, expired", "show", old)
        cls.backup("crm-backup show, encrypted, with the passphrase", "show", encrypted, repo=encrypted_repo,
                   env=passphrase)
        cls.backup("crm-backup show, encrypted, without the passphrase", "show", encrypted, repo=encrypted_repo)
        cls.backup("crm-backup diff A B", "diff", old, new)
        cls.backup("crm-backup diff A --live", "diff", new, "--live")
        cls.backup("crm-backup diff A --live --show-values", "diff", new, "--live", "--show-values",
                   "--max-listed", 3)
        cls.backup("crm-backup download", "download", new, "-o", root / "downloaded.zip")
        cls.backup("crm-backup export", "export", new, "-o", root / "export")
        cls.backup("crm-backup export --spreadsheet", "export", new, "-o", root / "spreadsheet", "--spreadsheet")
        cls.backup("crm-backup config list", "config", "list")
        cls.backup("crm-backup config set", "config", "set", "hubspot.sso-users", "ann@example.com")
        cls.backup("crm-backup config get", "config", "get", "hubspot.sso_users")
        cls.backup("crm-backup config unset", "config", "unset", "hubspot.sso-users")
        cls.backup("crm-backup prune --dry-run", "prune", "--dry-run")

        if has_rclone:
            usb = root / "usb"
            cls.backup("crm-backup remote add", "remote", "add", "usb", usb, env=remote_env)
            cls.backup("crm-backup remote list", "remote", "list", env=remote_env)
            cls.backup("crm-backup remote sync", "remote", "sync", env=remote_env)
            cls.backup("crm-backup remote sync, nothing to copy", "remote", "sync", "usb", env=remote_env)
            cls.backup("crm-backup remote list, after sync", "remote", "list", env=remote_env)
            cls.backup("crm-backup verify --remote", "verify", new, "--remote", "usb", env=remote_env)
            cls.backup("crm-backup prune --remote --dry-run", "prune", "--remote", "usb", "--dry-run",
                       env=remote_env)
        cls.backup("crm-backup list", "list", env=remote_env)
        # A, past its window, leaves the repository; with a remote it stays there.
        cls.backup("crm-backup prune", "prune", env=remote_env)
        if has_rclone:
            cls.backup("crm-backup list, a backup pruned here and kept on a remote", "list", env=remote_env)
            cls.backup("crm-backup show, on a remote only", "show", old, env=remote_env)
            recovered = root / "repo-recovered"
            cls.backup(None, "remote", "add", "usb", root / "usb", repo=recovered, env=remote_env)
            cls.backup("crm-backup remote import", "remote", "import", "usb", repo=recovered, env=remote_env)
            cls.backup("crm-backup remote remove", "remote", "remove", "usb", repo=recovered, env=remote_env)

    # --- crm-restore -------------------------------------------------------------

    @classmethod
    def restore(cls, key, *args, user="admin", cwd=None):
        return cls.tool(key, "crm-restore", "--store", cls.store, "--repo", cls.repo, "--as", user, *args,
                        "--json", cwd=cwd)

    @classmethod
    def apply(cls, key, plan, *, cwd=None):
        """Applies `plan` (its hash from crm-restore show) as the SSO super admin: no second factor."""
        review = cls.tool(None, "crm-restore", "show", plan, "--json", cwd=cwd)
        digest = json.loads(review.stdout).get("hash", NO_HASH) if review.code == 0 else NO_HASH
        return cls.restore(key, "apply", plan, "--confirm", digest, "--acknowledge-data-change",
                           "--acknowledge-irreversible", user="sso-admin", cwd=cwd)

    @classmethod
    def run_restore(cls):
        root = cls.root
        new = cls.new_backup
        cls.restore("crm-restore status, no restore yet", "status")
        cls.restore("crm-restore 2fa status, not enrolled", "2fa", "status")
        cls.restore("crm-restore 2fa enroll", "2fa", "enroll")
        cls.restore("crm-restore 2fa status, enrolled", "2fa", "status")
        cls.restore("crm-restore 2fa remove", "2fa", "remove")
        cls.restore("crm-restore 2fa enroll, again", "2fa", "enroll")

        plan = root / "deals.plan"
        cls.restore("crm-restore plan", "plan", "--backup", new, "--object", "deals", "--properties",
                    "dealstage,amount", "-o", plan)
        cls.restore("crm-restore show", "show", plan, "--records", 3)
        cls.restore("crm-restore status, planned", "status")
        cls.apply("crm-restore apply", plan)
        cls.restore("crm-restore status, completed", "status")
        nothing = root / "nothing.plan"
        cls.restore("crm-restore plan, nothing to change", "plan", "--backup", new, "--object", "deals",
                    "--properties", "dealstage", "-o", nothing)
        cls.apply("crm-restore apply, nothing to restore", nothing)

        import_id = cls.document("crm-restore apply").get("import_id") or 1
        undo = root / "undo.plan"
        cls.restore("crm-restore undo", "undo", import_id, "-o", undo)
        cls.restore("crm-restore show, an undo plan", "show", undo)
        cls.apply("crm-restore apply, an undo plan", undo)
        cls.restore("crm-restore history", "history")  # the restore and its undo

        # Paths as people type them, from the directory they work in.
        cls.restore("relative: crm-restore plan", "plan", "--backup", "./copy.zip", "--object", "contacts",
                    "--properties", "lifecyclestage", "-o", "./contacts.plan", cwd=root)
        cls.restore("relative: crm-restore status, planned", "status", cwd=root)
        cls.apply("relative: crm-restore apply", "./contacts.plan", cwd=root)
        cls.restore("relative: crm-restore history", "history", cwd=root)

    # --- crm-schedule ------------------------------------------------------------

    @classmethod
    def schedule(cls, key, *args, repo=None, at=None):
        return cls.tool(key, "crm-schedule", "--store", cls.store, "--repo", repo or cls.schedule_repo, "--as",
                        "admin", *args, "--json", env=backuptest.at(at) if at else None)

    @classmethod
    def run_schedule(cls):
        root = cls.root
        cls.schedule_repo = root / "repo-scheduled"
        passphrase_file = root / "schedule-passphrase"
        passphrase_file.write_text("json-schema-schedule-passphrase\n")
        passphrase_file.chmod(0o600)
        cls.schedule("crm-schedule status, never enabled", "status", repo=cls.repo)
        if shutil.which("rclone") is not None:
            cls.tool("crm-schedule check --remote", "crm-schedule", "--repo", cls.repo, "check", "--max-age", "1d",
                     "--remote", "usb", "--json", env={"RCLONE_CONFIG": str(root / "rclone.conf")})
        cls.schedule("crm-schedule enable", "enable", "--every", "week", "--day", "mon", "--at", "02:00",
                     "--keep-daily", 3, "--encrypt", "--passphrase-file", passphrase_file, at=ENABLED_AT)
        cls.schedule("crm-schedule run, nothing due", "run", at="2026-01-08 12:00:00")
        cls.schedule("crm-schedule run, backed up", "run", at="2026-01-12 02:05:00")
        cls.schedule("crm-schedule status, encrypted, after a run", "status", at="2026-01-12 02:10:00")
        cls.schedule("crm-schedule check", "check", "--max-age", "1d", at="2026-01-12 03:00:00")
        cls.schedule("crm-schedule cron-line", "cron-line")
        cls.schedule("crm-schedule cron-line --user --log-file", "cron-line", "--user", "backup", "--log-file",
                     root / "schedule.log", "--every-minutes", 5)
        cls.schedule("crm-schedule systemd-unit", "systemd-unit")
        cls.schedule("crm-schedule systemd-unit --output-dir", "systemd-unit", "--output-dir", root, "--name",
                     "crm-json-test")
        cls.schedule("crm-schedule disable", "disable")
        cls.schedule("crm-schedule run, disabled", "run")
        cls.schedule("crm-schedule status, disabled", "status")
        cls.schedule("crm-schedule disable, not enabled", "disable")

    # --- the tests -----------------------------------------------------------------

    def test_paths_typed_relative_come_out_absolute_and_normal(self):
        """crm-restore with ./archive and ./plan: paths come out absolute and normal"""
        for key, schema in (("relative: crm-restore plan", "crm-restore-plan"),
                            ("relative: crm-restore status, planned", "crm-restore-status"),
                            ("relative: crm-restore apply", "crm-restore-apply"),
                            ("relative: crm-restore history", "crm-restore-history")):
            with self.subTest(key):
                self.assertOutput(key, schema)


def _output_test(key, schema):
    def test(self):
        self.assertOutput(key, schema)
    test.__doc__ = f"{key} --json matches docs/json/{schema}.schema.json"
    return test


for _key, _schema in JsonOutputs.CASES.items():
    setattr(JsonOutputs, "test_" + re.sub(r"[^a-z0-9]+", "_", _key.lower()).strip("_"), _output_test(_key, _schema))


class JsonFailures(JsonSchemaCase):
    """Failures under --json: the failure document on stdout, its exit_code
    the process's, one line on stderr."""

    @classmethod
    def run_the_story(cls):
        cls.store = cls.root / "crm.sqlite"
        cls.repo = cls.root / "repo"
        cls.tool(None, "crm-demo", "init", "--store", cls.store, "--contacts", 50, "--tier", "enterprise")
        created = cls.tool(None, "crm-backup", "--store", cls.store, "--repo", cls.repo, "--as", "admin", "create",
                           "--json")
        cls.backup_id = json.loads(created.stdout)["backup_id"] if created.code == 0 else "20260101T000000Z-0000"
        cls.plan = cls.root / "deals.plan"
        cls.tool(None, "crm-restore", "--store", cls.store, "--repo", cls.repo, "--as", "admin", "plan",
                 "--backup", cls.backup_id, "--object", "deals", "--all-properties", "-o", cls.plan)

    def fails(self, tool, *args, code, result_schema=None, env=None, repo=None):
        args = ["--store", self.store, "--repo", repo or self.repo, "--as", "admin", *args, "--json"]
        run = Run(tool, args, self.tool(None, tool, *args, env=env))
        self.assertFailureDocument(run, code, result_schema)

    def test_crm_backup_failures(self):
        for args, code in ((["list", "--bogus"], 64),
                           (["create", "--passphrase", "not-on-argv"], 64),
                           (["show", "20991231T000000Z-dead"], 66),
                           (["verify", self.root / "no-such.zip"], 66),
                           (["config", "get", "notify-command"], 66),
                           (["create"], 75)):  # one backup a day on the enterprise plan
            with self.subTest(args=args):
                self.fails("crm-backup", *args, code=code)

    def test_crm_restore_failures(self):
        for args, code in ((["status", "--bogus"], 64),
                           (["show", self.root / "missing.plan"], 66),
                           (["plan", "--backup", "20991231T000000Z-dead", "--object", "deals", "--all-properties",
                             "-o", self.root / "never.plan"], 66),
                           (["apply", self.plan, "--confirm", NO_HASH, "--acknowledge-data-change",
                             "--acknowledge-irreversible"], 65)):
            with self.subTest(args=args):
                self.fails("crm-restore", *args, code=code)

    def test_crm_schedule_failures(self):
        for args, code in ((["run", "--bogus"], 64),
                           (["check", "--max-age", "1x"], 64)):
            with self.subTest(args=args):
                self.fails("crm-schedule", *args, code=code)
        with self.subTest("no repository"):
            self.fails("crm-schedule", "status", code=66, repo=self.root / "no-repo")

    def test_crm_schedule_check_too_old_prints_its_result_with_the_error(self):
        # The backup was made a moment ago; a week later it is older than a day.
        later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)).strftime(
            "%Y-%m-%d %H:%M:%S")
        self.fails("crm-schedule", "check", "--max-age", "1d", code=75, result_schema="crm-schedule-check",
                   env=backuptest.at(later))


class JsonSchemaFiles(unittest.TestCase):
    """The schemas themselves: valid Draft 2020-12, every key of a fixed
    shape required, and one schema for each kept run above."""

    # Keys a fixed-shape object may lack: "error" (only in a failure
    # document) and the archive manifest's own conditional keys
    # (docs/backup-format.md).
    OPTIONAL_KEYS = {"error", "skipped", "modified_during_backup"}

    @unittest.skipIf(jsonschema is None, "python3-jsonschema is not installed")
    def test_every_schema_is_a_valid_draft_2020_12_schema(self):
        for name, schema in load_schemas().items():
            with self.subTest(name):
                self.assertEqual(schema.get("$schema"), "https://json-schema.org/draft/2020-12/schema")
                jsonschema.Draft202012Validator.check_schema(schema)

    def test_fixed_shapes_require_every_key(self):
        def walk(node, where):
            if isinstance(node, dict):
                if node.get("additionalProperties") is False and "properties" in node:
                    missing = set(node["properties"]) - set(node.get("required", [])) - self.OPTIONAL_KEYS
                    self.assertFalse(missing, f"{where}: keys not required: {sorted(missing)}")
                for key, value in node.items():
                    walk(value, f"{where}/{key}")
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    walk(value, f"{where}/{index}")
        for name, schema in load_schemas().items():
            walk(schema, name)

    def test_each_command_schema_is_checked_against_a_real_output(self):
        used = set(JsonOutputs.CASES.values())
        files = {name[:-len(".schema.json")] for name in load_schemas()} - {"common", "error"}
        self.assertEqual(files - used, set(), "schemas no test checks")
        self.assertEqual(used - files, set(), "schemas the tests name that do not exist")


if __name__ == "__main__":
    unittest.main()
