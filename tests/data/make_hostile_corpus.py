#!/usr/bin/env python3
"""Writes a corpus of hostile archives derived from a real crm-backup archive,
each file one defect, for the end-to-end test that verify and plan refuse
every one (issue 10, "Hostile input corpus").

    make_hostile_corpus.py ARCHIVE OUTPUT_DIR

ARCHIVE must be an unencrypted backup holding contacts.csv. Standard library
only; nothing binary is committed. Prints the names written, one a line.
Defects that change a CSV recompute its SHA-256 in the manifest, so that the
CSV reader, not the checksum, is what must refuse them.
"""
import hashlib
import json
import pathlib
import struct
import sys
import zipfile
import zlib

TIME = (2026, 1, 1, 2, 0, 0)


def entries_of(archive):
    with zipfile.ZipFile(archive) as source:
        return [(info.filename, source.read(info)) for info in source.infolist()]


def write(path, entries, method=zipfile.ZIP_DEFLATED, attributes=0o100600 << 16):
    with zipfile.ZipFile(path, "w", method) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=TIME)
            info.compress_type = method
            info.external_attr = attributes
            target.writestr(info, data)


def with_csv(entries, edit_csv, edit_manifest=None):
    """contacts.csv edited, its SHA-256 (and what edit_manifest changes) kept in the manifest."""
    files = dict(entries)
    manifest = json.loads(files["manifest.json"])
    contacts = edit_csv(files["contacts.csv"])
    entry = next(o for o in manifest["objects"] if o["name"] == "contacts")
    entry["sha256"] = hashlib.sha256(contacts).hexdigest()
    if edit_manifest:
        edit_manifest(manifest)
    files["contacts.csv"] = contacts
    files["manifest.json"] = json.dumps(manifest).encode()
    return list(files.items())


def with_manifest(entries, edit):
    files = dict(entries)
    manifest = json.loads(files["manifest.json"])
    edit(manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    return list(files.items())


def renamed(entries, old, new):
    return [(new if name == old else name, data) for name, data in entries]


def patch(path, offset, data):
    content = bytearray(path.read_bytes())
    content[offset:offset + len(data)] = data
    path.write_bytes(bytes(content))


def central_offset(path, index=0):
    content = path.read_bytes()
    offset = struct.unpack_from("<I", content, content.rindex(b"PK\x05\x06") + 16)[0]
    for _ in range(index):
        lengths = struct.unpack_from("<HHH", content, offset + 28)
        offset += 46 + sum(lengths)
    return offset


def contacts(manifest):
    return next(o for o in manifest["objects"] if o["name"] == "contacts")


# --- Zip64 and directory defects (issue 10, hole 13) --------------------------
# Each takes the bytes of a classic zip (no Zip64 records, no comment) and
# returns a crafted one. Our central-directory parser and libarchive must
# read the same directory of every archive we accept; these are archives where
# they (or other tools) could read different ones.
ZIP64_MARKER16, ZIP64_MARKER32 = 0xFFFF, 0xFFFFFFFF


def split_zip(data):
    """(the entries' bytes, the central directory records) of a classic zip."""
    end = data.rindex(b"PK\x05\x06")
    size, offset = struct.unpack_from("<II", data, end + 12)
    directory, records, position = data[offset:offset + size], [], 0
    while position < len(directory):
        lengths = struct.unpack_from("<HHH", directory, position + 28)
        records.append(directory[position:position + 46 + sum(lengths)])
        position += 46 + sum(lengths)
    return data[:offset], records


def classic_end(count, size, offset, disk_count=None):
    count_on_disk = count if disk_count is None else disk_count
    return struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count_on_disk, count, size, offset, 0)


def zip64_end(count, size, offset, end_offset, disk_count=None, locator_disks=1):
    """A Zip64 end of central directory record at end_offset, then its locator."""
    count_on_disk = count if disk_count is None else disk_count
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 0x031E, 45, 0, 0, count_on_disk, count, size, offset)
    return record + struct.pack("<4sIQI", b"PK\x06\x07", 0, end_offset, locator_disks)


def zip64_canonical(data):
    """Valid: Zip64 end records, the classic one holding only markers."""
    body, records = split_zip(data)
    directory = b"".join(records)
    end = len(body) + len(directory)
    return (body + directory + zip64_end(len(records), len(directory), len(body), end) +
            classic_end(ZIP64_MARKER16, ZIP64_MARKER32, ZIP64_MARKER32))


def zip64_defects(data):
    """{name: bytes} of archives whose end records or directory disagree."""
    body, records = split_zip(data)
    directory = b"".join(records)
    reordered = b"".join(reversed(records))
    count, start = len(records), len(body)
    defects = {}
    # The classic end record names the first directory, the Zip64 one a second.
    second = start + len(directory)
    defects["zip64-other-directory.zip"] = (
        body + directory + reordered + zip64_end(count, len(reordered), second, second + len(reordered)) +
        classic_end(count, len(directory), start))
    # The Zip64 record's offset names a directory other than the one ending
    # where the record begins.
    defects["zip64-offset-field.zip"] = (
        body + directory + directory + zip64_end(count, len(directory), start, start + 2 * len(directory)) +
        classic_end(ZIP64_MARKER16, ZIP64_MARKER32, ZIP64_MARKER32))
    end = start + len(directory)
    defects["zip64-count.zip"] = (body + directory + zip64_end(count, len(directory), start, end) +
                                  classic_end(count - 1, ZIP64_MARKER32, ZIP64_MARKER32))
    # libarchive ignores a Zip64 record that says the directory is split, or a
    # locator that does not count one disk, and reads the classic record.
    defects["zip64-disk-count.zip"] = (body + directory + zip64_end(count, len(directory), start, end, disk_count=count + 1) +
                                       classic_end(count, len(directory), start))
    defects["zip64-locator-disks.zip"] = (
        body + directory + reordered + zip64_end(count, len(reordered), second, second + len(reordered),
                                                 locator_disks=0) + classic_end(count, len(directory), start))
    # A Zip64 extra field with sizes of its own while the record's fields hold
    # real values: readers that prefer the extra see other sizes.
    first = bytearray(records[0])
    name_length, extra_length = struct.unpack_from("<HH", first, 28)
    extra = struct.pack("<HHQQ", 0x0001, 16, 0x7FFFFFFF, 0x7FFFFFFF)
    first[30:32] = struct.pack("<H", extra_length + len(extra))
    first[46 + name_length:46 + name_length] = extra
    patched = bytes(first) + b"".join(records[1:])
    defects["zip64-extra-sizes.zip"] = body + patched + classic_end(count, len(patched), start)
    # A second directory and end record appended after the first pair.
    first_end = classic_end(count, len(directory), start)
    later = start + len(directory) + len(first_end)
    defects["second-directory.zip"] = body + directory + first_end + reordered + classic_end(count, len(reordered), later)
    defects["trailing-bytes.zip"] = data + b"PK\x03\x04 and more"
    # Bytes before the first entry, the directory's offset not counting them
    # (libarchive corrects the offsets, as for a self-extractor; we do not).
    defects["prepended-bytes.zip"] = b"MZ" + bytes(62) + data
    return defects


def main():
    archive, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    good = entries_of(archive)
    made = []

    def emit(name, entries, **kwargs):
        write(out / name, entries, **kwargs)
        made.append(name)

    # Names.
    for label, bad in [("dotdot", "../contacts.csv"), ("absolute", "/tmp/contacts.csv"),
                       ("backslash", "..\\contacts.csv"), ("control", "con\x1btacts.csv"),
                       ("nul", "contacts\x00.csv"), ("utf8", "contacts\xe9.csv"), ("case", "CONTACTS.csv"),
                       ("unlisted", "pets.csv")]:
        emit(f"name-{label}.zip", renamed(good, "contacts.csv", bad))
    emit("duplicate-name.zip", good + [("contacts.csv", dict(good)["contacts.csv"])])
    emit("symlink.zip", good[:1] + [("link.csv", b"/etc/passwd")] + good[1:], attributes=0o120777 << 16)
    # Zip structure.
    source = out / "local-name.zip"
    write(source, good)
    patch(source, 30, b"CONTACTS.csv")  # the first entry is contacts.csv: local and central names differ
    made.append(source.name)
    hidden = out / "overlapping.zip"
    write(hidden, good)
    patch(hidden, central_offset(hidden, 1) + 42, struct.pack("<I", 0))
    made.append(hidden.name)
    crc = out / "bad-crc.zip"
    write(crc, good)
    patch(crc, central_offset(crc) + 16, struct.pack("<I", 0x12345678))
    patch(crc, 14, struct.pack("<I", 0x12345678))
    made.append(crc.name)
    deflate = out / "bad-deflate.zip"
    write(deflate, good)
    patch(deflate, 30 + len(good[0][0]) + 40, b"\xff\xff\xff\xff")
    made.append(deflate.name)
    zipcrypto = out / "zipcrypto-flag.zip"
    write(zipcrypto, good)
    for index in range(len(good)):
        local = struct.unpack_from("<I", zipcrypto.read_bytes(), central_offset(zipcrypto, index) + 42)[0]
        patch(zipcrypto, local + 6, struct.pack("<H", 1))
        patch(zipcrypto, central_offset(zipcrypto, index) + 8, struct.pack("<H", 1))
    made.append(zipcrypto.name)
    method = out / "unknown-method.zip"
    write(method, good, method=zipfile.ZIP_LZMA)
    made.append(method.name)
    bomb = out / "ratio-bomb.zip"
    write(bomb, with_csv(good, lambda data: data + b"0" * (64 << 20)))
    made.append(bomb.name)
    lying = out / "lying-size.zip"
    write(lying, good)
    patch(lying, central_offset(lying) + 24, struct.pack("<I", 10))
    patch(lying, 22, struct.pack("<I", 10))
    made.append(lying.name)
    emit("many-entries.zip", good + [(f"x{index:05d}.csv", b"") for index in range(10000)])
    classic = out / "classic.zip"
    write(classic, good)
    for name, crafted in zip64_defects(classic.read_bytes()).items():
        (out / name).write_bytes(crafted)
        made.append(name)
    classic.unlink()
    base = out / "good-copy.zip"
    write(base, good)
    data = base.read_bytes()
    base.unlink()
    for cut in sorted({1, 22, 100, len(data) // 3, len(data) // 2, len(data) - 100, len(data) - 22, len(data) - 1}):
        (out / f"truncated-{cut}.zip").write_bytes(data[:cut])
        made.append(f"truncated-{cut}.zip")
    # Manifest lies.
    emit("manifest-hash.zip", with_manifest(good, lambda m: contacts(m).update(sha256="0" * 64)))
    emit("manifest-count.zip",
         with_manifest(good, lambda m: contacts(m).update(record_count=contacts(m)["record_count"] + 1)))
    emit("manifest-version.zip", with_manifest(good, lambda m: m.update(format_version=99)))
    emit("manifest-missing-csv.zip", [(n, d) for n, d in good if n != "contacts.csv"])
    emit("manifest-missing.zip", [(n, d) for n, d in good if n != "manifest.json"])
    emit("manifest-not-json.zip", [(n, b"{not json" if n == "manifest.json" else d) for n, d in good])
    emit("manifest-duplicate-key.zip",
         [(n, d.replace(b'"format_version":', b'"format_version": 1, "format_version":', 1)
           if n == "manifest.json" else d) for n, d in good])
    # CSV defects (checksums kept consistent).
    emit("csv-ragged.zip", with_csv(good, lambda d: d.replace(b"\r\n", b",extra\r\n", 2)))
    emit("csv-unterminated-quote.zip", with_csv(good, lambda d: d[:-2] + b',"open\r\n'))
    emit("csv-bare-cr.zip", with_csv(good, lambda d: d.replace(b"\r\n", b"\r", 3)))
    emit("csv-lf.zip", with_csv(good, lambda d: d.replace(b"\r\n", b"\n")))
    emit("csv-invalid-utf8.zip", with_csv(good, lambda d: _edit_line(d, 1, lambda line: line + b"\xff")))
    emit("csv-bom.zip", with_csv(good, lambda d: b"\xef\xbb\xbf" + d))
    emit("csv-bad-header.zip", with_csv(good, lambda d: b"id" + d[len(b"hs_object_id"):]))
    emit("csv-duplicate-header.zip",
         with_csv(good, lambda d: _edit_line(d, 0, lambda line: line.rsplit(b",", 1)[0] + b",hs_object_id")))
    emit("csv-bad-id.zip", with_csv(good, lambda d: _edit_line(d, 1, lambda line: b"x" + line)))
    emit("csv-id-order.zip", with_csv(good, lambda d: _swap_rows(d)))
    print("\n".join(made))


def _edit_line(data, index, edit):
    lines = data.split(b"\r\n")
    lines[index] = edit(lines[index])
    return b"\r\n".join(lines)


def _swap_rows(data):
    lines = data.split(b"\r\n")
    lines[1], lines[2] = lines[2], lines[1]
    return b"\r\n".join(lines)


if __name__ == "__main__":
    main()
