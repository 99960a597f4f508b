"""The module paths of govspec 0.1, kept working after the move into sub-packages (CHANGELOG.md).

``import govspec.batch`` (or ``from govspec.rulelang import parse``) still works, with a
DeprecationWarning naming the new home; the old name is an alias that reads the new module.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # a type only: importing importlib.abc costs every start (below)
    from importlib.abc import Loader

MOVED = {
    "govspec.accept": "govspec.check.accept",
    "govspec.across": "govspec.check.across",
    "govspec.audit": "govspec.present.audit",
    "govspec.batch": "govspec.check.batch",
    "govspec.compiler": "govspec.spec.compiler",
    "govspec.diff": "govspec.tools.diff",
    "govspec.docgen": "govspec.tools.docgen",
    "govspec.evaluate": "govspec.rules.evaluate",
    "govspec.extension": "govspec.spec.extension",
    "govspec.extract_cli": "govspec.cli.extract",
    "govspec.fastpath": "govspec.check.fastpath",
    "govspec.instance": "govspec.io.instance",
    "govspec.layout": "govspec.extract.layouts",
    "govspec.lint": "govspec.tools.lint",
    "govspec.loader": "govspec.spec.loader",
    "govspec.migrate": "govspec.tools.migration_files",
    "govspec.migration": "govspec.tools.migration",
    "govspec.readers": "govspec.io.readers",
    "govspec.registry": "govspec.spec.resolver",
    "govspec.render": "govspec.present.render",
    "govspec.reporters": "govspec.present.reporters",
    "govspec.rulelang": "govspec.rules",
    "govspec.schema": "govspec.io.instance_schema",
    "govspec.solver": "govspec.rules.solver",
    "govspec.specview": "govspec.present.specview",
    "govspec.validator": "govspec.check.report",
    "govspec.values": "govspec.io.values",
    "govspec.writers": "govspec.io.writers",
    "govspec.yamlsource": "govspec.spec.yamlsource",
}


def warn(old: str, stacklevel: int = 3) -> None:
    warnings.warn(f"{old} moved to {MOVED[old]} in govspec 0.2; import it from there (see CHANGELOG.md)",
                  DeprecationWarning, stacklevel=stacklevel)


def alias(old: str) -> types.ModuleType:
    """A module named ``old`` whose attributes are those of its new home."""
    target = importlib.import_module(MOVED[old])
    module = types.ModuleType(old, f"Moved to {MOVED[old]} (deprecated alias).")

    def __getattr__(name: str) -> Any:
        return getattr(target, name)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    names = getattr(target, "__all__", [n for n in vars(target) if not n.startswith("_")])
    setattr(module, "__all__", list(names))  # noqa: B010  (ModuleType declares no __all__)
    return module


# importlib's protocols, not its abstract base classes: ``importlib.abc`` imports ``importlib.resources`` and what it
# needs (some 17 ms of every start of govspec on Python 3.11, 30 ms on 3.13, measured in a new virtual environment).

class _Loader:
    """The loader of a moved module (``create_module``, ``exec_module``): the alias of its new home."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        warn(spec.name, stacklevel=6)
        return alias(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        return None


class _Finder:
    """A finder on ``sys.meta_path`` (``find_spec``) of the module paths of govspec 0.1."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, cast("Loader", _Loader()))


def install() -> None:
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
