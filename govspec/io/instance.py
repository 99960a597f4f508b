"""Reading instance documents (JSON) and the values in their cells.

An instance is ``{"spec", "version", "report": {...}, "tables": {table: {row: {column: value}}}}``
(docs/instance-format.md).  :func:`read_json` raises :class:`InstanceError` for a file that
cannot be read at all; everything about the cells is left to the validator as findings.
"""

from __future__ import annotations

import json
import math
import os
from decimal import Decimal
from pathlib import Path

from govspec.errors import GovspecError, InstanceError
from govspec.io.values import MAX_DIGITS, MAX_VALUE
from govspec.patterns import LazyPattern
from govspec.records import record

MAX_INSTANCE_BYTES = 50_000_000
TOP_LEVEL_KEYS = ("spec", "version", "report", "tables", "unseen", "variants")
REPORT_KEYS = ("agency", "agency_code", "year", "published", "dated", "kind", "source_url", "notes")
MAX_UNKNOWN_KEYS = 1_000  # keys no spec or report field knows, each a finding with a did-you-mean (docs/limits.md)
_DECIMAL = LazyPattern(r"^[+-]?\d+(\.\d+)?$")


_ESCAPED_SURROGATE = LazyPattern(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _DuplicateKey(ValueError):
    pass


def _object(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


# The messages of Python's JSON decoder, in Chinese (the position is given beside them).
_JSON_ERRORS_ZH = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "此处应为用双引号括起的键名",
    "Expecting ',' delimiter": "此处缺少逗号",
    "Expecting ':' delimiter": "此处缺少冒号",
    "Extra data": "JSON 结束后还有多余内容",
    "Unterminated string starting at": "字符串没有结束",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的转义符",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "数组末尾多了逗号",
}


def json_error_zh(message: str) -> str:
    """Python's JSON decoder message in Chinese, or itself when it is not one of the known ones."""
    return _JSON_ERRORS_ZH.get(message, message)


def parse_json(text: str, source: str):
    """Parse JSON text exactly: decimals as :class:`Decimal`, no NaN/Infinity, no duplicate keys."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant, object_pairs_hook=_object)
        if _ESCAPED_SURROGATE.search(text):
            json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")  # raises on a lone surrogate
        return data
    except UnicodeEncodeError:
        raise InstanceError("invalid JSON: a string holds a lone surrogate (\\ud800…), which is not text",
                            zh="JSON 格式错误：字符串中有孤立的代理码（\\ud800…），不是文本",
                            source=source) from None
    except json.JSONDecodeError as exc:
        raise InstanceError(f"invalid JSON: {exc.msg}", zh=f"JSON 格式错误：{json_error_zh(exc.msg)}",
                            source=source, line=exc.lineno, column=exc.colno) from None
    except _DuplicateKey as exc:
        raise InstanceError(f"invalid JSON: duplicate key {exc.args[0]!r}",
                            zh=f"JSON 格式错误：键 {exc.args[0]!r} 重复出现", source=source) from None
    except RecursionError:
        raise InstanceError("invalid JSON: nested too deeply", zh="JSON 格式错误：嵌套过深", source=source) from None
    except ValueError as exc:  # NaN/Infinity, integers with too many digits
        digits = _TOO_MANY_DIGITS.search(str(exc))
        if digits:  # Python's own words name a function of its own: said for a reader of reports instead
            raise InstanceError(f"invalid JSON: a number of {digits[2]} digits (at most {digits[1]} are read)",
                                zh=f"JSON 格式错误：数字有 {digits[2]} 位（最多读取 {digits[1]} 位）",
                                source=source) from None
        raise InstanceError(f"invalid JSON: {exc}", zh=f"JSON 格式错误（{exc}）", source=source) from None


_TOO_MANY_DIGITS = LazyPattern(r"limit \((\d+) digits\).*has (\d+) digits")


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an input file (at most MAX_INSTANCE_BYTES), or an InstanceError saying why not."""
    return read_bounded(path, MAX_INSTANCE_BYTES, InstanceError, "file")


def shown(path: str | Path) -> str:
    """A path as govspec writes it: as it is, or — when the file system gave a name whose bytes are not UTF-8 (a
    name in GBK, unpacked from an archive made on Chinese Windows) — with those bytes as ``\\xNN``: every output
    (UTF-8, a terminal, the ledger of a batch) can hold it, and the reader can still tell the file."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # Python holds such bytes as lone surrogates (os.fsdecode); each name on the path
        return "/".join(_shown_name(name) for name in os.fsencode(text).split(b"/"))  # shown on its own
    return text


def _shown_name(name: bytes) -> str:
    """One name of a path: as it is when it is UTF-8, else every byte past ASCII as ``\\xNN`` (as ``ls -b`` shows it:
    a stray byte that happens to make a character with the next one is not shown as that character)."""
    try:
        return name.decode("utf-8")
    except UnicodeDecodeError:
        return name.decode("ascii", "backslashreplace")


def check_name(path: str | Path, error: type[GovspecError] = GovspecError) -> None:
    """Refuse a path that is not UTF-8 (:func:`shown`): govspec names every report by its file, in outputs that
    could not hold the name.  Said with the name as :func:`shown` writes it, and how to rename the file."""
    source = shown(path)
    if source != str(path):
        raise error("the file's name (or a folder's on its path) is not UTF-8 — bytes of another encoding, such as "
                    "GBK from an archive made on Chinese Windows — so it cannot be written in the results: rename it "
                    "(e.g. convmv -f gbk -t utf-8 --notest FILE) and check it again",
                    zh="文件名（或其路径上的文件夹名）不是 UTF-8 编码（如在中文 Windows 上打包的压缩文件中的 GBK 文件名），"
                       "无法写入结果：请重命名后再校验（例如 convmv -f gbk -t utf-8 --notest 文件）", source=source)


def read_bounded(path: str | Path, limit: int, error: type[GovspecError], noun: str) -> bytes:
    """At most ``limit`` bytes of a file — never more in memory — or ``error`` saying why not."""
    check_name(path, error)
    source = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{noun} not found", source=source) from None
    except IsADirectoryError:
        raise error("is a directory, not a file", source=source) from None
    except OSError as exc:
        raise error(f"cannot read {noun}: {exc.strerror}", source=source) from None
    if len(raw) > limit:
        raise error(f"{noun} larger than {limit} bytes", source=source)
    return raw


def read_json(path: str | Path) -> dict:
    """Read one instance file (public since govspec 0.1, as ``govspec.instance.read_json``).  Never writes to it."""
    data = parsed_json(path)
    check_document(data, str(path))
    return data


def parsed_json(path: str | Path):
    """A JSON file's data, exactly (:func:`parse_json`), whatever it holds.  Never writes to it."""
    source = str(path)
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InstanceError(f"not UTF-8 text (byte {exc.start} cannot be decoded)",
                            zh=f"不是 UTF-8 文本（第 {exc.start} 字节无法解码）", source=source, line=line) from None
    return parse_json(text, source)


def check_document(data, source: str) -> None:
    """The shape a document must have before a spec can be chosen for it."""
    if not isinstance(data, dict):
        raise InstanceError(f"an instance is a JSON object, not {json_type(data)}",
                            zh=f"报告实例应为 JSON 对象，实为{json_type(data, 'zh')}", source=source)
    if "tables" not in data:
        raise InstanceError("the instance has no 'tables'", zh="报告实例缺少 'tables'", source=source, key="tables")
    if not isinstance(data["tables"], dict):
        raise InstanceError(f"'tables' must be an object, not {json_type(data['tables'])}",
                            zh=f"'tables' 应为对象，实为{json_type(data['tables'], 'zh')}", source=source, key="tables")
    for key in ("spec", "version"):
        if key in data and data[key] is not None and not isinstance(data[key], str):
            raise InstanceError(f"'{key}' must be a string, not {json_type(data[key])}",
                                zh=f"'{key}' 应为字符串，实为{json_type(data[key], 'zh')}", source=source, key=key)
    unseen = data.get("unseen", [])
    if not isinstance(unseen, list) or not all(isinstance(c, str) for c in unseen):
        raise InstanceError("'unseen' must be a list of cell ids", zh="'unseen' 应为单元格编号的列表",
                            source=source, key="unseen")
    variants = data.get("variants", {})
    if not isinstance(variants, dict) or not all(isinstance(v, dict) for v in variants.values()):
        raise InstanceError("'variants' must map a variant (table.group) to its printed values by column",
                            zh="'variants' 应把每个印制变体（表.组）对应到按列的印制数值",
                            source=source, key="variants")
    report = data.get("report", {})
    if not isinstance(report, dict):
        raise InstanceError(f"'report' must be an object, not {json_type(report)}",
                            zh=f"'report' 应为对象，实为{json_type(report, 'zh')}", source=source, key="report")
    year = report.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200):
        raise InstanceError(f"'report.year' must be a year such as 2024, not {json_type(year)} {show(year)}",
                            zh=f"'report.year' 应为年份（如 2024），实为{json_type(year, 'zh')} {show(year)}", source=source,
                            key="report.year")
    if len(data) + len(report) + len(variants) > MAX_UNKNOWN_KEYS:  # seldom: counted only then
        unknown = sum(1 for k in data if k not in TOP_LEVEL_KEYS) + sum(1 for k in report if k not in REPORT_KEYS)
        for name, zh, count in (("keys that govspec does not know (top level and report.*)",
                                 "个 govspec 不认识的键（顶层与 report.*）", unknown),
                                ("printed variants ('variants')", "个印制变体（'variants'）", len(variants))):
            if count > MAX_UNKNOWN_KEYS:
                raise InstanceError(f"the instance holds {count} {name}, more than {MAX_UNKNOWN_KEYS}, each explained "
                                    "on its own: not a report", source=source,
                                    zh=f"报告实例中有 {count} {zh}，超过 {MAX_UNKNOWN_KEYS} 个（每个都要逐一说明）：不是报告")


def show(raw) -> str:
    """A value as a message shows it: text quoted, a number as written (``2024.0``, not ``Decimal('2024.0')``)."""
    text = repr(raw) if isinstance(raw, str) else str(raw).lower() if isinstance(raw, bool) else str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def json_type(value, lang: str = "en") -> str:
    """What kind of JSON value ``value`` is, in ``lang`` (a message in Chinese names it in Chinese)."""
    for kind, en, zh in _JSON_TYPES:
        if isinstance(value, kind) if kind is not None else value is None:
            return zh if lang == "zh" else en
    return f"a Python {type(value).__name__}"  # handed to the API: not a JSON value at all


_JSON_TYPES = ((None, "null", "null"), (bool, "true/false", "true/false（布尔值）"), (int, "an integer", "整数"),
               (Decimal, "a decimal number", "小数"), (str, "a string", "字符串"), (list, "an array", "数组（JSON array）"),
               (dict, "an object", "对象（JSON object）"), (float, "a floating-point number", "浮点数"))


# --- cell values -----------------------------------------------------------------------

EXPECTED = {
    "count": {"zh": f"非负整数（至多 {MAX_DIGITS} 位）", "en": f"a non-negative integer (at most {MAX_DIGITS} digits)"},
    "signed_count": {"zh": f"整数（可为负，至多 {MAX_DIGITS} 位）",
                     "en": f"an integer (may be negative; at most {MAX_DIGITS} digits)"},
    "money": {"zh": f"金额（数字，至多 {MAX_DIGITS} 位）", "en": f"an amount (a number of at most {MAX_DIGITS} digits)"},
}


def cell_value(value, cell_type: str):
    """``(number, None)`` for a usable value, or ``(None, problem)`` with problem ``"type"``."""
    if isinstance(value, bool):
        return None, "type"
    if isinstance(value, int) and not -MAX_VALUE < value < MAX_VALUE:
        return None, "type"  # more digits than govspec reads (docs/limits.md)
    if cell_type in ("count", "signed_count"):
        if isinstance(value, int):
            return value, None
        return None, "type"
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, Decimal):
        if not value.is_finite() or len(value.as_tuple().digits) > MAX_DIGITS or value.copy_abs() >= MAX_VALUE:
            return None, "type"
        return value, None
    if isinstance(value, float):  # from Python callers: the shortest text that round-trips
        return (Decimal(repr(value)), None) if math.isfinite(value) else (None, "type")
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        return Decimal(value.strip()), None
    return None, "type"


@record
class Instance:
    source: str     # the file, or file:line for one report of a JSON Lines or CSV-wide file
    document: dict
    findings: tuple = ()  # what the reader itself found (unknown CSV columns)


@record
class Unreadable:
    """An input that could not be read, kept beside the reports of a batch."""

    source: str
    error: GovspecError

    def __post_init__(self) -> None:
        # Named as every output can write it: a file whose name is not UTF-8 is said unreadable (check_name), and
        # that is all the more reason to name it safely, wherever the input was found unreadable.
        object.__setattr__(self, "source", shown(self.source))
        # The error is a value now: what was raising it is let go — its traceback, and the error it was raised
        # from (a JSON parser's, with its own traceback) — so that a batch does not keep every frame that raised one.
        # Those frames hold reference cycles, which a batch collects seldom (govspec.check.spool.fewer_collections):
        # through the API, a file of 200,000 broken lines peaked at 200 MB, and at 22 MB without them.
        error = self.error
        if isinstance(error, BaseException):
            error.__traceback__ = error.__context__ = error.__cause__ = None
            if isinstance(error, GovspecError) and error.source is not None:
                error.source = shown(error.source)
