"""What a key of govspec's CSV formats means — a column of CSV wide, a line of CSV long: the spec and version, a
report fact (``report.*``), a cell id (``table.row.column``), the cells the published source did not show
(``unseen``: their ids, set apart by spaces) and the printed values of a known variant
(``variants.table.group.column``) — as the JSON instance has them (docs/instance-format.md)."""

from __future__ import annotations

from govspec.io.kinds import METADATA
from govspec.io.values import CellText, digit_look_alikes, normalise, spreadsheet_text

UNKNOWN = object()  # key under which a CSV document collects columns that are not understood
UNSEEN, VARIANTS = "unseen", "variants."


def place(document: dict, key: str, text: str, position: str) -> None:
    """Place one key of a CSV file in the document it builds."""
    text = spreadsheet_text(text)  # govspec's own CSV output: a formula guard is not part of the value
    if key in METADATA:
        document[key] = normalise(text) or None
    elif key.startswith("report."):
        name = key[len("report."):]
        value = text.strip()
        year = normalise(value) if name == "year" and not digit_look_alikes(value) else ""  # "²⁰²¹" is no year
        document.setdefault("report", {})[name] = int(year) if year.isdecimal() else value if value != "" else None
    elif key.count(".") == 2:
        table, row, column = key.split(".")
        document["tables"].setdefault(table, {}).setdefault(row, {})[column] = CellText(text, position)
    elif key == UNSEEN:
        document[UNSEEN] = text.split()  # ids set apart by spaces (a full-width one too)
    elif key.startswith(VARIANTS) and key.count(".") == 3:
        _, table, group, column = key.split(".")
        document.setdefault("variants", {}).setdefault(f"{table}.{group}", {})[column] = CellText(text, position)
    else:
        document.setdefault(UNKNOWN, []).append((key, position))


def instance_keys(document: dict) -> list[tuple[str, object]]:
    """The keys beyond the cells that a document (an extracted one) has, with their values, as CSV writes them:
    ``unseen`` once, and each printed value of a variant."""
    out: list[tuple[str, object]] = []
    if document.get("unseen"):
        out.append((UNSEEN, " ".join(document["unseen"])))
    for variant, columns in (document.get("variants") or {}).items():
        out.extend((f"{VARIANTS}{variant}.{column}", value) for column, value in columns.items())
    return out
