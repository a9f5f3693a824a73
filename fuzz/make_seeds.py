#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/) from real
outputs of the built binaries, so no seed is made by hand:

  archive     backups made by `crm-backup create` of a small demo store (all
              objects, one object, sensitive data left out, AES-encrypted
              with the passphrase the archive target tries), and the hostile
              archives tests/data/make_hostile_corpus.py derives from one
  manifest    the manifest.json of each of those backups
  csv_reader  their CSV entries, each behind a mode byte (strict or lenient,
              default or small caps, whole or split buffers; see
              csv_reader.cpp), and a lenient copy with LF line ends and a BOM
  plan        plans made by `crm-restore plan` after `crm-demo mutate`
  undo        the undo files `crm-restore apply` wrote for those plans

    make_seeds.py [OUTPUT_DIR]      (default: fuzz/corpus next to this script)

The binaries come from CRM_BIN_DIR (default: build/). Standard library only.
Every seed is kept under 64 KiB so that fuzzing stays fast; file names are
the seed's SHA-1, as libFuzzer names what it adds to a corpus.
"""
import base64
import hashlib
import hmac
import json
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN_DIR = pathlib.Path(os.environ.get("CRM_BIN_DIR", ROOT / "build"))
PASSPHRASE = "fuzz-passphrase"  # archive.cpp's k_passphrase
MAX_SEED_BYTES = 64 << 10
# csv_reader.cpp's mode byte: bit 0 lenient, bit 1 small caps, bits 2-4 the
# source's chunk size (0: 1 MiB, 1: one byte, 2: two, 4: seven, ...).
CSV_MODES = (0x00, 0x04, 0x0A, 0x11)


def binary(name):
    for candidate in (BIN_DIR / "apps" / name, BIN_DIR / "examples" / name):
        if candidate.exists():
            return str(candidate)
    sys.exit(f"make_seeds.py: {name} is not built under {BIN_DIR} (set CRM_BIN_DIR)")


def run(*args, env=None, input=None):
    merged = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
    merged.update(env or {})
    completed = subprocess.run([binary(args[0]), *map(str, args[1:])], env=merged, input=input,
                               capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"make_seeds.py: {' '.join(map(str, args))} failed ({completed.returncode}): {completed.stderr}")
    return completed.stdout


def totp(secret_base32, step_offset):
    """RFC 6238, as tests/cli/test_restore_story.py computes it; the step
    after the current one is accepted too (a code is accepted once)."""
    secret = secret_base32.strip().upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30) + step_offset), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1000000:06d}"


class Corpus:
    def __init__(self, out):
        self.out = out
        self.counts = {}

    def add(self, target, data):
        if len(data) > MAX_SEED_BYTES:
            return
        directory = self.out / target
        directory.mkdir(parents=True, exist_ok=True)
        (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)
        self.counts[target] = self.counts.get(target, 0) + 1


def first_lines(data, count):
    """The first `count` CRLF lines of a CSV (a seed need not be a whole table)."""
    return b"".join(line + b"\r\n" for line in data.split(b"\r\n")[:count])


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fuzz" / "corpus"
    corpus = Corpus(out)
    work = pathlib.Path(tempfile.mkdtemp(prefix="crm-fuzz-seeds-"))
    try:
        store, repo = work / "crm.sqlite", work / "repo"
        run("crm-demo", "init", "--store", store, "--contacts", 12, "--tier", "enterprise")
        common = ["--store", store, "--repo", repo, "--as", "admin"]
        passphrase_file = work / "passphrase"
        passphrase_file.write_text(PASSPHRASE + "\n")
        archives = []
        for extra in ([], ["--objects", "contacts"], ["--exclude-sensitive"],
                      ["--encrypt", "--passphrase-file", passphrase_file]):
            # One backup per 24 hours on an enterprise account: a fresh repository each.
            repo = work / f"repo-{len(archives)}"
            common = ["--store", store, "--repo", repo, "--as", "admin"]
            archives.append(pathlib.Path(json.loads(run("crm-backup", *common, "create", "--json", *extra))["archive"]))
        for archive in archives:
            corpus.add("archive", archive.read_bytes())
            if archive == archives[-1]:
                continue  # encrypted: its entries are not readable here
            with zipfile.ZipFile(archive) as zip_file:
                for name in zip_file.namelist():
                    data = zip_file.read(name)
                    if name == "manifest.json":
                        corpus.add("manifest", data)
                        continue
                    data = first_lines(data, 40)
                    for mode in CSV_MODES:
                        corpus.add("csv_reader", bytes([mode]) + data)
                    corpus.add("csv_reader", b"\x01\xef\xbb\xbf" + data.replace(b"\r\n", b"\n"))

        hostile = work / "hostile"
        subprocess.run([sys.executable, str(ROOT / "tests" / "data" / "make_hostile_corpus.py"), str(archives[0]),
                        str(hostile)], check=True, capture_output=True)
        for path in sorted(hostile.iterdir()):
            corpus.add("archive", path.read_bytes())

        run("crm-demo", "mutate", "--store", store)
        plan_repo = work / "repo-0"
        common = ["--store", store, "--repo", plan_repo, "--as", "admin"]
        secret = pathlib.Path(str(store) + ".admin-totp").read_text()
        for step, (name, choice) in enumerate((("deals", ["--properties", "dealstage,amount"]),
                                               ("contacts", ["--all-properties"]))):
            plan = work / f"{name}.plan"
            summary = json.loads(run("crm-restore", *common, "plan", "--backup", archives[0], "--object",
                                     name, *choice, "-o", plan, "--json"))
            corpus.add("plan", plan.read_bytes())
            run("crm-restore", *common, "apply", plan, "--confirm", summary["hash"], "--acknowledge-data-change",
                "--acknowledge-irreversible", env={"CRM_OTP": totp(secret, step)})
            for undo in work.glob(f"{name}.plan.*.undo"):
                corpus.add("undo", undo.read_bytes())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for target, count in sorted(corpus.counts.items()):
        print(f"{target}: {count} seeds")


if __name__ == "__main__":
    main()
