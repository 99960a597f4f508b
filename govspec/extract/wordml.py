"""Word 2003 XML (WordprocessingML 2003): a document Word saved as "XML Document", and what systems that fill in a Word
template write — often named .doc.  One XML file holding the document's body and styles under the 2003 names, which are
the .docx's elements under another namespace; so it is read by the .docx's reader (:mod:`govspec.extract.word`), its
elements given the .docx's names (``w:vmerge`` is ``w:vMerge``) and Word's hints that wrap the body's paragraphs and
tables (``wx:sect``, ``wx:sub-section``, ``wx:pBdrGroup``) read through.
"""

from __future__ import annotations

from govspec.extract.grid import Item
from govspec.extract.office_xml import office_root

WORDML = "{http://schemas.microsoft.com/office/word/2003/wordml}"
AUX = "{http://schemas.microsoft.com/office/word/2003/auxHint}"
WRAPPERS = frozenset({f"{AUX}sect", f"{AUX}sub-section", f"{AUX}pBdrGroup"})  # hints that hold paragraphs and tables
RENAMED = {"vmerge": "vMerge", "hmerge": "hMerge"}


def is_wordml(text: str) -> bool:
    """Whether a text is a Word 2003 XML document (its root ``w:wordDocument`` in the 2003 namespace)."""
    head = text[:4096]
    return "schemas.microsoft.com/office/word/2003/wordml" in head and "wordDocument" in head


def read_wordml(text: str, source: str) -> list[Item]:
    """The paragraphs and table rows of a Word 2003 XML document, in order, as a .docx's are read."""
    root = office_root(text, source, f"{WORDML}wordDocument", ("Word 2003 XML document", "Word 2003 XML 文档"), "Word")
    from govspec.extract.word import W, read_body, renamed  # here: every text file is asked is_wordml, few are
    from govspec.extract.word_styles import read_styles
    renamed(root, WORDML, RENAMED, WRAPPERS)
    return read_body(root.find(f"{W}body"), read_styles(root.find(f"{W}styles")))
