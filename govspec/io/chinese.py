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
        from zhconv import convert
    except ImportError:  # pragma: no cover - zhconv is a dependency; without it, text is left as it is
        return lambda text, _locale: text
    return convert


def simplified(text: str) -> str:
    """``text`` with traditional characters written as simplified ones."""
    return _convert()(text, "zh-cn")
