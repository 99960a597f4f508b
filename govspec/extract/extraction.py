"""What extraction found in a report: the values placed, where each was read, what was left out and why."""

from __future__ import annotations

from dataclasses import field

from govspec.io.values import CellText
from govspec.records import record
from govspec.spec.compiler import CompiledSpec


@record(frozen=False)
class Extraction:
    """A report as extraction read it (:func:`govspec.extract.placement.extract_tokens`); :meth:`document` is the
    instance."""

    source: str
    spec: CompiledSpec | None
    values: dict = field(default_factory=dict)      # cell id -> value (None = printed blank)
    provenance: dict = field(default_factory=dict)  # cell id -> {"where", "text"}
    left_out: list = field(default_factory=list)    # {"where", "text", "reason", "reason_zh"}
    incomplete: list = field(default_factory=list)  # table ids the text stops inside
    report: dict = field(default_factory=dict)
    report_provenance: dict = field(default_factory=dict)  # "report.published" -> {"where", "text"}: a fact the page states
    template_basis: str | None = None               # "headers" (the tables' own labels) or "year"
    variants: dict = field(default_factory=dict)    # "table.group" -> {column: value}: a group printed as a row
    variant_provenance: dict = field(default_factory=dict)  # "table.group.column" -> {"where", "text"}
    conflicts: set = field(default_factory=set)     # cells shown twice with different values: not placed
    kind: str = "text"                              # the kind of file, by its content (pdf, docx, xlsx, html, …)
    note: str | None = None                         # the content contradicts the file's name

    def document(self, text_cells: bool = False) -> dict:
        """The instance: the cells found (a printed blank is null); cells never seen are listed in
        ``unseen``.  With ``text_cells`` the values are :class:`CellText` carrying where they were read."""
        tables: dict = {}
        for cell_id, value in self.values.items():
            table, row, column = cell_id.split(".")
            if text_cells:
                where = self.provenance[cell_id]
                value = CellText(where["text"], f"{self.source}: {where['where']}")
            tables.setdefault(table, {}).setdefault(row, {})[column] = value
        if self.spec is None:
            raise ValueError("no template was found: there is no instance to give")
        unseen = [c.id for c in self.spec.cells if c.id not in self.values]
        document = {"spec": self.spec.id, "version": self.spec.version, "report": dict(self.report),
                    "tables": tables, "unseen": unseen}
        if self.variants:
            document["variants"] = {key: dict(columns) for key, columns in self.variants.items()}
            if text_cells:
                document["variants"] = {key: {column: CellText(self.variant_provenance[f"{key}.{column}"]["text"],
                                                           f"{self.source}: {where}")
                                              for column, where in ((c, self.variant_provenance[f"{key}.{c}"]["where"])
                                                                    for c in columns)}
                                        for key, columns in self.variants.items()}
        return document
