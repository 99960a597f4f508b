"""The auditor's pages in a real browser (headless Chromium): what a person sees.

CI installs Debian's chromium (.ci/run); elsewhere these tests are skipped when it is missing, but
under CI=true a missing browser fails them.
"""

import html
import json
import os
import random
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import govspec
from govspec.cli.main import main
from govspec.rules.solver import random_instance, solver

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")

    def dom(path: Path, fragment: str = "") -> str:
        result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000",
                                 "--dump-dom", path.resolve().as_uri() + fragment],
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout
    return dom


class Page(HTMLParser):
    """What the tests look at: marked and plain value cells, the rows of the report table, the summary."""

    def __init__(self, text: str):
        super().__init__()
        self.marked, self.plain, self.rows, self.numbers = [], [], [], {}
        self._number = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-cell" in attrs:
            (self.marked if "mark-" in (attrs.get("class") or "") else self.plain).append(attrs["data-cell"])
        if tag == "tr" and "data-index" in attrs:
            self.rows.append((int(attrs["data-index"]), attrs.get("class")))
        if tag == "b" and (attrs.get("id") or "").startswith("n-"):
            self._number = attrs["id"][2:]

    def handle_data(self, data):
        if self._number:
            self.numbers[self._number] = int(data)
            self._number = None


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_rendered_report_marks_exactly_the_cells_of_the_findings(browser, tmp_path):
    page = tmp_path / "hegang.html"
    page.write_text(run("render", ROOT / "examples" / "hegang-justice-2020.json").output, encoding="utf-8")
    seen = Page(browser(page))
    rows = ("received", "carried_over", "total", "carried_forward")
    assert sorted(seen.marked) == sorted(f"applications.{r}.{c}" for r in rows for c in ("natural_person", "total"))
    assert len(seen.marked) + len(seen.plain) == 198


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    for name in ("hegang-justice-2020.json", "hegang-justice-2020-corrected.json", "huaian-city-2024.json"):
        shutil.copy(ROOT / "examples" / name, folder)
    (folder / "broken.json").write_text("{", encoding="utf-8")
    out = tmp_path_factory.mktemp("pages")
    page, data = out / "audit.html", out / "audit.json"
    result = run("audit", folder, "--html", page, "--json", data)
    assert result.exit_code == 3  # one input is unreadable
    report = json.loads(run("validate", folder, "--format", "json").output)
    return page, json.loads(data.read_text(encoding="utf-8")), report


def test_audit_page_numbers_match_the_json_report(browser, batch):
    page, data, report = batch
    seen = Page(browser(page))
    summary = report["summary"]
    assert seen.numbers == {"reports": summary["reports"], "passed": summary["passed"], "failed": summary["failed"],
                            "incomplete": summary["incomplete"], "unreadable": summary["unreadable"],
                            "accepted": summary["accepted"]}
    assert len(seen.rows) == summary["reports"]


def test_audit_page_filters_and_sorts(browser, batch):
    page, data, report = batch
    failed = Page(browser(page, "#filter=failed"))
    assert len(failed.rows) == report["summary"]["failed"] and {c for _, c in failed.rows} == {"v-failed"}
    hegang = Page(browser(page, "#q=鹤岗"))
    assert {data["reports"][i]["agency"] for i, _ in hegang.rows} == {"鹤岗市司法局"} and len(hegang.rows) == 2
    ordered = Page(browser(page, "#sort=year&dir=down"))
    years = [data["reports"][i].get("year") or 0 for i, _ in ordered.rows]
    assert years == sorted(years, reverse=True)


def test_audit_page_puts_what_to_act_on_first(browser, batch):
    page, data, report = batch
    verdicts = [c for _, c in Page(browser(page)).rows]
    assert verdicts == ["v-failed", "v-unreadable", "v-passed", "v-passed"]  # failed, then unreadable, then passed


def test_audit_page_exports_findings_as_an_accept_stub_that_works_once_filled_in(browser, batch, tmp_path):
    import re
    page, data, report = batch
    index = next(i for i, r in enumerate(data["reports"]) if r["source"].endswith("hegang-justice-2020.json"))
    dom = browser(page, f"#open={index}&stub=1")
    stub = html.unescape(re.search(r'<textarea id="stub"[^>]*>(.*?)</textarea>', dom, re.S).group(1))
    assert stub.count("- report:") == 2 and 'reason: ""' in stub
    source = next(r["source"] for r in data["reports"] if r["source"].endswith("hegang-justice-2020.json"))
    unfilled = tmp_path / "stub.yaml"
    unfilled.write_text(stub, encoding="utf-8")
    assert run("validate", source, "--accept", unfilled).exit_code == 3  # a stub is not used unread
    filled = tmp_path / "accepted.yaml"
    filled.write_text(stub.replace('reason: ""', "reason: 已核实").replace('reviewer: ""', "reviewer: 张三")
                      .replace('date: ""', "date: 2026-11-30"), encoding="utf-8")
    assert run("validate", source).exit_code == 1
    assert run("validate", source, "--accept", filled).exit_code == 0  # both findings accepted


def test_audit_page_marks_the_cells_of_the_opened_report(browser, batch):
    page, data, report = batch
    index = next(i for i, r in enumerate(data["reports"]) if r["source"].endswith("hegang-justice-2020.json"))
    seen = Page(browser(page, f"#open={index}"))
    expected = {c for f in data["reports"][index]["findings"] for c in f["cells"]}
    assert set(seen.marked) == expected and len(expected) == 8


def test_audit_page_of_5000_reports(browser, tmp_path):
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    rng = random.Random(5000)
    weighted = sorted(solver(spec).weights)
    lines = []
    for i in range(5000):
        document = random_instance(spec, rng)
        document["report"]["agency"] = f"测试机关{i:04d}"
        if i % 10 == 0:
            table, row, column = rng.choice(weighted).split(".")
            document["tables"][table][row][column] += 1
        lines.append(json.dumps(document, ensure_ascii=False))
    source = tmp_path / "batch.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = tmp_path / "audit.html"
    assert run("audit", source, "--html", page).exit_code == 1
    assert page.stat().st_size < 40_000_000
    seen = Page(browser(page, "#filter=failed&open=0"))
    assert seen.numbers["reports"] == 5000 and seen.numbers["failed"] == 500 and seen.numbers["passed"] == 4500
    assert len(seen.rows) == 500
    assert seen.marked  # the opened report (a broken one) shows its marked cells


def test_a_broken_carry_over_is_shown_on_both_reports_of_the_pair(browser, tmp_path):
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from test_across import consistent_pair
    first, second = consistent_pair()
    second["tables"]["applications"]["carried_over"]["total"] += 5
    (tmp_path / "2024.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "2025.json").write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    page, data = tmp_path / "audit.html", tmp_path / "audit.json"
    assert run("audit", tmp_path / "2024.json", tmp_path / "2025.json", "--html", page, "--json", data).exit_code == 1
    reports = json.loads(data.read_text(encoding="utf-8"))["reports"]
    earlier = next(i for i, r in enumerate(reports) if r["source"].endswith("2024.json"))
    later = next(i for i, r in enumerate(reports) if r["source"].endswith("2025.json"))
    chain = next(f for f in reports[later]["findings"] if f["check"] == "applications.carry_over_chain[total]")
    assert "(108)" in chain["equation"] and "上一年度·四、结转下年度继续办理 (103)" in chain["equation"]  # both years
    seen = html.unescape(browser(page, f"#open={earlier}"))
    assert "下一年度报告对本报告的跨年度检查" in seen
    assert f'data-open="{later}"' in seen and chain["equation"] in seen  # the later report, linked, its numbers
    back = html.unescape(browser(page, f"#open={later}"))
    assert f'data-open="{earlier}"' in back  # and the later report links back to the year before
    assert "<b>结转衔接</b> <code>applications.carry_over_chain[total]</code>" in back  # the rule's title
    assert "<code>null</code>" not in back
