"""Which spec a reference means — the one place that answers it.

A reference is a spec file (``…/x.yaml``), ``ID@VERSION``, or ``ID`` with a version, a report year
or "the newest" to choose among the shipped versions.  The resolver sits below the loader: it reads
the shipped files' headers (id, version, report years) but compiles nothing, and answers with the
file to load.  The loader (:mod:`govspec.spec.loader`) compiles it; ``extends`` gets its base
through the same answer.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from govspec.errors import GovspecError, SpecError, did_you_mean
from govspec.patterns import LazyPattern
from govspec.records import record
from govspec.spec import parsed

SPEC_SUFFIXES = (".yaml", ".yml")


class SpecNotFound(GovspecError):
    """No spec for the id, version or year asked for."""


@record
class Entry:
    """A shipped spec file: its id, version and report years (from its header), and where it is."""

    id: str
    version: str
    years: tuple[int, int | None]
    path: Path


@record
class Location:
    path: Path
    how: str  # "option" (a file named), "version" (named), "year" (picked by report year), "newest"


def governs(years: tuple[int, int | None], year: int) -> bool:
    """Does a template whose report years are ``years`` (from, to or None) govern report ``year``?"""
    start, end = years
    return start <= year and (end is None or year <= end)


def specs_dir() -> Path:
    """The shipped specs: inside the installed package, or ``specs/`` of a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "specs"
    return packaged if packaged.is_dir() else package.parent / "specs"


def is_file_reference(ref: str) -> bool:
    return ref.endswith(SPEC_SUFFIXES)


_TOP_LEVEL_KEY = LazyPattern(r"^([A-Za-z_][A-Za-z0-9_]*):", re.M)


def _header(path: Path) -> object:
    """The header of a shipped spec file: from its parsed copy when current (:mod:`govspec.spec.parsed`), else the
    top-level keys before its tables and rules, read as YAML without the rest (a run that needs one spec does not
    parse every file); the whole file when the header does not give its id and version."""
    kept = parsed.header(path)  # the file's parsed copy, when current (no YAML read)
    if isinstance(kept, dict) and "id" in kept and "version" in kept:
        return kept
    from govspec.spec.yamlsource import load_yaml, read_spec_document  # PyYAML: only for a file without a copy
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return read_spec_document(path).data  # says what is wrong, as for any spec file
    end = next((m.start() for m in _TOP_LEVEL_KEY.finditer(text) if m.group(1) not in parsed.HEADER_KEYS), len(text))
    try:
        data = load_yaml(text[:end], str(path)).data
    except SpecError:
        data = None
    if isinstance(data, dict) and "id" in data and "version" in data:
        return data
    return read_spec_document(path).data


@cache
def catalogue() -> tuple[Entry, ...]:
    """Every shipped spec file, ordered by id and version; their headers read, nothing compiled."""
    found = []
    for path in sorted(specs_dir().glob("*.yaml")):
        data = _header(path)
        if not isinstance(data, dict):
            continue
        years = data.get("report_years")
        years = years if isinstance(years, dict) else {}
        start = years["from"] if isinstance(years.get("from"), int) else 0
        end = years["to"] if isinstance(years.get("to"), int) else None
        found.append(Entry(str(data.get("id")), str(data.get("version")), (start, end), path))
    return tuple(sorted(found, key=lambda e: (e.id, e.version)))


def family(spec_id: str) -> list[Entry]:
    """Every shipped version of ``spec_id``, oldest first; raises :class:`SpecNotFound` if there is none."""
    versions = [e for e in catalogue() if e.id == spec_id]
    if not versions:
        ids = sorted({e.id for e in catalogue()})
        raise SpecNotFound(f"unknown spec {spec_id!r}{did_you_mean(spec_id, ids)} (known: {', '.join(ids)})",
                           zh=f"没有规范 {spec_id!r}{did_you_mean(spec_id, ids, 'zh')}（已有：{'、'.join(ids)}）",
                           key="spec")
    return versions


def _version_hint(version: str, versions, names: list[str], lang: str = "en") -> str:
    """A version that is a report year gets the template governing that year (report year 2020 is governed
    by the 2019 template, not by the nearest name, 2021); anything else, the nearest name."""
    if version.isdecimal() and len(version) == 4:  # isdigit() holds for digits int() refuses ('፩')
        governing = [e.version for e in versions if governs(e.years, int(version))]
        if len(governing) == 1:
            if lang == "zh":
                return (f"；{version} 年度的报告适用 {governing[0]!r} 版模板（版本指模板，不是报告年度；"
                        "不给版本时，govspec 按 report.year 选择）")
            return (f"; report year {version} is governed by template version {governing[0]!r} (a version names "
                    "the template, not the report year; without one, govspec chooses by report.year)")
    return did_you_mean(version, names, lang)


def locate(ref: str, version: str | None = None, year: int | None = None, *, newest: bool = False,
           relative_to: Path | None = None) -> Location:
    """The spec file ``ref`` means.

    ``ref`` is a spec file (relative to ``relative_to`` when given), ``ID@VERSION`` or ``ID``; for an
    ``ID``, ``version`` names the version, else ``year`` picks the version governing that report year,
    else ``newest`` the newest one.  Raises :class:`SpecNotFound` with what is known.
    """
    if is_file_reference(ref):
        return Location(relative_to / ref if relative_to is not None else Path(ref), "option")
    spec_id, _, at_version = ref.partition("@")
    version = str(version) if version is not None else (at_version or None)
    versions = family(spec_id)
    if version is not None:
        for entry in versions:
            if entry.version == version:
                return Location(entry.path, "version")
        names = [e.version for e in versions]
        raise SpecNotFound(f"spec {spec_id!r} has no version {version!r}{_version_hint(version, versions, names)}"
                           f" (versions: {', '.join(names)})",
                           zh=f"规范 {spec_id!r} 没有版本 {version!r}{_version_hint(version, versions, names, 'zh')}"
                           f"（已有版本：{'、'.join(names)}）", key="version")
    if year is not None:
        governing = [e for e in versions if governs(e.years, year)]
        if len(governing) != 1:
            what = "no version" if not governing else "more than one version"
            raise SpecNotFound(f"{what} of spec {spec_id!r} governs report year {year}",
                               zh=f"规范 {spec_id!r} {'没有' if not governing else '有不止一个'}版本适用于 {year} 年度的报告",
                               key="report.year")
        return Location(governing[0].path, "year")
    if newest:
        return Location(versions[-1].path, "newest")
    raise SpecNotFound("cannot tell the template version: give 'version', or 'report.year'",
                       zh="无法确定模板版本：请给出 'version' 或 'report.year'", key="version")
