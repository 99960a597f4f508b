import copy
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: "ci" (the default) keeps the suite fast; "deep" is for long fuzzing runs:
#   HYPOTHESIS_PROFILE=deep python -m pytest tests/test_fuzz.py
settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("mid", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("deep", max_examples=8000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def load_example(name: str) -> dict:
    with open(ROOT / name, encoding="utf-8") as handle:
        return json.load(handle)


def patched(document: dict, patch: dict | None = None, remove: list | None = None) -> dict:
    """A copy of ``document`` with dotted paths set or removed."""
    document = copy.deepcopy(document)
    for path, value in (patch or {}).items():
        *parents, last = path.split(".")
        node = document
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    for path in remove or []:
        *parents, last = path.split(".")
        node = document
        for key in parents:
            node = node[key]
        del node[last]
    return document


@pytest.fixture
def huaian() -> dict:
    return load_example("examples/huaian-city-2024.json")


@pytest.fixture
def hegang() -> dict:
    return load_example("examples/hegang-justice-2020.json")


def in_english(args) -> list[str]:
    """A command line with ``--lang en`` after the command (``validate``, ``spec lint``): for tests that read
    the English wording of a message; Chinese is the default (tests/test_bad_input.py checks it)."""
    args = [str(a) for a in args]
    at = 2 if args and args[0] == "spec" and len(args) > 1 else 1
    return args[:at] + ["--lang", "en"] + args[at:] if args and "--lang" not in args else args


def year_of_body(document: dict, year: int, agency: str, shift: int = 0) -> dict:
    """A copy of ``document`` as ``agency``'s report of ``year``, its carried-over total moved by ``shift``."""
    document = copy.deepcopy(document)
    document["report"].update(year=year, agency=agency)
    document["tables"]["applications"]["carried_over"]["total"] += shift
    return document


def mixed_batch(tmp_path: Path) -> list[str]:
    """Every kind of input across several files: carry-overs and copies across files, a broken line, a
    file split into byte ranges (when the test makes ranges small), an unreadable file, a folder with no
    report, a CSV.  The paths to give: the batch's folder and the empty folder."""
    import govspec
    from govspec.io import writers
    huaian = load_example("examples/huaian-city-2024.json")
    folder = tmp_path / "batch"
    folder.mkdir()
    lines = []
    for i in range(60):
        lines.append(json.dumps(year_of_body(huaian, 2023 + i % 2, f"机关{i // 2}", shift=i % 7 == 0), ensure_ascii=False))
    lines.insert(17, '{"spec": "gov-info-disclosure", "tables": ')
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(lines[:20]) + "\n\n", encoding="utf-8")  # copies of a.jsonl's
    (folder / "c.json").write_text(json.dumps(year_of_body(huaian, 2025, "机关3"), ensure_ascii=False), encoding="utf-8")
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    (folder / "d.csv").write_text(writers.to_csv_long(spec, year_of_body(huaian, 2022, "机关1")), encoding="utf-8-sig")
    (folder / "e.json").write_text("{", encoding="utf-8")
    (tmp_path / "empty").mkdir(exist_ok=True)
    return [str(folder), str(tmp_path / "empty")]


def damaged_wide_lines(spec, documents: list, data, texts, amounts=(), rows=()) -> list[str]:
    """The lines of ``documents`` as CSV wide, damaged as hypothesis ``data`` draws: up to two counts of a row made one
    of ``texts`` (quoted when it holds a comma or a line break), an amount one of ``amounts``, and up to two of
    ``rows`` (comment, empty, short rows…) put in after the header and the labels."""
    import csv

    from hypothesis import strategies as st

    from govspec.io import writers
    lines = writers.to_csv_wide(spec, documents).splitlines()
    header = next(csv.reader([lines[0]]))
    cells = [i for i, name in enumerate(header) if name.count(".") == 2]
    money = [header.index(c.id) for c in spec.cells if c.type == "money"]
    for n in range(2, len(lines)):  # after the header and the labels
        fields = lines[n].split(",")
        for _ in range(data.draw(st.integers(0, 2))):
            text = data.draw(st.sampled_from(texts))
            fields[data.draw(st.sampled_from(cells))] = f'"{text}"' if "," in text or "\n" in text else text
        if amounts and money and data.draw(st.booleans()):
            fields[data.draw(st.sampled_from(money))] = data.draw(st.sampled_from(amounts))
        lines[n] = ",".join(fields)
    for _ in range(data.draw(st.integers(0, 2)) if rows else 0):
        lines.insert(data.draw(st.integers(2, len(lines))), data.draw(st.sampled_from(rows)))
    return lines
