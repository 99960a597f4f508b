"""What a page's own style sheets hide, as a browser weighs them.

A page may hide content with a rule of a ``<style>`` element rather than on the element itself:
``<style>.s{display:none}</style> … 1<span class="s">999</span>`` shows 1 (pages that guard their text against
copying do this).  Read as if shown, that was 1999.  The rules read are those that set ``display``,
``visibility`` or ``opacity`` (what is fully transparent is not seen) on simple
selectors — a type, classes, an id, or these together (``span.s``, ``#n``, ``.a.b``) — in ``<style>`` elements
for the screen (not ``media="print"``), outside at-rules (``@media`` and the like apply on conditions).  They are
weighed as a browser weighs them: ``!important`` first, then the more specific selector, then the later rule; a
declaration in the element's own ``style`` outweighs any rule that is not ``!important``.  A rule of any other
selector (``.a .b``, ``td:first-child``, ``[data-x]``) is not read, nor a style sheet linked from another file
(``<link rel="stylesheet">``): govspec reads the page alone.  The ``display`` they give an element is also what tells
a block or a box of its own (:data:`BLOCK_DISPLAYS`, :data:`BOX_DISPLAYS`), whose text is never run into the text
around it.
"""

from __future__ import annotations

import re

from govspec.errors import InstanceError

_SIMPLE = re.compile(r"(?P<tag>[a-z][a-z0-9-]*|\*)?(?P<rest>(?:[.#][^\s.#>+~\[\]:(),*]+)*)")
_ZERO = re.compile(r"\+?(0+\.?0*|\.0+)(px|pt|pc|em|rem|ex|ch|vw|vh|vmin|vmax|cm|mm|q|in|%)?")
# property -> how a value of it hides: "display" (the element takes no place) or "visibility" (it keeps its place
# and shows nothing: hidden, or fully transparent — what it holds cannot be made opaque again).  Not font-size: a
# container of size 0 whose parts set a size of their own is a common layout device, and sizes are not followed.
_HIDES = {"display": lambda v: "display" if v == "none" else None,
          "visibility": lambda v: "visibility" if v in ("hidden", "collapse") else None,
          "opacity": lambda v: "visibility" if _ZERO.fullmatch(v) else None}
# values of ``display`` that lay an element out as a box of its own, on lines of its own (or as a cell beside others):
# what it holds is parted from the text around it, as a browser shows it (``1<span style="display:block">2</span>`` is
# 1 over 2, never 12); and those that lay it out as a box in the line (``inline-block``: its text beside the text around
# it, never run into it — boxes set side by side as the cells of a table).
BLOCK_DISPLAYS = frozenset({"block", "flex", "grid", "list-item", "table", "table-row", "table-cell", "table-caption",
                            "table-row-group", "table-header-group", "table-footer-group", "flow-root", "-webkit-box"})
BOX_DISPLAYS = frozenset({"inline-block", "inline-flex", "inline-grid", "inline-table", "-webkit-inline-box"})
MAX_STYLE = 1 << 20  # characters of style sheets read: a page's own are a few kilobytes
MAX_WEIGHED = 1_000_000  # rules weighed against the elements of one page (a report's page: some thousands)


class StyleSheet:
    """The rules of a page's style sheets that may hide (``display``, ``visibility``, ``opacity``) on
    simple selectors, filed by what an element must have to match (its id, one of its classes, its type), so that
    an element is weighed against the few rules that may match it."""

    def __init__(self, css: str) -> None:
        # (property, selector) -> (important, specificity, order, tag, classes, ids, value): the one that counts
        kept: dict[tuple, tuple] = {}
        order = 0
        for prelude, body in _rule_blocks(_uncommented(css[:MAX_STYLE])):
            declared = _declarations(body)
            if not declared:
                continue
            for selector in prelude.split(","):
                simple = _simple(selector.strip().lower())
                if simple is None:
                    continue
                tag, classes, ids = simple
                specificity = (len(ids), len(classes), 1 if tag else 0)
                for name, (value, important) in declared.items():
                    order += 1
                    rule = (important, specificity, order, tag, classes, ids, value)
                    kept[name, simple] = max(kept.get((name, simple), rule), rule)
        self.filed: dict[tuple, list] = {}  # key -> [(property, rule)]
        for (name, (tag, classes, ids)), rule in kept.items():
            key = ("#", min(ids)) if ids else (".", min(classes)) if classes else ("", tag or "*")
            self.filed.setdefault(key, []).append((name, rule))
        self.weighed = 0  # rules weighed against elements so far: held to MAX_WEIGHED

    def __bool__(self) -> bool:
        return bool(self.filed)

    def hides(self, tag: str, attrs: dict) -> str | None:
        """How the rules, weighed with the element's own ``style``, hide the element: "display" (``display:
        none``: it takes no place), "visibility" (``visibility: hidden`` or ``collapse``: it keeps its place and shows
        nothing), or None."""
        return self.weigh(tag, attrs)[0]

    def weigh(self, tag: str, attrs: dict) -> tuple[str | None, str | None]:
        """How the rules, weighed with the element's own ``style``, hide the element (:meth:`hides`), and the
        ``display`` they give it (its own when no rule sets one; None when neither does)."""
        classes = frozenset((attrs.get("class") or "").lower().split())
        ident = (attrs.get("id") or "").lower()
        filed = self.filed
        keys = [("#", ident), ("", tag), ("", "*"), *((".", c) for c in classes)]
        candidates = [found for key in keys if key in filed for found in filed[key]]
        if not candidates:  # most elements: no rule may match them
            return None, own_display(attrs.get("style") or "")
        self.weighed += len(candidates)
        if self.weighed > MAX_WEIGHED:
            raise InstanceError(f"the page's style sheets ask for more than {MAX_WEIGHED} rules to be weighed (a "
                                "report's page: a few thousand): refused",
                                zh=f"网页样式表需要比对的规则超过 {MAX_WEIGHED} 条（一份报告的网页不过数千条）：拒绝读取")
        inline = None
        display = None
        for name, hiding in _HIDES.items():
            won = max((rule for prop, rule in candidates if prop == name and _matches(rule, tag, classes, ident)),
                      default=None)
            if won is None:
                continue
            important, value = won[0], won[6]
            inline = _declarations(attrs.get("style") or "") if inline is None else inline
            if name in inline and not important:
                value = inline[name][0]  # the element's own style outweighs a rule that is not !important
            if name == "display":
                display = value
            kind = hiding(value)
            if kind is not None:
                return kind, display
        return None, display if display is not None else own_display(attrs.get("style") or "")


def own_style_hides(style: str) -> str | None:
    """How an element's own ``style`` hides it, as :meth:`StyleSheet.hides` says it: "display", "visibility" or
    None."""
    if not style:  # most elements
        return None
    declared = _declarations(style)
    kinds = {_HIDES[name](value) for name, (value, _) in declared.items()}
    return "display" if "display" in kinds else "visibility" if "visibility" in kinds else None


def own_display(style: str) -> str | None:
    """The ``display`` an element's own ``style`` sets, or None."""
    if not style or "display" not in style.lower():  # most elements
        return None
    found = _declarations(style).get("display")
    return found[0] if found is not None else None


def style_sheet(page: str) -> StyleSheet | None:
    """The page's own style sheets (its ``<style>`` elements for the screen, outside comments), or None when it has
    no rule that may hide, on simple selectors."""
    if "<style" not in page.lower():
        return None
    css = []
    for attributes, text in _STYLE.findall(_COMMENT.sub("", page)):
        media = _MEDIA.search(attributes)
        if media is None or re.search(r"\b(all|screen)\b", "".join(g or "" for g in media.groups()).lower()):
            css.append(text)
    sheet = StyleSheet("\n".join(css))
    return sheet if sheet else None


_COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)
_STYLE = re.compile(r"<style\b([^>]*)>(.*?)</style\s*>", re.S | re.I)
_MEDIA = re.compile(r"""\bmedia\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", re.I)


def _uncommented(css: str) -> str:
    return re.sub(r"/\*.*?(\*/|$)", " ", css, flags=re.S)


def _rule_blocks(css: str):
    """(selectors, declarations) of each rule at the top level; at-rules (``@media …{…}``, ``@import …;``) and what
    they hold are passed over."""
    at, n = 0, len(css)
    while at < n:
        brace = css.find("{", at)
        if brace < 0:
            return
        prelude = css[at:brace].rsplit(";", 1)[-1].rsplit("}", 1)[-1].strip()  # after an @import …; or a stray }
        depth, end = 1, brace + 1
        while end < n and depth:
            if css[end] == "{":
                depth += 1
            elif css[end] == "}":
                depth -= 1
            end += 1
        if not prelude.startswith("@") and depth == 0:
            yield prelude, css[brace + 1:end - 1]
        at = end


def _declarations(body: str) -> dict[str, tuple[str, bool]]:
    """What a block of declarations sets of the properties that may hide (the last of each): (value, important)."""
    found: dict[str, tuple[str, bool]] = {}
    for declaration in body.split(";"):
        name, colon, value = declaration.partition(":")
        name = name.strip().lower()
        if not colon or name not in _HIDES:
            continue
        value = re.sub(r"\s+", "", value.lower())
        important = value.endswith("!important")
        found[name] = (value.removesuffix("!important"), important)
    return found


def _simple(selector: str) -> tuple[str | None, frozenset, frozenset] | None:
    """A simple selector's type (None for any), classes and ids; None for any other selector."""
    match = _SIMPLE.fullmatch(selector)
    if not selector or match is None:
        return None
    tag = match["tag"] if match["tag"] not in (None, "*") else None
    parts = re.findall(r"[.#][^.#]+", match["rest"] or "")
    return tag, frozenset(p[1:] for p in parts if p[0] == "."), frozenset(p[1:] for p in parts if p[0] == "#")


def _matches(rule: tuple, tag: str, classes: frozenset, ident: str) -> bool:
    _, _, _, rule_tag, rule_classes, rule_ids, _ = rule
    return (rule_tag is None or rule_tag == tag) and rule_classes <= classes and \
        (not rule_ids or rule_ids == {ident})
