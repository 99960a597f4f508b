"""The generated reference pages are current, and the docs mention what the code defines."""

import re
from pathlib import Path

import pytest

import govspec
from govspec.tools import docgen

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("name", sorted(docgen.PAGES))
def test_generated_page_is_current(name):
    assert (DOCS / name).read_text(encoding="utf-8") == docgen.PAGES[name](), \
        f"docs/{name} is stale: run python -m govspec.tools.docgen"


def test_docgen_makes_the_folder_it_writes_to_and_says_when_it_cannot(tmp_path, capsys):
    target = tmp_path / "new" / "docs"
    assert docgen.main([str(target)]) == 0
    assert sorted(p.name for p in target.iterdir()) == sorted(docgen.PAGES)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert docgen.main([str(tmp_path / "file" / "docs")]) == 2 and "cannot make the folder" in capsys.readouterr().err


def test_every_doc_link_in_readme_exists():
    for target in re.findall(r"\]\((docs/[^)#]+)", README.read_text(encoding="utf-8")):
        assert (README.parent / target).is_file(), target


def test_exit_codes_documented_in_readme_and_cli_doc():
    for text in (README.read_text(encoding="utf-8"), (DOCS / "cli.md").read_text(encoding="utf-8")):
        for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
            assert code in text


def test_rule_language_doc_examples_parse():
    """Every example in a ```rule block of docs/rules.md is valid rule text."""
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    examples = [line for block in re.findall(r"```rule\n(.*?)```", text, re.S) for line in block.splitlines()
                if line.strip() and not line.startswith("#")]
    assert len(examples) >= 8
    for example in examples:
        govspec.rules.parse(example)
