"""Batches sent as a .zip file: every report file in it, each read on its own, its source named
``batch.zip!folder/report.pdf``.  Members are unpacked one at a time into a private temporary folder
under names of govspec's own (a member's path never chooses where it is written), within limits, and
removed as soon as they are read.  Nested archives are not opened."""

from __future__ import annotations

import copy
import dataclasses
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from govspec.errors import GovspecError, InstanceError
from govspec.io.instance import Instance, Unreadable
from govspec.io.values import CellText

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 50_000_000
MAX_TOTAL_BYTES = 2_000_000_000
MAX_RATIO = 200  # uncompressed / compressed: beyond it, a zip bomb

# What a damaged zip container raises while it is read (a bad CRC, a corrupt deflate stream, an unknown
# compression method, an encrypted member, a header cut short).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)


def read_zip(path: str, suffixes: tuple[str, ...],
             read_path: Callable[[str], Iterator[Instance | Unreadable]]) -> Iterator[Instance | Unreadable]:
    """Every report of the archive's files that end with ``suffixes``, each read with ``read_path``."""
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise InstanceError(f"not a zip file that can be read ({exc})",
                            zh=f"不是可读取的 zip 文件（{exc}）", source=path) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()
                   and PurePosixPath(m.filename).name.lower().endswith(suffixes)]
        if len(members) > MAX_MEMBERS:
            raise InstanceError(f"the zip file holds {len(members)} reports (limit {MAX_MEMBERS})",
                                zh=f"zip 文件含 {len(members)} 份报告（上限 {MAX_MEMBERS}）", source=path)
        if sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
            raise InstanceError(f"the zip file unpacks to more than {MAX_TOTAL_BYTES} bytes: refused",
                                zh=f"zip 文件解压后超过 {MAX_TOTAL_BYTES} 字节：拒绝读取", source=path)
        if not members:
            raise InstanceError("the zip file holds no report file", zh="zip 文件中没有报告文件", source=path)
        with tempfile.TemporaryDirectory(prefix="govspec-zip-") as folder:
            for index, (shown_name, member) in enumerate(sorted(((member_name(m), m) for m in members),
                                                                 key=lambda pair: pair[0])):
                name = f"{path}!{shown_name}"
                if member.file_size > MAX_MEMBER_BYTES or member.file_size > MAX_RATIO * max(member.compress_size, 1) + 1_000_000:
                    yield Unreadable(name, InstanceError(
                        f"unpacks to {member.file_size} bytes (limit {MAX_MEMBER_BYTES}, or {MAX_RATIO} times its "
                        "packed size): refused as a zip bomb",
                        zh=f"解压后有 {member.file_size} 字节（上限 {MAX_MEMBER_BYTES}，或压缩大小的 {MAX_RATIO} 倍）："
                        "疑为压缩炸弹，拒绝读取", source=name))
                    continue
                target = os.path.join(folder, f"{index}{PurePosixPath(member.filename).suffix.lower()}")
                try:
                    with archive.open(member) as source, open(target, "wb") as out:
                        out.write(source.read(MAX_MEMBER_BYTES + 1))
                except ZIP_ERRORS as exc:
                    yield Unreadable(name, InstanceError(f"cannot unpack it ({exc})", zh=f"无法解压（{exc}）", source=name))
                    continue
                for item in read_path(target):
                    yield _renamed(item, target, name)
                os.unlink(target)


def member_name(member: zipfile.ZipInfo) -> str:
    """A member's name as the program that made the archive wrote it.  A name not marked UTF-8 is read by Python as
    CP437 (the zip format's old default); Windows' own zip and most Chinese tools write it in the system's code page,
    GBK, so that 淮安.pdf would be shown as ``╗┤░▓.pdf``.  Such a name is read as UTF-8 when it is that (tools
    that write UTF-8 without the mark), else as GB18030 (GBK) when it is that, else as CP437."""
    name = member.filename
    if member.flag_bits & 0x800 or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:  # not decoded as CP437 (read with another metadata encoding)
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _renamed(item: Instance | Unreadable, temporary: str, name: str) -> Instance | Unreadable:
    """The item as read from ``temporary``, with every source and position naming the archive member."""
    def fix(text):
        return text.replace(temporary, name) if isinstance(text, str) else text
    if isinstance(item, Unreadable):
        error = item.error
        renamed = error
        if isinstance(error, GovspecError):  # the same error (its Chinese message, its kind), naming the member
            renamed = copy.copy(error)
            renamed.source = fix(error.source)
        return Unreadable(fix(item.source), renamed)
    tables = {t: {r: {c: CellText(v.text, fix(v.position)) if isinstance(v, CellText) else v
                      for c, v in cols.items()} if isinstance(cols, dict) else cols
                  for r, cols in rows.items()} if isinstance(rows, dict) else rows
              for t, rows in item.document.get("tables", {}).items()}
    document = dict(item.document, tables=tables)
    if isinstance(document.get("variants"), dict):
        document["variants"] = {k: {c: CellText(v.text, fix(v.position)) if isinstance(v, CellText) else v
                                    for c, v in cols.items()} for k, cols in document["variants"].items()}
    findings = tuple(dataclasses.replace(f, position=fix(f.position), location=fix(f.location))
                     for f in item.findings)
    return Instance(fix(item.source), document, findings)
