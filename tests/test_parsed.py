"""The shipped specs' parsed copies (govspec.spec.parsed): current, used only while current, never different."""

import json
from pathlib import Path

import pytest

from govspec.spec import parsed, resolver
from govspec.spec.yamlsource import read_spec_document
from govspec.tools import parsed as tool

SHIPPED = sorted(resolver.specs_dir().glob("*.yaml"))
SPEC_2021 = next(p for p in SHIPPED if p.name == "gov-info-disclosure-2021.yaml")


@pytest.fixture()
def copies(tmp_path, monkeypatch):
    """A folder of parsed copies of its own."""
    monkeypatch.setattr(parsed, "FOLDER", tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_spec_has_a_copy_made_from_the_file_as_it_is(path):
    kept = parsed.copy_path(path)
    assert kept.is_file(), f"{kept} is missing: run python -m govspec.tools.parsed"
    assert kept.read_text(encoding="utf-8") == parsed.copy_text(parsed.made(path)), \
        f"{kept} is out of date: run python -m govspec.tools.parsed"
    doc, read = parsed.document(path), read_spec_document(path)
    assert parsed.same(doc.data, read.data) and dict(doc.marks) == read.marks and doc.source == read.source


def test_no_copy_is_kept_of_a_spec_that_is_not_shipped():
    assert {p.name for p in parsed.FOLDER.glob("*.json")} == {parsed.copy_path(p).name for p in SHIPPED}


def test_a_copy_is_read_while_the_file_is_as_it_was_made_from(copies):
    copy = parsed.made(SPEC_2021)
    copy["data"]["title"] = "from the copy"
    copy["header"]["title"] = "from the copy's header"
    parsed.copy_path(SPEC_2021).write_text(parsed.copy_text(copy), encoding="utf-8")
    assert parsed.document(SPEC_2021).data["title"] == "from the copy"  # so the copy is what a run reads
    assert parsed.header(SPEC_2021)["title"] == "from the copy's header"  # the catalogue reads the first line only
    parsed.document(SPEC_2021).data["title"] = "changed by a caller"
    assert parsed.document(SPEC_2021).data["title"] == "from the copy"  # each document's data is its own


@pytest.mark.parametrize("damage", ["digest", "json", "marks", "lines", "data", "header", "one line", "none"])
def test_a_file_changed_since_its_copy_or_a_damaged_or_missing_copy_is_read_as_yaml(copies, damage):
    copy = parsed.made(SPEC_2021)
    copy["data"]["title"] = "from the copy"
    text = parsed.copy_text(copy)
    if damage == "digest":  # the file changed since the copy was made
        text = parsed.copy_text({**copy, "blake2b": parsed.digest(b"another file")})
    elif damage == "json":
        text = text[:-10]
    elif damage == "marks":
        text = parsed.copy_text({**copy, "marks": [[1]]})
    elif damage == "data":
        text = parsed.copy_text({k: v for k, v in copy.items() if k != "data"})
    elif damage == "lines":
        text = parsed.copy_text({**copy, "marks": [["1", 1, "id"]]})
    elif damage == "header":
        text = parsed.copy_text({**copy, "header": None})
    elif damage == "one line":  # the whole copy on one line, as copies were once written
        text = json.dumps(copy, ensure_ascii=False)
    if damage != "none":
        parsed.copy_path(SPEC_2021).write_text(text, encoding="utf-8")
    doc, read = parsed.document(SPEC_2021), read_spec_document(SPEC_2021)
    assert doc.data == read.data and dict(doc.marks) == read.marks and doc.data["title"] != "from the copy"
    assert parsed.header(SPEC_2021) is None or damage in ("json", "marks", "data", "lines", "one line")


def test_same_tells_apart_what_python_calls_equal():
    assert parsed.same({"a": [1, "x", None]}, {"a": [1, "x", None]})
    assert not parsed.same(1, 1.0) and not parsed.same(1, True) and not parsed.same({"a": 1, "b": 2}, {"b": 2, "a": 1})


def test_data_that_json_would_not_give_back_gets_no_copy(tmp_path):
    spec = tmp_path / "keys.yaml"
    spec.write_text("id: x\nversion: '1'\nyears:\n  2019: a\n", encoding="utf-8")  # an integer key
    assert parsed.made(spec) is None


def test_the_tool_writes_the_copies_the_package_holds(copies, capsys):
    (copies / "gone-1999.json").write_text("{}", encoding="utf-8")
    assert tool.main([]) == 0
    for path in SHIPPED:
        mine = parsed.copy_path(path)
        assert mine.read_bytes() == (Path(tool.__file__).parent.parent / "spec" / "parsed" / mine.name).read_bytes()
    assert not (copies / "gone-1999.json").exists() and "removed" in capsys.readouterr().out
    assert tool.main(["extra"]) == 2


def test_a_copys_marks_are_made_when_first_read_and_then_behave_as_a_dict():
    doc, read = parsed.document(SPEC_2021), read_spec_document(SPEC_2021)
    assert isinstance(doc.marks, parsed.Marks) and doc.marks._listed is not None  # not made yet
    assert doc.position(("id",)) == read.position(("id",)) and doc.marks._listed is None
    assert doc.error("x", ("rules", 0, "nowhere")).line == read.error("x", ("rules", 0, "nowhere")).line
    doc.marks[("new",)] = (1, 1)
    assert doc.marks[("new",)] == (1, 1) and len(doc.marks) == len(read.marks) + 1
    del doc.marks[("new",)]
    assert dict(doc.marks) == read.marks and list(doc.marks) == list(read.marks)
