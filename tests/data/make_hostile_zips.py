#!/usr/bin/env python3
"""Writes hostile and corrupt zip archives into a directory, for the tests of
crm::archive::ZipReader (SPEC 6: readers never trust an archive).

    make_hostile_zips.py OUTPUT_DIR [--bomb-bytes N]

Standard library only; nothing binary is committed, the tests generate these
at run time. Every archive except good.zip must be refused by the reader:
  traversal.zip       entry "../x.csv"
  absolute.zip        entry "/etc/x.csv"
  nested.zip          entry "dir/contacts.csv"
  backslash.zip       entry "..\\contacts.csv" written by a DOS system (readers turn '\\' into '/')
  control.zip         entry name with a control character
  duplicate.zip       "contacts.csv" twice
  symlink.zip         "contacts.csv" is a symbolic link to /etc/passwd
  directory.zip       "contacts.csv" is a directory
  bomb.zip            "contacts.csv" is N zeros (default 2 GiB), honestly declared
  lying_size.zip      "contacts.csv" declares 1000 bytes but holds 1 MiB
  bad_crc.zip         "contacts.csv" with a wrong CRC-32 in both headers
  inconsistent_crc.zip  local header and central directory disagree on the CRC-32
  local_name.zip      central directory says "contacts.csv", local header "../tacts.csv"
  central_name.zip    central directory says "../tacts.csv", local header "contacts.csv"
  hidden_entry.zip    two central directory records share one local header
  many.zip            50 entries a00.csv .. a49.csv (for a small entry cap)
  fake_encrypted.zip  "contacts.csv" flagged encrypted (as ZipCrypto would be) in both headers, data plain
  mixed_encryption.zip  "contacts.csv" flagged WinZip AES, "manifest.json" plain
  local_encrypted.zip   the local header says encrypted, the central directory does not
  bzip2.zip           "contacts.csv" compressed with bzip2 (a method of ratios far beyond deflate's)
  garbage.zip         4 KiB of pseudo-random bytes
  empty.zip           an empty file
  zip64-*.zip, second-directory.zip, trailing-bytes.zip, prepended-bytes.zip
                      good.zip with end records or a directory that readers could
                      read differently (make_hostile_corpus.zip64_defects)
good.zip holds contacts.csv and manifest.json (see GOOD_CONTENT) and must be
read: it is an archive from an independent writer; so must zip64.zip, the
same with Zip64 end records.
"""
import argparse
import pathlib
import random
import struct
import zipfile
import zlib

from make_hostile_corpus import zip64_canonical, zip64_defects

GOOD_CONTENT = {
    "contacts.csv": b"hs_object_id,email\r\n1,a@example.com\r\n2,\"b,c\"@example.com\r\n",
    "manifest.json": b'{"format_version": 1}\n',
}
CSV = b"hs_object_id,email\r\n1,a@example.com\r\n"


def write_entries(path, entries, system=3):
    """entries: (name, bytes, external_attr or None)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, attributes in entries:
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 8, 2, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = system
            info.external_attr = attributes if attributes is not None else (0o100600 << 16)
            archive.writestr(info, data)


def patch(path, offset, data):
    content = bytearray(path.read_bytes())
    content[offset:offset + len(data)] = data
    path.write_bytes(bytes(content))


def central_header_offset(path, index=0):
    """Offset of the index-th central directory record."""
    content = path.read_bytes()
    eocd = content.rindex(b"PK\x05\x06")
    offset = struct.unpack_from("<I", content, eocd + 16)[0]
    for _ in range(index):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", content, offset + 28)
        offset += 46 + name_length + extra_length + comment_length
    return offset


def set_flags(path, flags, local=True, central=True, index=0):
    content = path.read_bytes()
    local_offset = struct.unpack_from("<I", content, central_header_offset(path, index) + 42)[0]
    if local:
        patch(path, local_offset + 6, struct.pack("<H", flags))
    if central:
        patch(path, central_header_offset(path, index) + 8, struct.pack("<H", flags))


def write_aes_flagged(path):
    """contacts.csv marked as WinZip AES-256 (method 99, extra field 0x9901 in
    both headers; its data is not really encrypted), then a plain manifest."""
    aes_extra = struct.pack("<HHH2sBH", 0x9901, 7, 2, b"AE", 3, 8)
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("contacts.csv", date_time=(2025, 3, 8, 2, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o100600 << 16
        info.extra = aes_extra
        archive.writestr(info, CSV)
        archive.writestr(zipfile.ZipInfo("manifest.json", date_time=(2025, 3, 8, 2, 0, 0)), b"{}")
    set_flags(path, 1)
    content = path.read_bytes()
    central = central_header_offset(path)
    local_offset = struct.unpack_from("<I", content, central + 42)[0]
    patch(path, local_offset + 8, struct.pack("<H", 99))
    patch(path, central + 10, struct.pack("<H", 99))


def write_bomb(path, size):
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        info = zipfile.ZipInfo("contacts.csv", date_time=(2025, 3, 8, 2, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o100600 << 16
        with archive.open(info, "w", force_zip64=True) as entry:
            remaining = size
            while remaining > 0:
                piece = chunk if remaining >= len(chunk) else chunk[:remaining]
                entry.write(piece)
                remaining -= len(piece)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=pathlib.Path)
    parser.add_argument("--bomb-bytes", type=int, default=2 << 30)
    args = parser.parse_args()
    out = args.output_dir
    out.mkdir(parents=True, exist_ok=True)

    write_entries(out / "good.zip", [(name, data, None) for name, data in GOOD_CONTENT.items()])
    good = (out / "good.zip").read_bytes()
    (out / "zip64.zip").write_bytes(zip64_canonical(good))
    for name, crafted in zip64_defects(good).items():
        (out / name).write_bytes(crafted)
    write_entries(out / "traversal.zip", [("../x.csv", CSV, None)])
    write_entries(out / "absolute.zip", [("/etc/x.csv", CSV, None)])
    write_entries(out / "nested.zip", [("dir/contacts.csv", CSV, None)])
    write_entries(out / "backslash.zip", [("..\\contacts.csv", CSV, 0x20)], system=0)
    write_entries(out / "control.zip", [("contacts\x01.csv", CSV, None)])
    with zipfile.ZipFile(out / "duplicate.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate we want
            archive.writestr("contacts.csv", CSV)
            archive.writestr("contacts.csv", CSV)
    write_entries(out / "symlink.zip", [("contacts.csv", b"/etc/passwd", 0o120777 << 16)])
    write_entries(out / "directory.zip", [("contacts.csv", b"", (0o040755 << 16) | 0x10)])
    write_bomb(out / "bomb.zip", args.bomb_bytes)

    lying = out / "lying_size.zip"
    write_entries(lying, [("contacts.csv", bytes(1 << 20), None)])
    patch(lying, 22, struct.pack("<I", 1000))  # local header: uncompressed size
    patch(lying, central_header_offset(lying) + 24, struct.pack("<I", 1000))

    bad_crc = out / "bad_crc.zip"
    write_entries(bad_crc, [("contacts.csv", CSV, None)])
    wrong_crc = struct.pack("<I", zlib.crc32(CSV) ^ 0x5A5A5A5A)
    patch(bad_crc, 14, wrong_crc)
    patch(bad_crc, central_header_offset(bad_crc) + 16, wrong_crc)

    inconsistent = out / "inconsistent_crc.zip"
    write_entries(inconsistent, [("contacts.csv", CSV, None)])
    patch(inconsistent, 14, wrong_crc)

    local_name = out / "local_name.zip"
    write_entries(local_name, [("contacts.csv", CSV, None)])
    patch(local_name, 30, b"../tacts.csv")

    central_name = out / "central_name.zip"
    write_entries(central_name, [("contacts.csv", CSV, None)])
    patch(central_name, central_header_offset(central_name) + 46, b"../tacts.csv")

    # The second record ("manifest.jsn") points at the first one's local header:
    # libarchive reads that header once, other tools list two files.
    hidden = out / "hidden_entry.zip"
    write_entries(hidden, [("contacts.csv", CSV, None), ("manifest.jsn", CSV, None)])
    patch(hidden, central_header_offset(hidden, 1) + 42, struct.pack("<I", 0))

    fake = out / "fake_encrypted.zip"
    write_entries(fake, [("contacts.csv", CSV, None)])
    set_flags(fake, 1)
    write_aes_flagged(out / "mixed_encryption.zip")
    local_encrypted = out / "local_encrypted.zip"
    write_entries(local_encrypted, [("contacts.csv", CSV, None)])
    set_flags(local_encrypted, 1, central=False)
    with zipfile.ZipFile(out / "bzip2.zip", "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("contacts.csv", CSV)

    write_entries(out / "many.zip", [(f"a{i:02d}.csv", CSV, None) for i in range(50)])
    (out / "garbage.zip").write_bytes(random.Random(65).randbytes(4096))
    (out / "empty.zip").write_bytes(b"")


if __name__ == "__main__":
    main()
