"""Traditional characters as simplified ones, for names and labels copied by mirror sites (繁體 → 简体).

zhconv is imported on first use: importing it (it loads its dictionary through ``pkg_resources``) takes
longer than checking a report, and most runs never need it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache


@cache
def _simplifier() -> Callable[[str], str]:
    """zhconv's conversion to simplified characters (``zh-cn``), with a short way for most names and labels.

    zhconv replaces, at each position, the longest word of its table that starts there (a character, or a phrase),
    checking one character more while what it has read starts a word of the table.  Where no two characters of a
    text start a word of the table, the longest word at each position is its character alone: the text is converted
    character by character, as ``str.translate`` does it with the table's words of one character — some 2–3 µs
    against zhconv's 4–6 µs for a body's name (the rules across reports normalise every report's), the same text
    (``tests/test_properties.py`` compares them).  Any other text goes to zhconv."""
    try:
        module = _without_pkg_resources()
    except ImportError:  # pragma: no cover - zhconv is a dependency; without it, text is left as it is
        return lambda text: text
    convert = module.convert
    try:
        table = module.getdict("zh-cn")  # what convert(text, "zh-cn") reads
    except AttributeError:  # pragma: no cover - a zhconv without its table's function: no short way
        return lambda text: convert(text, "zh-cn")
    pairs = frozenset(word[:2] for word in table if len(word) > 1)  # two characters that start a longer word
    starts = re.compile("[" + "".join(sorted({re.escape(pair[0]) for pair in pairs})) + "]")
    singles = {ord(word): to for word, to in table.items() if len(word) == 1 and to != word}
    changed = frozenset(map(chr, singles))  # the characters written otherwise (most names have none)

    def simplified(text: str) -> str:
        for found in starts.finditer(text):
            if text[found.start():found.start() + 2] in pairs:  # a longer word may start here: zhconv decides
                return convert(text, "zh-cn")
        return text if changed.isdisjoint(text) else text.translate(singles)
    return simplified


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
    return _simplifier()(text)
