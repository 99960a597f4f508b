"""Traditional characters as simplified ones, for names and labels copied by mirror sites (繁體 → 简体).

zhconv is imported on first use: importing it (it loads its dictionary through ``pkg_resources``) takes
longer than checking a report, and most runs never need it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache


@cache
def _convert() -> Callable[[str, str], str]:
    try:
        module = _without_pkg_resources()
    except ImportError:  # pragma: no cover - zhconv is a dependency; without it, text is left as it is
        return lambda text, _locale: text
    return module.convert


def _without_pkg_resources():
    """zhconv, imported without ``pkg_resources``: zhconv uses it only to find its table, and importing it takes
    some 0.13 s — more than a batch of a thousand reports spends on names — in every process (each worker of
    ``--jobs``).  Without it, zhconv opens the table beside its own file; where that fails (an installation
    inside a zip file), zhconv is loaded again the usual way."""
    import importlib
    import sys
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # "from pkg_resources import …" fails
    try:
        from zhconv import zhconv
    finally:
        if blocked and sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]
    try:
        zhconv.loaddict()
    except OSError:  # pragma: no cover - zhconv in a zip file: find the table as zhconv itself does
        zhconv = importlib.reload(zhconv)
        zhconv.loaddict()
    return zhconv


def simplified(text: str) -> str:
    """``text`` with traditional characters written as simplified ones."""
    return _convert()(text, "zh-cn")
