"""Hostile input: each answered with a clear message and a documented exit code, in bounded time."""

import ast
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english

import govspec
from govspec.cli.main import main
from govspec.errors import SpecError
from govspec.io.writers import write_atomic

ROOT = Path(__file__).resolve().parent.parent


def validate(*args):
    started = time.perf_counter()
    result = CliRunner().invoke(main, in_english(["validate", *args]))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert time.perf_counter() - started < 30  # bounded (generous: shared machines are noisy)
    return result


@pytest.mark.parametrize("text,code,message", [
    ('{"tables": {}, "x": Infinity}', 3, "Infinity is not a number"),
    ('{"tables": {}, "x": -Infinity}', 3, "Infinity is not a number"),
    ('{"spec": "gov-info-disclosure", "version": "2021", "tables": {"applications": {"received": '
     '{"total": 1000000000000000000000000000000}}}}', 1, "rule-violated"),
    ('{"spec": "gov-info-disclosure", "version": "2021", "tables": {"applications": {"received": '
     '{"total": 1' + "0" * 5000 + '}}}}', 3, "invalid JSON"),
    ('{"spec": "gov-info-disclosure", "version": "2021", "tables": {"applications": {"received": '
     '{"total": 1e400}}}}', 1, "wrong-type"),
])
def test_numbers_at_the_edges(tmp_path, text, code, message):
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    result = validate(path, "--format", "json")
    assert result.exit_code == code and message in result.output


def test_csv_with_100000_columns(tmp_path):
    path = tmp_path / "wide.csv"
    header = ["spec", "version"] + [f"t.r.c{i}" for i in range(100_000)]
    row = ["gov-info-disclosure", "2021"] + ["1"] * 100_000
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    result = validate(path, "--format", "csv")
    assert result.exit_code == 1 and "unknown-table" in result.output


def test_csv_with_a_10_mb_line(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("cell,value\nspec," + "x" * 10_000_000 + "\n", encoding="utf-8")
    result = validate(path)
    assert result.exit_code == 3 and "field larger than field limit" in result.output


def test_deeply_nested_yaml_spec(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    with pytest.raises(SpecError, match="nest"):
        govspec.load_spec_file(path)


def test_very_large_spec_file(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * 6_000_000 + "\n", encoding="utf-8")
    with pytest.raises(SpecError, match="larger than"):
        govspec.load_spec_file(path)


def test_billion_laughs_in_a_spec_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghij"):
        previous = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(SpecError, match="too many YAML nodes"):
        govspec.load_spec_file(path)
    assert time.perf_counter() - started < 10


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            yield name, node


def test_no_module_evaluates_text_or_loads_yaml_unsafely():
    for path in sorted((ROOT / "govspec").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in _calls(tree):
            builtin = isinstance(node.func, ast.Name) or \
                getattr(getattr(node.func, "value", None), "id", "") == "builtins"
            assert not (builtin and name in ("eval", "exec", "compile", "__import__")), \
                f"{path.name}:{node.lineno} calls {name}"
            if name in ("load", "load_all", "full_load", "unsafe_load") and isinstance(node.func, ast.Attribute) \
                    and getattr(getattr(node.func, "value", None), "id", "") == "yaml":
                raise AssertionError(f"{path.name}:{node.lineno} calls yaml.{name}")
            if name == "compose" and isinstance(node.func, ast.Attribute):
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                assert loader is not None and "Safe" in ast.unparse(loader) or ast.unparse(loader) == "_LOADER", \
                    f"{path.name}:{node.lineno}"


def test_validating_a_folder_changes_no_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("hegang-justice-2020.json", "huaian-city-2024.json"):
        (folder / name).write_bytes((ROOT / "examples" / name).read_bytes())
    (folder / "x.csv").write_text("cell,value\nspec,gov-info-disclosure\n", encoding="utf-8")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    for fmt in ("text", "json", "csv"):
        validate(folder, "--format", fmt)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before


def test_writes_are_atomic(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    import govspec.io.writers as writers

    def fail(*args):
        raise OSError("disk full")
    monkeypatch.setattr(writers.os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"  # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left behind
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
