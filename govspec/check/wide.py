"""CSV wide on the fast path: where a header puts the metadata and the cells, and a row's texts in the order
the fast checker packs them."""

from __future__ import annotations

import operator
from typing import Any

from govspec.check.fastpath import FastChecker
from govspec.io.readers import METADATA, REPORT_COLUMNS, place


class WidePlan:
    """Where the metadata and the cells are in the columns of a CSV-wide header."""

    def __init__(self, header: list) -> None:
        self.header = header
        position = {name: i for i, name in enumerate(header)}
        self.position = position
        known = set(METADATA + REPORT_COLUMNS)
        self.meta = [(name, i) for name, i in position.items() if name in known]
        self.unknown = any(name and name not in known and name.count(".") != 2 for name in header)
        self._getters: dict = {}

    def metadata(self, row: list) -> dict:
        """The row's spec, version and report.* as the detailed reader places them."""
        document: dict = {"tables": {}}
        for name, index in self.meta:
            place(document, name, row[index], "")
        return document

    def cells(self, checker: FastChecker, row: list) -> tuple[list, list] | None:
        """The integer cells' texts and the amounts' texts of a row, in the checker's order."""
        getters: Any = self._getters.get(checker)
        if getters is None:
            ids = checker.integer_ids
            money = [c.id for c in checker.money_cells]
            cell_columns = {name for name in self.header if name.count(".") == 2}
            if cell_columns != set(ids) | set(money) or len(ids) < 2:
                getters = False
            else:
                getters = (operator.itemgetter(*(self.position[i] for i in ids)),
                           [self.position[m] for m in money])
            self._getters[checker] = getters
        if getters is False:
            return None
        return list(getters[0](row)), [row[i].strip() for i in getters[1]]
