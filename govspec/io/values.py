"""Reading a cell's value from text, as spreadsheets and published reports write it.

JSON instances are strict (a count is a JSON integer).  Text from CSV files — and later from
extracted reports — is read leniently but never guessed: full-width digits, surrounding spaces,
thousands separators (``1,285``), signs (``+3``, ``-8``, ``减4``), blanks, the spec's placeholder
marks, and units in money cells (``180.16万元``; ``251000元`` converted exactly to 25.1 万元).
Text that is not understood is returned unchanged, and the validator reports it with its place — text with a
character that only looks like a digit too (a footnote mark ``12³``, ``①``, ``₂``, ``½``), which NFKC would
make one: ``12³`` is not 123.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import re
import unicodedata
from decimal import Decimal

from govspec.patterns import LazyPattern
from govspec.records import record

ZERO = "zero"
MAX_DIGITS = 1000  # digits of a value govspec reads; a longer one is not a value (docs/limits.md)
MAX_VALUE = 10 ** MAX_DIGITS
# Decimal arithmetic exact for every value govspec reads: sums and products of values of up to MAX_DIGITS
# digits (and a rule's factors) never round; an inexact result is an error, never a silently rounded number.
# Python's default context keeps 28 digits (rules.linear.exact() uses this one for evaluating rules).
EXACT = decimal.Context(prec=4 * MAX_DIGITS + 100, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
                        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])

# The value of one unit in another: how many of the column's unit one of these is.
MONEY_UNITS = {"元": Decimal("1"), "千元": Decimal("1000"), "万元": Decimal("10000"), "亿元": Decimal("100000000")}
COUNT_SUFFIXES = ("件", "个", "项", "条", "次", "人次")
SIGN_WORDS = {"增": "+", "减": "-", "增加": "+", "减少": "-"}

_INTEGER = LazyPattern(r"^[+-]?\d+$")
_GROUPED = LazyPattern(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL = LazyPattern(r"^[+-]?\d+(\.\d+)?$")
_SPLIT_DIGITS = LazyPattern(r"\d[\s]+[\d.,]|[\d.,][\s]+\d")


class _NotSeen:
    """A cell the published source does not show (cut off, or not placeable with certainty)."""

    def __repr__(self) -> str:
        return "NOT_SEEN"


NOT_SEEN = _NotSeen()


@record
class CellText:
    """A cell's value as text, with where it was read (``file:line:column``)."""

    text: str
    position: str | None = None


_DATE_FORMS = (LazyPattern(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"),         # 2025-01-20, 2025-1-20, 2025/1/20, 2025.1.20
               LazyPattern(r"(\d{4})\s*(年)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"))  # 2025年1月20日


def read_date(value) -> datetime.date | None:
    """A date as people and Excel write it — ``2025-01-20``, ``2025-1-20``, ``2025/1/20``, ``2025.1.20``,
    ``2025年1月20日`` (full-width digits too) — or None when ``value`` is not a real date in one of these forms."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    return _date_of(value)


@functools.lru_cache(maxsize=4096)  # a batch has few distinct dates, and each is read several times
def _date_of(value: str) -> datetime.date | None:
    if digit_look_alikes(value):
        return None  # "²⁰²⁵-⁰¹-²⁰": not digits, whatever NFKC makes of them
    text = unicodedata.normalize("NFKC", value).strip()
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            try:
                return datetime.date(int(match[1]), int(match[3]), int(match[4]))
            except ValueError:
                return None
    return None


def value_text(value) -> str:
    """A cell value as text: exact decimals, blank for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@record
class Reading:
    value: object            # int | Decimal | None (blank) | the original text (not understood)
    understood: bool
    note: dict | None = None  # a conversion worth telling, e.g. a unit converted


def normalise(text: str) -> str:
    """NFKC (full-width digits, signs and commas to ASCII) without surrounding or inner spaces."""
    text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    return re.sub(r"\s+", "", text)


def digit_look_alikes(text: str) -> bool:
    """Whether ``text`` holds a character that only looks like a digit (:func:`_digit_look_alike`)."""
    return not text.isascii() and any(map(_digit_look_alike, text))


@functools.lru_cache(maxsize=1024)
def _digit_look_alike(character: str) -> bool:
    """A character NFKC makes (or makes into something holding) a digit, that is not a digit itself: superscripts and
    subscripts, circled and parenthesised numbers, fractions, squared units (``㎡``).  Full-width digits and the
    decimal digits of any script are digits."""
    if character.isascii() or character.isdecimal():
        return False
    return any(c in "0123456789" for c in unicodedata.normalize("NFKC", character))


def plain_digits(text: str, placeholders: dict | None) -> bool:
    """Whether a cell's text is ASCII digits alone, and no placeholder: what :func:`read_text` reads as the number
    it writes (a CSV file's cells, mostly), which its readers may take at once."""
    return ascii_digits(text) and not (placeholders and text in placeholders)


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is ASCII digits alone (one at least), told from its bytes: ``str.isdigit`` asks each
    character's Unicode properties, some 2.8 µs for the 199 counts of a CSV-wide row joined, against 0.3 µs."""
    return text.isascii() and text.encode().isdigit()


def read_text(text: str, cell_type: str, unit: str | None = None, placeholders: dict | None = None) -> Reading:
    """The value of a cell written as ``text``, for a cell of ``cell_type`` (and ``unit``)."""
    if plain_digits(text, placeholders) and len(text) <= MAX_DIGITS + 1:  # "2547": what the steps below make of it
        return Reading(Decimal(text) if cell_type == "money" else int(text), True)
    raw = text
    if _SPLIT_DIGITS.search(unicodedata.normalize("NFKC", text)):
        return Reading(raw, False)  # "3 001", "1\n2": digits apart are never joined into one number
    text = normalise(text)
    if text == "":
        return Reading(None, True)
    marks = placeholders or {}
    if raw.strip() in marks or text in marks:
        meaning = marks.get(raw.strip(), marks.get(text))
        return Reading(0 if meaning == ZERO else None, True,
                       {"kind": "placeholder", "text": raw.strip(), "meaning": meaning})
    if digit_look_alikes(raw):
        return Reading(raw, False)  # "12³" (12 and a footnote mark), "①": never read as 123, 1
    sign = ""
    for word, symbol in SIGN_WORDS.items():
        if text.startswith(word) and len(text) > len(word):
            sign, text = symbol, text[len(word):]
            break
    if cell_type == "money":
        return _money(raw, sign, text, unit)
    for suffix in COUNT_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    if _GROUPED.match(text) and "." not in text:
        text = text.replace(",", "")
    if len(text) > MAX_DIGITS + 1:
        return Reading(raw, False)  # more digits than govspec reads: not a value
    if _INTEGER.match(text):
        value = int(sign + text) if not (sign and text[0] in "+-") else None
        if value is not None:
            return Reading(value, True)
    return Reading(raw, False)


def _money(raw: str, sign: str, text: str, unit: str | None) -> Reading:
    written_unit = None
    for name in sorted(MONEY_UNITS, key=len, reverse=True):
        if text.endswith(name) and len(text) > len(name):
            written_unit, text = name, text[: -len(name)]
            break
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if len(text) > MAX_DIGITS + 2 or not _DECIMAL.match(text) or (sign and text[0] in "+-"):
        return Reading(raw, False)
    value = Decimal(sign + text)
    if written_unit is None or written_unit == unit:
        return Reading(value, True)
    if unit not in MONEY_UNITS:
        return Reading(raw, False)
    with decimal.localcontext(decimal.Context(prec=len(value.as_tuple().digits) + 20)):
        converted = value * MONEY_UNITS[written_unit] / MONEY_UNITS[unit]  # exact: units are powers of ten
    return Reading(converted, True,
                   {"kind": "unit", "text": raw.strip(), "from": written_unit, "to": unit,
                    "value": format(converted, "f")})


# --- text in spreadsheets ------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = LazyPattern(r"^[+-]?\d+(\.\d+)?$")


_NOT_IN_XML = LazyPattern("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text for a Word or Excel file (XML inside): the control characters XML cannot hold, from a report's
    fields, shown escaped (``\\x1f``) — the file stays one that Word, Excel and WPS open."""
    return _NOT_IN_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def spreadsheet_safe(text):
    """Text as written to a CSV or Excel cell, never a live formula: a value that a spreadsheet would run
    (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``, a leading tab) gets a leading ``'``, as OWASP recommends;
    numbers such as ``-8`` stay numbers.  :func:`spreadsheet_text` undoes it when govspec reads its own output."""
    if isinstance(text, str) and text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def spreadsheet_text(text: str) -> str:
    """A cell as govspec wrote it with :func:`spreadsheet_safe`: the text without the guard."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


class SafeCsv:
    """A CSV writer (``"\\n"`` line ends) whose text fields are :func:`spreadsheet_safe`, and whose rows
    with a carriage return inside a field are written fully quoted (the csv module quotes only the line
    terminator's characters, and a bare ``\\r`` would split the row in Excel and other readers)."""

    def __init__(self, out) -> None:
        import csv
        self.writer = csv.writer(out, lineterminator="\n")
        self.quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row) -> None:
        fields = [spreadsheet_safe(field) for field in row]
        writer = self.quoted if any(isinstance(f, str) and "\r" in f for f in fields) else self.writer
        writer.writerow(fields)

