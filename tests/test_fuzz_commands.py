"""Fuzzing every command and output format: damaged documents, hostile HTML, changed values with a known
answer.  Each run must end in a documented exit code with no traceback, leave every input byte for byte
as it was, write only the outputs it was asked for, and — where the answer is known — give it.

The number of examples comes from the hypothesis profile ("ci" by default, "deep" for the long run whose
figures are in docs/testing.md).
"""

import copy
import json
import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from govspec.cli.main import main
from govspec.extract.placement import extract_tokens
from govspec.extract.webpage import tokens_from_html
from govspec.spec import loader

ROOT = Path(__file__).resolve().parent.parent
SPEC = loader.load("gov-info-disclosure", "2021").spec
HUAIAN = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"))

# Every command that reads a report, in every output format; {in} is the input, {out} a fresh folder.
COMMANDS = [
    ["validate", "{in}"],
    ["validate", "{in}", "--format", "json", "--lang", "en"],
    ["validate", "{in}", "--format", "csv"],
    ["validate", "{in}", "--no-fast", "--strict-blanks"],
    ["extract", "{in}"],
    ["extract", "{in}", "--format", "csv-long"],
    ["extract", "{in}", "--out", "{out}/extracted"],
    ["audit", "{in}", "--html", "{out}/audit.html", "--json", "{out}/audit.json"],
    ["render", "{in}"],
    ["render", "{in}", "--format", "markdown", "--lang", "en"],
    ["render", "{in}", "--format", "docx", "-o", "{out}/r.docx"],
    ["render", "{in}", "--format", "xlsx", "-o", "{out}/r.xlsx"],
    ["migrate", "{in}", "--to", "2021", "--out", "{out}/migrated"],
]
EXITS = {0, 1, 3, 4}  # the documented codes; 2 (usage) is never right for these well-formed command lines

# Seeds to damage: the vendored documents in every format, the examples, real published text and HTML.
SEEDS = sorted([p for p in (ROOT / "tests" / "documents").iterdir() if p.suffix != ".json" and
                p.name != "huaian-city-2024.pdf"]  # the 4-page real PDF is read whole elsewhere; keep runs fast
               + sorted((ROOT / "examples").glob("*.json"))
               + sorted((ROOT / "tests" / "corpus").glob("*.txt"))[:5])


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_command(folder: Path, name: str, data: bytes, command: list[str]):
    """Run one command on one input file; check the exit code, the absence of a traceback, that the input
    is unchanged and that nothing but the named outputs was written."""
    source = folder / "in" / name
    source.parent.mkdir(parents=True)
    source.write_bytes(data)
    out = folder / "out"
    out.mkdir()
    args = [a.replace("{in}", str(source)).replace("{out}", str(out)) for a in command]
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the fuzz fails and hypothesis shrinks it
    assert "Traceback" not in result.output
    assert result.exit_code in EXITS, (args, result.exit_code, result.output[-500:])
    assert _files(folder / "in") == {name: data}, "an input was changed or a file written beside it"
    named = {a.replace(str(out) + "/", "").split("/")[0] for a in args if a.startswith(str(out))}
    assert {p.split("/")[0] for p in _files(out)} <= named, "a file was written that no option named"
    return result


def _damage(data: bytes, edits) -> bytes:
    """Apply edits (where, what, bytes): flip a byte, delete a run, insert bytes, or cut the file short."""
    data = bytearray(data)
    for where, what, extra in edits:
        i = int(where * len(data)) if data else 0
        if what == "flip" and data:
            data[min(i, len(data) - 1)] ^= 1 + extra[0] % 255 if extra else 0x55
        elif what == "delete":
            del data[i:i + 1 + len(extra) * 8]
        elif what == "insert":
            data[i:i] = extra
        elif what == "cut":
            del data[i:]
    return bytes(data)


edits = st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["flip", "delete", "insert", "cut"]),
                           st.binary(max_size=16)), min_size=1, max_size=4)


@given(st.sampled_from(SEEDS), edits, st.sampled_from(COMMANDS))
def test_any_damaged_document_through_any_command(tmp_path_factory, seed, changes, command):
    run_command(tmp_path_factory.mktemp("fuzz"), "report" + seed.suffix, _damage(seed.read_bytes(), changes),
                command)


@given(st.binary(max_size=3000), st.sampled_from([".json", ".jsonl", ".csv", ".txt", ".md", ".html", ".pdf",
                                                 ".docx", ".xlsx", ".xls", ".ods", ".zip", ".doc", ""]),
       st.sampled_from(COMMANDS))
def test_any_bytes_through_any_command(tmp_path_factory, data, suffix, command):
    run_command(tmp_path_factory.mktemp("fuzz"), "report" + suffix, data, command)


@given(st.binary(max_size=2000), st.sampled_from(COMMANDS[:4] + COMMANDS[7:8]))
def test_any_bytes_as_an_accept_file(tmp_path_factory, data, command):
    folder = tmp_path_factory.mktemp("fuzz")
    accept = folder / "accept.yaml"
    accept.write_bytes(data)
    run_command(folder, "report.json", (ROOT / "examples" / "hegang-justice-2020.json").read_bytes(),
                command + ["--accept", str(accept)])
    assert accept.read_bytes() == data


# --- any facts a report gives of itself, in the forms people, spreadsheets and other scripts write ----------

# digits as a report may hold them: ASCII, full-width, another script's decimal digits, and characters that only
# look like digits (isdigit() holds for them; int() refuses them; NFKC makes them digits)
DIGIT_SETS = ["0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "፩፪፫፬፭፮፯፰፱፲", "⁰¹²³⁴⁵⁶⁷⁸⁹", "①②③④⑤⑥⑦⑧⑨⑩"]


@st.composite
def written_number(draw, least: int, most: int) -> str:
    digits = draw(st.sampled_from(DIGIT_SETS))
    return "".join(digits[int(c)] for c in str(draw(st.integers(least, most))))


@st.composite
def written_date(draw) -> str:
    year, month, day = draw(written_number(1990, 2999)), draw(written_number(0, 13)), draw(written_number(0, 32))
    return draw(st.sampled_from([f"{year}-{month}-{day}", f"{year}/{month}/{day}", f"{year}.{month}.{day}",
                                 f"{year}年{month}月{day}日", f"{year}-{month}", f"{year}-{month}-{day}-{day}",
                                 f"{year}{month}{day}"]))


FACT = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=False, allow_infinity=False),
                 st.text(max_size=24), written_number(0, 10**6), written_date(),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@given(st.dictionaries(st.sampled_from(["agency", "agency_code", "year", "published", "dated", "kind"]), FACT),
       st.one_of(st.just("2021"), written_number(1990, 2999), FACT), st.sampled_from(COMMANDS))
def test_any_report_facts_through_any_command(tmp_path_factory, facts, version, command):
    """Found so: a version of four Ethiopic digits, and a date written 2025/1/20 rendered to Word, were tracebacks."""
    document = copy.deepcopy(HUAIAN)
    document["report"].update(facts)
    document["version"] = version
    run_command(tmp_path_factory.mktemp("fuzz"), "report.json", json.dumps(document, ensure_ascii=False).encode(),
                command)


# --- known answers: a report that passes, with one value of an identity changed, fails everywhere -----

def _identity_cells() -> list[str]:
    """Cells with a non-zero weight in an error-level equality: changing one alone breaks that equality."""
    cells = set()
    for check in SPEC.checks:
        comparison = check.comparison
        if check.rule.decl.severity != "error" or comparison is None or comparison.op != "==":
            continue
        left, right = comparison.left.coefficients, comparison.right.coefficients
        cells |= {cell for cell in set(left) | set(right) if left.get(cell, 0) != right.get(cell, 0)}
    return sorted(cells)


IDENTITY_CELLS = _identity_cells()
FORMATS = {
    "json": lambda doc: ("r.json", json.dumps(doc, ensure_ascii=False).encode()),
    "jsonl": lambda doc: ("r.jsonl", (json.dumps(HUAIAN, ensure_ascii=False) + "\n"
                                      + json.dumps(doc, ensure_ascii=False) + "\n").encode()),
    "csv-wide": lambda doc: ("r.csv", _wide(doc).encode("utf-8")),
    "html": lambda doc: ("r.html", _render(doc, "html")),
    "docx": lambda doc: ("r.docx", _render(doc, "docx")),
    "xlsx": lambda doc: ("r.xlsx", _render(doc, "xlsx")),
}


def _wide(document: dict) -> str:
    from govspec.io.writers import to_csv_wide
    return to_csv_wide(SPEC, [document])


def _render(document: dict, fmt: str) -> bytes:
    from govspec.check.report import validate_document
    from govspec.present.render import render_html
    from govspec.present.word import report_docx
    from govspec.present.workbook import report_workbook
    if fmt == "docx":
        return report_docx(SPEC, document)
    if fmt == "xlsx":
        return report_workbook(SPEC, document)
    report = validate_document(copy.deepcopy(document), "r.json", keep_values=True)
    return render_html(report, document, "zh").encode("utf-8")


@given(st.sampled_from(IDENTITY_CELLS), st.integers(-10**30, 10**30).filter(bool), st.sampled_from(sorted(FORMATS)),
       st.sampled_from([COMMANDS[0], COMMANDS[1], COMMANDS[2], COMMANDS[3], COMMANDS[7]]))
def test_a_broken_identity_fails_in_every_format_and_command(tmp_path_factory, cell, delta, fmt, command):
    table, row, column = cell.split(".")
    document = copy.deepcopy(HUAIAN)
    document["tables"][table][row][column] += delta
    name, data = FORMATS[fmt](document)
    result = run_command(tmp_path_factory.mktemp("fuzz"), name, data, command)
    assert result.exit_code == 1, (cell, delta, fmt, result.output[-800:])


@given(st.sampled_from(sorted(FORMATS)), st.sampled_from([COMMANDS[0], COMMANDS[1], COMMANDS[3], COMMANDS[7]]))
def test_the_unchanged_report_passes_in_every_format_and_command(tmp_path_factory, fmt, command):
    name, data = FORMATS[fmt](copy.deepcopy(HUAIAN))
    assert run_command(tmp_path_factory.mktemp("fuzz"), name, data, command).exit_code == 0


# --- hostile HTML: numbers are never joined, hidden or commented text is never read --------------------

HEAD = ("<h1>淮安市人民政府2024年度政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>"
        "<tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
        "<td>现行有效件数</td></tr>")
VISIBLE = st.integers(0, 888).map(str).filter(lambda text: "9" not in text)  # 9 is kept for what is not shown
GAPS = st.sampled_from(["<br>", "<br/>", "<sup>", "</sup>", "<sub>", "</sub>", " ", "\n", "&nbsp;", "\u3000",
                        "<p>", "</p>", "<div>", "</div>"])  # <b>, <span>: no gap
UNSHOWN = st.sampled_from(['<div style="display:none">9</div>', "<span hidden>99</span>", "<!--999-->",
                           "<script>9</script>", "<style>p{x:9}</style>", '<td style="display: none">9</td>'])
CELL = st.lists(VISIBLE | GAPS | UNSHOWN, min_size=1, max_size=6).map("".join)


@given(st.lists(st.tuples(st.sampled_from(["规章", "行政规范性文件"]), st.lists(CELL, min_size=3, max_size=3)),
                min_size=1, max_size=2))
def test_hostile_html_never_invents_a_number(rows):
    """Cells made of numbers, the gaps between them (breaks, superscripts, spaces, blocks) and content a
    browser does not show: every value read is one run of digits as written, and nothing unshown is read."""
    page = HEAD + "".join(f"<tr><td>{label}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
                          for label, cells in rows) + "</table>"
    shown = {int(run) for run in re.findall(r"\d+", page) if "9" not in run}  # as written, 9s are unshown
    result = extract_tokens(tokens_from_html(page), "fuzz.html")
    for cell_id, value in result.values.items():
        if isinstance(value, int):
            assert value in shown, (cell_id, value, page)


# --- specs: a damaged spec through every command that reads one ---------------------------------------

SPEC_FILE = ROOT / "specs" / "gov-info-disclosure-2021.yaml"
SPEC_COMMANDS = [
    ["spec", "lint", "{in}"],
    ["spec", "lint", "{in}", "--format", "json"],
    ["spec", "show", "{in}", "--format", "json"],
    ["spec", "diff", "gov-info-disclosure@2021", "{in}", "--format", "markdown"],
    ["template", "--spec", "{in}", "--format", "csv-wide"],
    ["template", "--spec", "{in}", "--format", "xlsx", "-o", "{out}/t.xlsx"],
    ["validate", str(ROOT / "examples" / "huaian-city-2024.json"), "--spec", "{in}", "--format", "json"],
    ["render", str(ROOT / "examples" / "huaian-city-2024.json"), "--spec", "{in}"],
]


@given(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["flip", "delete", "insert", "cut"]),
                          st.sampled_from([b"", b":", b"- ", b"  ", b"\n", b"{", b"*a", b"&a ", b"!!python/object ",
                                           b"sum(", b"==", b"1e999", b"9" * 50, b"\xff"])), min_size=1, max_size=3),
       st.sampled_from(SPEC_COMMANDS))
def test_any_damaged_spec_through_any_command(tmp_path_factory, changes, command):
    changes = [(where, what, extra) for where, what, extra in changes]
    run_command(tmp_path_factory.mktemp("fuzz"), "spec.yaml", _damage(SPEC_FILE.read_bytes(), changes), command)
