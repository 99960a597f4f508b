"""Compile a spec once: parse every rule, expand ``for_each``, resolve references to cell ids.

The result, :class:`CompiledSpec`, is immutable and holds everything validation needs:
the cells in order, an index by id, and the concrete checks (one per rule and binding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from govspec.rules import syntax as rl
from govspec.errors import did_you_mean
from govspec.spec.model import Cell, RuleDecl, Spec, Table


# Resolved nodes: the parts of a rule AST that name cells, after resolution.
@dataclass(frozen=True)
class CellRef:
    cell: str


PREVIOUS = "previous:"  # prefix of a cell id read from the same body's report of the year before


@dataclass(frozen=True)
class PrevCellRef(CellRef):
    """``previous(cell)``: ``cell`` is ``previous:<cell id>``."""


@dataclass(frozen=True)
class CellSum:
    cells: tuple[str, ...]


@dataclass(frozen=True)
class CellsReported:
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A rule of the spec with its parsed check."""

    decl: RuleDecl
    ast: object

    @property
    def id(self) -> str:
        return self.decl.id


@dataclass(frozen=True)
class Check:
    """One rule applied to one binding (a row or a column), with cells resolved."""

    rule: Rule
    axis: str | None      # "rows" | "columns" | None
    binding: str | None   # the row or column id the rule is applied to
    tree: object
    cells: tuple[str, ...]  # every cell the check reads, once each, in order
    linear: tuple | None = None  # for a comparison of linear sides: (left Side, right Side)

    @property
    def key(self) -> str:
        return f"{self.rule.id}[{self.binding}]" if self.binding else self.rule.id

    @property
    def correction(self) -> tuple[str, object] | None:
        """For ``cell == expression``: the cell and the expression that would make it hold."""
        tree = self.tree
        if isinstance(tree, rl.Compare) and tree.op == "==" and isinstance(tree.left, CellRef):
            return tree.left.cell, tree.right
        return None


@dataclass(frozen=True, eq=False, repr=False)  # compared and hashed by identity: compile once, share
class CompiledSpec:
    spec: Spec
    cells: tuple[Cell, ...]
    cell_index: Mapping[str, Cell]
    rules: tuple[Rule, ...]
    checks: tuple[Check, ...]
    row_cells: Mapping[tuple, Mapping[str, Cell]]  # (table id, row id) -> {column id: cell}
    across: tuple[Check, ...] = ()                 # checks across reports (previous(…)), per rule and binding
    across_cells: tuple = ()                       # cell ids those checks read, this year's or last year's
    _labels: dict = field(default_factory=dict, compare=False)  # cache of label paths

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str:
        return self.spec.version

    def cell(self, cell_id: str) -> Cell:
        return self.cell_index[cell_id]

    def rule(self, rule_id: str) -> Rule | None:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None

    def label_path(self, cell_id: str, lang: str = "zh") -> dict:
        """The cell's label path (see :meth:`Cell.label_path`), computed once per cell and language."""
        key = (cell_id, lang)
        if key not in self._labels:
            self._labels[key] = self.cell_index[cell_id].label_path(lang)
        return self._labels[key]

    def __repr__(self) -> str:
        return f"<CompiledSpec {self.spec.ref}: {len(self.cells)} cells, {len(self.checks)} checks>"

    def _repr_pretty_(self, printer, cycle) -> None:  # pretty printers (hypothesis, IPython): stay short
        printer.text(repr(self))


class _RuleError(Exception):
    """A reference in a rule that does not resolve; turned into a SpecError with the rule's line."""


def compile_spec(spec: Spec) -> CompiledSpec:
    cells = tuple(spec.iter_cells())
    index = MappingProxyType({cell.id: cell for cell in cells})
    rules, checks = _compile_rules(spec, index, spec.rules, across=False)
    across_rules, across = _compile_rules(spec, index, spec.across, across=True)
    row_cells: dict = {}
    for cell in cells:
        row_cells.setdefault((cell.table.id, cell.row.id), {})[cell.column.id] = cell
    return CompiledSpec(spec, cells, index, tuple(rules) + tuple(across_rules), tuple(checks),
                        MappingProxyType({k: MappingProxyType(v) for k, v in row_cells.items()}), tuple(across),
                        tuple(dict.fromkeys(c.removeprefix(PREVIOUS) for check in across for c in check.cells)))


def _compile_rules(spec: Spec, index, decls, across: bool):
    rules, checks = [], []
    for decl in decls:
        try:
            ast = rl.parse(decl.check)
        except rl.RuleSyntaxError as exc:
            raise spec.document.error(f"rule {decl.id!r}: {exc}", decl.path + ("check",)) from None
        if not isinstance(ast, rl.BOOLEAN):
            raise spec.document.error(f"rule {decl.id!r}: a check must be a comparison or condition",
                                      decl.path + ("check",))
        rule = Rule(decl, ast)
        rules.append(rule)
        try:
            expanded = list(_expand(spec, index, rule))
        except _RuleError as exc:
            key = "check" if "for_each" not in str(exc) else "for_each"
            raise spec.document.error(f"rule {decl.id!r}: {exc}", decl.path + (key,)) from None
        uses_previous = any(c.startswith(PREVIOUS) for check in expanded for c in check.cells)
        if uses_previous != across:
            message = ("previous(…) can only be used in across_reports" if uses_previous else
                       "a rule across reports must read previous(…)")
            raise spec.document.error(f"rule {decl.id!r}: {message}", decl.path + ("check",))
        checks.extend(expanded)
    return rules, checks


def _expand(spec: Spec, index: Mapping[str, Cell], rule: Rule):
    decl = rule.decl
    table = _table(spec, decl.table) if decl.table else None
    if decl.for_each is None:
        bindings = [(None, None)]
    else:
        if table is None:
            raise _RuleError("for_each needs the rule's 'table'")
        axis, selector = decl.for_each
        bindings = [(axis, item) for item in _for_each_items(table, axis, selector)]
    for axis, item in bindings:
        env = {"row": item if axis == "rows" else None, "col": item if axis == "columns" else None}
        tree = _resolve(rule.ast, spec, table, env, index)
        yield Check(rule, axis, item, tree, tuple(dict.fromkeys(_cells_read(tree))), _linear(tree))


def _table(spec: Spec, table_id: str) -> Table:
    try:
        return spec.table(table_id)
    except KeyError:
        raise _RuleError(f"unknown table {table_id!r}{did_you_mean(table_id, [t.id for t in spec.tables])}") from None


def _for_each_items(table: Table, axis: str, selector: str) -> list[str]:
    try:
        parser = rl._Parser(selector)
        part = parser.part()
        if parser.token.kind != "end":
            raise parser.fail(f"unexpected {parser.token.text!r}")
    except rl.RuleSyntaxError as exc:
        raise _RuleError(f"for_each: {exc}") from None
    if axis == "rows":
        return _select_rows(table, part, {})
    if len(table.blocks) != 1:
        raise _RuleError("for_each columns needs a table with a single block")
    return _select_columns(table, table.blocks[0], part, {})


def _select(items: list, groups_of, part: rl.Part, env: dict, kind: str, table: Table, var: str) -> list[str]:
    """The ids of ``items`` (rows or columns) that one part of a reference selects."""
    ids = [item.id for item in items]

    def unknown(value: str) -> _RuleError:
        return _RuleError(f"unknown {kind} {value!r} in table {table.id!r}{did_you_mean(value, ids)}")
    start = part.start
    if part.end is not None:
        for atom in (start, part.end):
            if atom.value not in ids:
                raise unknown(atom.value)
        first, last = ids.index(start.value), ids.index(part.end.value)
        if last < first:
            raise _RuleError(f"range {start.value}..{part.end.value} runs backwards")
        return ids[first:last + 1]
    if start.kind == "all":
        return ids
    if start.kind == "group":
        chosen = [item.id for item in items if start.value in groups_of(item)]
        if not chosen:
            raise _RuleError(f"no {kind} in group {start.value!r} in table {table.id!r}")
        return chosen
    if start.kind == "var":
        if start.value != var or env.get(var) is None:
            raise _RuleError(f"${start.value} is not bound here (for_each binds $row or $col)")
        return [env[var]]
    if start.value not in ids:
        raise unknown(start.value)
    return [start.value]


def _select_rows(table: Table, part: rl.Part, env: dict) -> list[str]:
    rows = list(table.rows)

    def groups_of(row):
        block = table.block_of(row.id)
        return {g.id for g in block.group_path(block.row_groups, row.group)}
    return _select(rows, groups_of, part, env, "row", table, "row")


def _select_columns(table: Table, block, part: rl.Part, env: dict) -> list[str]:
    def groups_of(column):
        return {g.id for g in block.group_path(block.column_groups, column.group)}
    return _select(list(block.columns), groups_of, part, env, "column", table, "col")


def _ref_cells(ref: rl.Ref, spec: Spec, table: Table | None, env: dict, index) -> tuple[str, ...]:
    parts = ref.parts
    if len(parts) == 3:
        if parts[0].start.kind != "name" or parts[0].end is not None:
            raise _RuleError("the table part of a reference must be a table id")
        table = _table(spec, parts[0].start.value)
        parts = parts[1:]
    elif table is None:
        raise _RuleError(f"{rl.ref_text(ref)}: give table.row.column, or set the rule's 'table'")
    cells = []
    for row_id in _select_rows(table, parts[0], env):
        block = table.block_of(row_id)
        for column_id in _select_columns(table, block, parts[1], env):
            cell_id = f"{table.id}.{row_id}.{column_id}"
            if cell_id in index:
                cells.append(cell_id)
            elif not ref.is_set:
                raise _RuleError(f"{cell_id} is not a cell of the spec")
    if not cells:
        raise _RuleError(f"{rl.ref_text(ref)} names no cell")
    return tuple(cells)


def _resolve(node, spec: Spec, table: Table | None, env: dict, index):
    if isinstance(node, rl.Ref):
        return CellRef(_ref_cells(node, spec, table, env, index)[0])
    if isinstance(node, rl.Sum):
        return CellSum(_ref_cells(node.ref, spec, table, env, index))
    if isinstance(node, rl.Previous):
        return PrevCellRef(PREVIOUS + _ref_cells(node.ref, spec, table, env, index)[0])
    if isinstance(node, rl.Reported):
        return CellsReported(_ref_cells(node.ref, spec, table, env, index))
    if isinstance(node, rl.Number):
        return node
    if isinstance(node, (rl.Neg, rl.Not)):
        return type(node)(_resolve(node.operand, spec, table, env, index))
    if isinstance(node, rl.If):
        return rl.If(_resolve(node.condition, spec, table, env, index), _resolve(node.then, spec, table, env, index))
    return type(node)(node.op, _resolve(node.left, spec, table, env, index),
                      _resolve(node.right, spec, table, env, index))


@dataclass(frozen=True)
class Side:
    """A linear expression: Σ plus − Σ minus + Σ factor·cell + constant."""

    plus: tuple[str, ...]
    minus: tuple[str, ...]
    scaled: tuple[tuple[str, object], ...]
    constant: object


def _linear(tree) -> tuple[Side, Side] | None:
    if not isinstance(tree, rl.Compare):
        return None
    left, right = _side(tree.left), _side(tree.right)
    return (left, right) if left and right else None


def _side(node) -> Side | None:
    terms: dict = {}
    constant = [0]

    def walk(n, factor) -> bool:
        if isinstance(n, CellRef):
            terms[n.cell] = terms.get(n.cell, 0) + factor
        elif isinstance(n, CellSum):
            for cell in n.cells:
                terms[cell] = terms.get(cell, 0) + factor
        elif isinstance(n, rl.Number):
            constant[0] += factor * n.value
        elif isinstance(n, rl.Neg):
            return walk(n.operand, -factor)
        elif isinstance(n, rl.BinOp) and n.op in "+-":
            return walk(n.left, factor) and walk(n.right, factor if n.op == "+" else -factor)
        elif isinstance(n, rl.BinOp) and rl.is_constant(n.left) != rl.is_constant(n.right):
            const, other = (n.left, n.right) if rl.is_constant(n.left) else (n.right, n.left)
            value = _constant_value(const)
            return value is not None and walk(other, factor * value)
        else:
            return False
        return True

    if not walk(node, 1):
        return None
    return Side(tuple(c for c, k in terms.items() if k == 1), tuple(c for c, k in terms.items() if k == -1),
                tuple((c, k) for c, k in terms.items() if k not in (0, 1, -1)), constant[0])


def _constant_value(node):
    if isinstance(node, rl.Number):
        return node.value
    if isinstance(node, rl.Neg):
        value = _constant_value(node.operand)
        return None if value is None else -value
    if isinstance(node, rl.BinOp):
        left, right = _constant_value(node.left), _constant_value(node.right)
        if left is None or right is None:
            return None
        return left + right if node.op == "+" else left - right if node.op == "-" else left * right
    return None


def _cells_read(node):
    if isinstance(node, CellRef):
        yield node.cell
    elif isinstance(node, (CellSum, CellsReported)):
        yield from node.cells
    elif isinstance(node, (rl.Neg, rl.Not)):
        yield from _cells_read(node.operand)
    elif isinstance(node, rl.If):
        yield from _cells_read(node.condition)
        yield from _cells_read(node.then)
    elif isinstance(node, (rl.BinOp, rl.Compare, rl.BoolOp)):
        yield from _cells_read(node.left)
        yield from _cells_read(node.right)
