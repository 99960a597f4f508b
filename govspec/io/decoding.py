"""Bytes to text: the encodings reports come in (UTF-8 with or without BOM, UTF-16 with BOM, GB18030),
refusing what no supported encoding reads as plausible Chinese text."""

from __future__ import annotations

import io
import unicodedata

from govspec.errors import InstanceError
from govspec.io.instance import read_bytes


def _plausible_chinese(text: str) -> bool:
    """Text decoded as GB18030 should be ASCII, common CJK, or CJK/full-width punctuation — and its
    characters mostly the common ones (GB2312): another encoding read as GB18030 (Shift-JIS, say) gives
    rare characters almost only, while real reports use rare ones a few times in a hundred."""
    odd = cjk = rare = 0
    for char in text:
        code = ord(char)
        if 0x4E00 <= code <= 0x9FFF:
            cjk += 1
            rare += not _common(char)
            continue
        if code < 0x80 or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF \
                or 0x2000 <= code <= 0x206F or char in "·×÷":
            continue
        if unicodedata.category(char) in ("Co", "Cn", "Cc", "Cs"):
            return False
        odd += 1
    return odd <= max(2, len(text) // 200) and rare <= max(3, cjk * 3 // 10)


def _common(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """Text and the encoding it was read in: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw[3:], "utf-8", source), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(raw, "utf-16", source), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is not None and _plausible_chinese(text):
            return text, "gb18030"
        line = raw[:utf8_error.start].count(b"\n") + 1
        raise InstanceError("cannot tell the encoding: not UTF-8, and as GB18030 it would not be Chinese text "
                            "(save it as UTF-8)",
                            zh="无法判断编码：不是 UTF-8，按 GB18030 读也不是中文文本（请另存为 UTF-8）",
                            source=source, line=line) from None


def _strict(raw: bytes, encoding: str, source: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InstanceError(f"not valid {encoding} text (byte {exc.start})",
                            zh=f"不是有效的 {encoding} 文本（第 {exc.start} 字节）", source=source) from None


SAMPLE = 1 << 16


def open_text(path: str):
    """A text stream over a CSV file, in the encoding :func:`decode` finds from its first 64 KB."""
    try:
        handle = open(path, "rb")
    except OSError:
        read_bytes(path)  # raises the right InstanceError
        raise
    try:
        encoding = _encoding(handle, path)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


def text_encoding(path: str) -> str:
    """The encoding :func:`open_text` reads ``path`` in."""
    with open(path, "rb") as handle:
        return _encoding(handle, path)


def _encoding(handle, path: str) -> str:
    sample = handle.read(SAMPLE)
    if len(sample) == SAMPLE:  # do not cut a multi-byte character in two
        while True:
            try:
                sample.decode("utf-8")
                break
            except UnicodeDecodeError as exc:
                if exc.start < len(sample) - 4 or exc.reason != "unexpected end of data":
                    break
                sample = sample[:exc.start]
                break
    return decode(sample, path)[1]
