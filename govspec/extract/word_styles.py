"""What a Word document's styles do to its runs: hide them (``w:vanish``) or strike them out (``w:strike``,
``w:dstrike``).

A run is hidden or struck out by its own properties, or — where they do not say — by its character style
(``w:rStyle``) or its paragraph's style (``w:pStyle``), each with the styles it is based on (``w:basedOn``, the
nearest that says).  Read as if shown, a number hidden through a style joined its neighbours' digits, as a number
hidden on the run itself never did.  Document defaults and table styles are not read for this.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TOGGLES = ("vanish", "strike", "dstrike")
MAX_CHAIN = 64  # styles based on one another, followed this far (a document's: a few)


def on(toggle: ElementTree.Element | None) -> bool:
    """A run property that is on: present, and not ``w:val="false"`` (or ``0``, ``off``)."""
    return toggle is not None and toggle.get(f"{W}val", "true").lower() not in ("false", "0", "off")


class Styles:
    """For each style of the document, the toggles it sets, on or off, with those of the styles it is based on."""

    def __init__(self, own: dict[str, dict[str, bool]], based_on: dict[str, str]) -> None:
        self.resolved: dict[str, dict[str, bool]] = {}
        for style in {*own, *based_on}:
            found: dict[str, bool] = {}
            at: str | None = style
            seen = 0
            while at is not None and seen < MAX_CHAIN:  # the nearest style that says, for each toggle
                for toggle, value in own.get(at, {}).items():
                    found.setdefault(toggle, value)
                at, seen = based_on.get(at), seen + 1
            if found:
                self.resolved[style] = found

    def run_has(self, toggle: str, props: ElementTree.Element | None, paragraph_style: str | None) -> bool:
        """Whether ``toggle`` is on for a run with properties ``props`` in a paragraph of ``paragraph_style``."""
        if props is not None:
            direct = props.find(f"{W}{toggle}")
            if direct is not None:
                return on(direct)
            character = props.find(f"{W}rStyle")
            said = self.resolved.get(character.get(f"{W}val", "") if character is not None else "", {}).get(toggle)
            if said is not None:
                return said
        return self.resolved.get(paragraph_style or "", {}).get(toggle, False)


NONE = Styles({}, {})


def read_styles(root: ElementTree.Element | None) -> Styles:
    """The styles of a .docx, from its ``word/styles.xml`` (None: it has none)."""
    if root is None:
        return NONE
    own: dict[str, dict[str, bool]] = {}
    based_on: dict[str, str] = {}
    for style in root.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        if not style_id or style.get(f"{W}type") not in ("character", "paragraph"):
            continue
        props = style.find(f"{W}rPr")
        if props is not None:
            toggles = {t: on(props.find(f"{W}{t}")) for t in TOGGLES if props.find(f"{W}{t}") is not None}
            if toggles:
                own[style_id] = toggles
        parent = style.find(f"{W}basedOn")
        if parent is not None and parent.get(f"{W}val"):
            based_on[style_id] = parent.get(f"{W}val", "")
    return Styles(own, based_on) if own else NONE
