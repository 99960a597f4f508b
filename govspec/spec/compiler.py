"""Compile a spec once: parse every rule, expand ``for_each``, resolve references to cell ids.

The result, :class:`CompiledSpec`, is immutable and holds everything validation needs:
the cells in order, an index by id, and the concrete checks (one per rule and binding).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from types import MappingProxyType

from govspec.errors import SpecError, did_you_mean
from govspec.records import record
from govspec.rules import syntax
from govspec.rules.conditions import Comparison, Condition
from govspec.rules.linear import Linear, exact
from govspec.rules.parser import RuleSyntaxError, parse, parse_part
from govspec.spec.model import Cell, RuleDecl, Spec, Table

PREVIOUS = syntax.PREVIOUS  # prefix of a cell id read from the same body's report of the year before
# The checks of a spec, each counted with the cells it reads: a rule applied for_each row, reading a whole table each
# time, is rows × cells of work at every report (the 2021 template's 42 checks read about 1,000 cells in all).
MAX_READS = 1_000_000


@record
class Rule:
    """A rule of the spec with its parsed check."""

    decl: RuleDecl
    ast: syntax.Cond

    @property
    def id(self) -> str:
        return self.decl.id


@record
class Check:
    """One rule applied to one binding (a row or a column), with cells resolved and arithmetic made linear."""

    rule: Rule
    axis: str | None       # "rows" | "columns" | None
    binding: str | None    # the row or column id the rule is applied to
    condition: Condition   # what the check asks, compiled (govspec.rules.conditions)
    cells: tuple[str, ...]  # every cell the check reads, once each, in order
    key: str = field(init=False)  # "rule[binding]", the check's stable id

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.rule.id}[{self.binding}]" if self.binding else self.rule.id)

    @cached_property  # worked out once: explaining a failing check asks for it (a frozen dataclass: not a field)
    def comparison(self) -> Comparison | None:
        """The check's comparison, when the whole check is one (most identities are)."""
        return self.condition if isinstance(self.condition, Comparison) else None

    @cached_property
    def difference(self) -> Linear | None:
        """The comparison's ``left − right`` as one linear form: a check whose cells are all usable is summed once."""
        comparison = self.comparison
        return comparison.left - comparison.right if comparison is not None else None

    @cached_property
    def correction(self) -> tuple[str, Linear] | None:
        """For ``cell == expression``: the cell and the expression that would make it hold."""
        comparison = self.comparison
        if comparison is not None and comparison.op == "==":
            cell = comparison.left.single_cell
            if cell is not None:
                return cell, comparison.right
        return None


@record(eq=False, repr=False)  # compared and hashed by identity: compile once, share
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

    def check(self, key: str) -> Check:
        """The check of ``key`` (:attr:`Check.key`)."""
        return self._check_index[key]

    @cached_property
    def _check_index(self) -> dict[str, Check]:
        return {check.key: check for check in self.checks}

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


def compile_spec(spec: Spec, errors: list[SpecError] | None = None) -> CompiledSpec:
    """The spec with its rules parsed and expanded once.  A rule that does not compile raises
    :class:`SpecError`; with ``errors`` given (``spec lint``), every such rule is listed there and left out."""
    cells = tuple(spec.iter_cells())
    index = MappingProxyType({cell.id: cell for cell in cells})
    with exact():  # a rule's numbers and factors are kept exactly, whatever their digits
        budget = [MAX_READS]  # what is left of it, for every rule of the spec
        rules, checks = _compile_rules(spec, index, spec.rules, False, errors, budget)
        across_rules, across = _compile_rules(spec, index, spec.across, True, errors, budget)
    row_cells: dict = {}
    for cell in cells:
        row_cells.setdefault((cell.table.id, cell.row.id), {})[cell.column.id] = cell
    return CompiledSpec(spec, cells, index, tuple(rules) + tuple(across_rules), tuple(checks),
                        MappingProxyType({k: MappingProxyType(v) for k, v in row_cells.items()}), tuple(across),
                        tuple(dict.fromkeys(c.removeprefix(PREVIOUS) for check in across for c in check.cells)))


def _compile_rules(spec: Spec, index, decls, across: bool, errors: list[SpecError] | None, budget: list[int]):
    rules, checks = [], []
    for decl in decls:
        try:
            rule, expanded = _compile_rule(spec, index, decl, across, budget)
        except SpecError as error:
            if errors is None or budget[0] < 0:  # past the spec's budget, no rule after it is compiled either
                raise
            errors.append(error)
            continue
        rules.append(rule)
        checks.extend(expanded)
    return rules, checks


def _compile_rule(spec: Spec, index, decl, across: bool, budget: list[int]):
    try:
        ast = parse(decl.check)
    except RuleSyntaxError as exc:
        raise spec.document.error(f"rule {decl.id!r}: {exc}", decl.path + ("check",)) from None
    if not ast.is_condition:
        raise spec.document.error(f"rule {decl.id!r}: a check must be a comparison or condition",
                                  decl.path + ("check",))
    assert isinstance(ast, syntax.Cond)
    rule = Rule(decl, ast)
    try:
        expanded = []
        for check in _expand(spec, index, rule):
            budget[0] -= max(1, len(check.cells))
            if budget[0] < 0:  # counted as the checks are made: one rule's for_each could ask for billions
                raise spec.document.error(
                    f"rule {decl.id!r}: the spec's checks, with the cells each reads, come to more than {MAX_READS} "
                    "(the 2021 template's: about 1,000)", decl.path + ("check",))
            expanded.append(check)
    except _RuleError as exc:
        key = "check" if "for_each" not in str(exc) else "for_each"
        raise spec.document.error(f"rule {decl.id!r}: {exc}", decl.path + (key,)) from None
    uses_previous = any(c.startswith(PREVIOUS) for check in expanded for c in check.cells)
    if uses_previous != across:
        message = ("previous(…) can only be used in across_reports" if uses_previous else
                   "a rule across reports must read previous(…)")
        raise spec.document.error(f"rule {decl.id!r}: {message}", decl.path + ("check",))
    return rule, expanded


def _expand(spec: Spec, index: Mapping[str, Cell], rule: Rule):
    decl = rule.decl
    table = _table(spec, decl.table) if decl.table else None
    bindings: list[tuple[str | None, str | None]]
    if decl.for_each is None:
        bindings = [(None, None)]
    else:
        if table is None:
            raise _RuleError("for_each needs the rule's 'table'")
        for_axis, selector = decl.for_each
        bindings = [(for_axis, item) for item in _for_each_items(table, for_axis, selector)]
    for axis, item in bindings:
        env: dict[str, str | None] = {"row": item if axis == "rows" else None,
                                      "col": item if axis == "columns" else None}
        condition = rule.ast.resolve(_Scope(spec, table, env, index))
        yield Check(rule, axis, item, condition, tuple(dict.fromkeys(condition.cells())))


def _table(spec: Spec, table_id: str) -> Table:
    try:
        return spec.table(table_id)
    except KeyError:
        raise _RuleError(f"unknown table {table_id!r}{did_you_mean(table_id, [t.id for t in spec.tables])}") from None


def _for_each_items(table: Table, axis: str, selector: str) -> list[str]:
    try:
        part = parse_part(selector)
    except RuleSyntaxError as exc:
        raise _RuleError(f"for_each: {exc}") from None
    if axis == "rows":
        return _select_rows(table, part, {})
    if len(table.blocks) != 1:
        raise _RuleError("for_each columns needs a table with a single block")
    return _select_columns(table, table.blocks[0], part, {})


def _select(items: list, groups_of, part: syntax.Part, env: dict, kind: str, table: Table, var: str) -> list[str]:
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


def _select_rows(table: Table, part: syntax.Part, env: dict) -> list[str]:
    rows = list(table.rows)

    def groups_of(row):
        block = table.block_of(row.id)
        return {g.id for g in block.group_path(block.row_groups, row.group)}
    return _select(rows, groups_of, part, env, "row", table, "row")


def _select_columns(table: Table, block, part: syntax.Part, env: dict) -> list[str]:
    def groups_of(column):
        return {g.id for g in block.group_path(block.column_groups, column.group)}
    return _select(list(block.columns), groups_of, part, env, "column", table, "col")


def _ref_cells(ref: syntax.Ref, spec: Spec, table: Table | None, env: dict, index) -> tuple[str, ...]:
    parts = ref.parts
    if len(parts) == 3:
        if parts[0].start.kind != "name" or parts[0].end is not None:
            raise _RuleError("the table part of a reference must be a table id")
        table = _table(spec, parts[0].start.value)
        parts = parts[1:]
    elif table is None:
        raise _RuleError(f"{ref.text()}: give table.row.column, or set the rule's 'table'")
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
        raise _RuleError(f"{ref.text()} names no cell")
    return tuple(cells)


class _Scope:
    """Resolution of references for one check: the rule's table and the binding of $row / $col."""

    def __init__(self, spec: Spec, table: Table | None, env: dict, index: Mapping[str, Cell]) -> None:
        self.spec, self.table, self.env, self.index = spec, table, env, index

    def cells(self, ref: syntax.Ref) -> tuple[str, ...]:
        return _ref_cells(ref, self.spec, self.table, self.env, self.index)
