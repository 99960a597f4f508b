"""The layout of the package stays as docs/architecture.md draws it: no import cycles, small modules,
every module in the room its sub-package names."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "govspec"
MAX_LINES = 400
ROOMS = {"spec", "rules", "check", "io", "extract", "present", "tools", "cli", "dataset"}
# the vocabulary every step uses, and the public entry points named after what they are for (govspec.testing,
# govspec.dask)
TOP_LEVEL = {"__init__.py", "__main__.py", "errors.py", "findings.py", "records.py", "patterns.py", "testing.py", "dask.py",
             "_moved.py"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_only(tree: ast.Module) -> set[int]:
    """The ids of the nodes under ``if TYPE_CHECKING:``: imports for type checkers, never run."""
    return {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING" for stmt in node.body for n in ast.walk(stmt)}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Modules of govspec imported anywhere in the module (deferred imports inside functions included; imports
    for type checkers only, under ``if TYPE_CHECKING:``, left out: they are never run)."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found.update(n for n in names if n in modules and n.startswith("govspec"))
    return found


def test_the_package_has_no_import_cycles():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    # a package's __init__ importing its own modules is not a cycle of the modules
    for name in graph:
        graph[name] = {d for d in graph[name] if not (name == d.rpartition(".")[0] and name in modules
                                                      and modules[name].name == "__init__.py")}
    state: dict[str, str] = {}
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for dep in sorted(graph[name]):
            if state.get(dep) == "open":
                cycles.append(path[path.index(dep):] + [dep] if dep in path else [name, dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def test_no_module_is_longer_than_the_limit():
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_every_module_lives_in_a_room_that_docs_architecture_names():
    strays = [p.name for p in PACKAGE.glob("*.py") if p.name not in TOP_LEVEL]
    assert not strays, f"modules outside the sub-packages: {strays}"
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert rooms == ROOMS
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for room in sorted(ROOMS):
        assert f"`{room}/`" in text, f"docs/architecture.md does not describe {room}/"
