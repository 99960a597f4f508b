"""Extraction quality on the labelled corpus of real published reports (not a speed benchmark).

    python benchmarks/bench_extract.py [CORPUS_DIR]     # default: ../shared/corpus beside the checkout
    python benchmarks/bench_extract.py --documents [DIR]  # PDF, Word, Excel (default: tests/documents)
    python benchmarks/bench_extract.py --full-width [CORPUS_DIR]  # the corpus with its punctuation full width

For each NNN.txt with its NNN.json (the cells a careful reader sees; see the corpus README), prints
per file and overall: cell precision (extracted numbers equal to the labelled ones), recall (labelled
numbers extracted), invented values (numbers extracted for cells the label does not have), and
template detection (right version, where a table header is visible).  A labelled blank may come out
as blank or 0.  The latest figures are kept in docs/extraction.md.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import govspec
from govspec.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent


def cell_index(spec) -> dict:
    """Corpus label keys (table, block, row path, column path) → cell id."""
    index = {}
    for cell in spec.cells:
        p = cell.label_path("zh")
        table = {"proactive_disclosure": "二", "applications": "三", "review_litigation": "四"}[cell.table.id]
        for row in (p["row"], *cell.row.aliases):  # an extension's relabelled row keeps the national label
            if table == "二":
                key = (table, p["block"], row, p["column"])
            elif table == "三":
                groups = [g for g in p["row_groups"] if g != "三、本年度办理结果"]
                key = (table, None, "/".join(groups + [row]), p["column"])
            else:
                key = (table, None, "", "/".join(p["column_groups"] + [p["column"]]))
            index.setdefault(key, cell.id)
    return index


def score(corpus: Path) -> dict:
    """Every labelled file of a corpus folder (NNN.json beside the file it labels)."""
    pairs = []
    for label_path in sorted(corpus.glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        pairs.append((label, corpus / label["file"]))
    return score_pairs(pairs)


def documents(folder: Path) -> list:
    """The labelled documents: the real 淮安 PDF, and the made DOCX, DOC, PDF, XLSX and XLS of its values."""
    label = json.loads((folder / "huaian-city-2024.json").read_text(encoding="utf-8"))
    names = ["huaian-city-2024.pdf", "made-huaian-city-2024.docx", "made-huaian-city-2024.doc", "made-huaian-city-2024.pdf",
             "made-huaian-city-2024.xlsx", "made-huaian-city-2024.xls"]
    return [(dict(label, file=name), folder / name) for name in names if (folder / name).exists()]


# The corpus folds full-width punctuation to ASCII; real pages print it full width (brackets, colons, marks, the point
# after a row's number).  Pipes and table separators are the converter's, not the page's: they stay.
FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", "/": "／", "-": "－", "_": "＿", "?": "？",
                            "!": "！"})


def full_width(text: str) -> str:
    """The text as the page printed it, with full-width punctuation."""
    out = []
    for line in text.splitlines():
        if not re.fullmatch(r"\|?\s*:?-{3,}.*", line.strip()):
            line = line.translate(FULL_WIDTH)
            line = re.sub(r"(?<=[\u4e00-\u9fff]),", "，", line)
            line = re.sub(r"(?<=\d)\.(?=[\u4e00-\u9fff])", "．", line)
        out.append(line)
    return "\n".join(out) + "\n"


def full_width_corpus(corpus: Path, folder: Path) -> Path:
    """A copy of ``corpus`` in ``folder`` with each text made :func:`full_width` (its labels as they are)."""
    for label_path in corpus.glob("*.json"):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        (folder / label["file"]).write_text(full_width((corpus / label["file"]).read_text(encoding="utf-8")),
                                            encoding="utf-8")
        (folder / label_path.name).write_bytes(label_path.read_bytes())
    return folder


def score_pairs(pairs: list) -> dict:
    indexes = {s.spec.ref: cell_index(s) for s in govspec.list_specs()}
    totals = {"labelled": 0, "extracted": 0, "correct": 0, "recalled": 0, "invented": 0,
              "templates": 0, "templates_right": 0}
    rows = []
    for label, text_path in pairs:
        result = extract_file(text_path)
        # an extension (湖北 2020) follows its base's layout: score it as the base's version
        base = result.spec.spec.extends if result.spec and result.spec.spec.extends else None
        got_template = base.split("@")[1] if base else (result.spec.version if result.spec else None)
        want_template = label["template"]
        ref = result.spec.spec.ref if result.spec else f"gov-info-disclosure@{want_template}"
        index = indexes.get(ref, {}) if got_template == want_template else {}
        labelled = {}
        for cell in label["cells"]:
            cell_id = index.get((cell["table"], cell.get("block"), cell["row"], cell["column"]))
            if cell_id is None:
                cell_id = f"?{cell['table']}/{cell.get('block')}/{cell['row']}/{cell['column']}"
            labelled[cell_id] = cell["value"]
        numbers = {k: v for k, v in result.values.items() if v is not None}
        if got_template != want_template:
            numbers = {f"wrong-template:{k}": v for k, v in numbers.items()}
        correct = sum(1 for k, v in numbers.items() if k in labelled and labelled[k] is not None
                      and Decimal(str(v)) == Decimal(str(labelled[k])))
        wrong = [k for k, v in numbers.items() if k in labelled and labelled[k] is not None
                 and Decimal(str(v)) != Decimal(str(labelled[k]))]
        blank_zero = sum(1 for k, v in numbers.items() if k in labelled and labelled[k] is None and v == 0)
        invented = [k for k in numbers if k not in labelled]
        want_numbers = [k for k, v in labelled.items() if v is not None]
        recalled = sum(1 for k in want_numbers if k in numbers and Decimal(str(numbers[k])) == Decimal(str(labelled[k])))
        extracted = len(numbers) - blank_zero
        row = {"file": label["file"], "template": f"{got_template}/{want_template}", "labelled": len(want_numbers),
               "extracted": extracted, "correct": correct, "recalled": recalled, "invented": len(invented),
               "wrong": wrong[:3], "invented_cells": invented[:3]}
        rows.append(row)
        totals["labelled"] += len(want_numbers)
        totals["extracted"] += extracted
        totals["correct"] += correct
        totals["recalled"] += recalled
        totals["invented"] += len(invented)
        if want_template is not None:
            totals["templates"] += 1
            totals["templates_right"] += got_template == want_template
    return {"rows": rows, "totals": totals}


def main() -> None:
    if sys.argv[1:2] == ["--documents"]:
        folder = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "tests" / "documents"
        result = score_pairs(documents(folder))
    elif sys.argv[1:2] == ["--full-width"]:
        corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "corpus"
        with tempfile.TemporaryDirectory() as folder:
            result = score(full_width_corpus(corpus, Path(folder)))
    else:
        corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
        result = score(corpus)
    print(f"{'file':<30}{'template got/want':<20}{'labelled':>9}{'extracted':>10}{'correct':>8}{'recalled':>9}"
          f"{'invented':>9}  notes")
    for row in result["rows"]:
        notes = ""
        if row["wrong"]:
            notes += f"wrong: {', '.join(row['wrong'])} "
        if row["invented_cells"]:
            notes += f"invented: {', '.join(row['invented_cells'])}"
        print(f"{row['file']:<30}{row['template']:<20}{row['labelled']:>9}{row['extracted']:>10}{row['correct']:>8}"
              f"{row['recalled']:>9}{row['invented']:>9}  {notes}")
    t = result["totals"]
    precision = t["correct"] / t["extracted"] if t["extracted"] else 1.0
    recall = t["recalled"] / t["labelled"] if t["labelled"] else 1.0
    print()
    print(f"precision {precision:.2%} ({t['correct']}/{t['extracted']}), target ≥ 99.5%")
    print(f"recall    {recall:.2%} ({t['recalled']}/{t['labelled']}), target ≥ 98%")
    print(f"invented  {t['invented']}, target 0")
    print(f"template  {t['templates_right']}/{t['templates']} files with a visible table header, target all")


if __name__ == "__main__":
    main()
