"""Which specs are installed, and which one governs an instance."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govspec.spec.compiler import CompiledSpec
from govspec.errors import GovspecError, did_you_mean
from govspec.spec.loader import load_spec_file


def specs_dir() -> Path:
    """The shipped specs: inside the installed package, or ``specs/`` of a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "specs"
    return packaged if packaged.is_dir() else package.parent / "specs"


@lru_cache(maxsize=None)
def shipped() -> tuple[CompiledSpec, ...]:
    """Every shipped spec, compiled (once per process)."""
    specs = [load_spec_file(path) for path in sorted(specs_dir().glob("*.yaml"))]
    return tuple(sorted(specs, key=lambda s: (s.id, s.version)))


@lru_cache(maxsize=None)
def index() -> dict:
    """``(id, version) -> path`` of every shipped spec file, read but not compiled."""
    from govspec.spec.loader import read_spec_document

    found = {}
    for path in sorted(specs_dir().glob("*.yaml")):
        data = read_spec_document(path).data
        if isinstance(data, dict):
            found[(str(data.get("id")), str(data.get("version")))] = path
    return found


@lru_cache(maxsize=None)
def load_path(path: str) -> CompiledSpec:
    return load_spec_file(path)


class SpecNotFound(GovspecError):
    """No spec for the id, version or year asked for."""


def family(spec_id: str, specs: tuple[CompiledSpec, ...] | None = None) -> list[CompiledSpec]:
    """Every version of ``spec_id``, oldest first; raises :class:`SpecNotFound` if there is none."""
    specs = shipped() if specs is None else specs
    versions = [s for s in specs if s.id == spec_id]
    if not versions:
        ids = sorted({s.id for s in specs})
        raise SpecNotFound(f"unknown spec {spec_id!r}{did_you_mean(spec_id, ids)} (known: {', '.join(ids)})",
                           key="spec")
    return versions


def newest(spec_id: str) -> CompiledSpec:
    return family(spec_id)[-1]


@dataclass(frozen=True)
class Selection:
    spec: CompiledSpec
    how: str  # "version" (named) or "year" (picked by report year)


def find(spec_id: str, version: str | None = None, year: int | None = None,
         specs: tuple[CompiledSpec, ...] | None = None) -> Selection:
    """The spec ``spec_id`` at ``version``, or the version governing ``year``."""
    versions = family(spec_id, specs)
    if version is not None:
        for spec in versions:
            if spec.version == str(version):
                return Selection(spec, "version")
        names = [s.version for s in versions]
        raise SpecNotFound(f"spec {spec_id!r} has no version {version!r}{did_you_mean(str(version), names)}"
                           f" (versions: {', '.join(names)})", key="version")
    if year is None:
        raise SpecNotFound("cannot tell the template version: give 'version', or 'report.year'", key="version")
    governing = [s for s in versions if s.spec.governs(year)]
    if len(governing) != 1:
        what = "no version" if not governing else "more than one version"
        raise SpecNotFound(f"{what} of spec {spec_id!r} governs report year {year}", key="report.year")
    return Selection(governing[0], "year")
