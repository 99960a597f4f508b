"""govspec: machine-checkable specs for 政府信息公开工作年度报告.

The public API (docs/api.md)::

    import govspec
    spec = govspec.load_spec("gov-info-disclosure", version="2021")
    report = govspec.validate("report.json")          # or a dict
    for finding in report.findings: ...
"""

from __future__ import annotations

import importlib
from typing import Any

from govspec import _moved
from govspec.check.report import Report, is_valid, iter_findings, validate
from govspec.errors import GovspecError, InstanceError, SpecError
from govspec.findings import CODES, Finding, message
from govspec.spec.compiler import CompiledSpec
from govspec.spec.loader import load_spec_file
from govspec.spec.resolver import SpecNotFound

__version__ = "0.2.0"

_moved.install()  # the module paths of 0.1 (govspec.batch, govspec.rulelang, …) stay importable, deprecated


def __getattr__(name: str) -> Any:
    """``govspec.rulelang`` and the other 0.1 module names, reached as attributes (deprecated)."""
    old = f"govspec.{name}"
    if old in _moved.MOVED:
        return importlib.import_module(old)
    raise AttributeError(f"module 'govspec' has no attribute {name!r}")


def list_specs() -> tuple[CompiledSpec, ...]:
    """Every shipped spec, compiled, ordered by id and version."""
    from govspec.spec import loader
    return loader.shipped()


def load_spec(spec_id: str, version: str | None = None, *, year: int | None = None) -> CompiledSpec:
    """The shipped spec ``spec_id`` at ``version``, or the version governing report ``year``, or else the
    newest version (as ``govspec spec show ID``).  Raises :class:`SpecNotFound`; a ``year`` that is not an
    integer, :class:`TypeError`."""
    from govspec.spec import loader
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise TypeError(f"year must be an integer such as 2024, not {year!r}")
    return loader.load(spec_id, version, year, newest=True).spec


def as_json(report: Report, lang: str = "zh") -> dict:
    """``report.to_dict(lang)``: the report as plain JSON data, in the shape of one entry of
    ``govspec validate --format json``'s ``reports``."""
    return report.to_dict(lang)


__all__ = [
    "CODES", "CompiledSpec", "Finding", "GovspecError", "InstanceError", "Report", "SpecError", "SpecNotFound",
    "as_json", "is_valid", "iter_findings", "list_specs", "load_spec", "load_spec_file", "message", "validate",
]
