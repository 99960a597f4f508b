"""Word 2003 XML (WordprocessingML 2003): a document Word saved as "XML Document", and what systems that fill in a Word
template write — often named .doc.  One XML file holding the document's body and styles under the 2003 names, which are
the .docx's elements under another namespace; so it is read by the .docx's reader (:mod:`govspec.extract.word`), its
elements given the .docx's names (``w:vmerge`` is ``w:vMerge``) and Word's hints that wrap the body's paragraphs and
tables (``wx:sect``, ``wx:sub-section``, ``wx:pBdrGroup``) read through.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from govspec.errors import InstanceError
from govspec.extract.grid import Item

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
    if "<!DOCTYPE" in text[:4096] or "<!ENTITY" in text:
        raise InstanceError("the Word 2003 XML document declares XML entities, which Word never writes: refused",
                            zh="Word 2003 XML 文档声明了 XML 实体（Word 从不如此）：拒绝读取", source=source)
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise InstanceError(f"the Word 2003 XML document is broken ({exc})", zh=f"Word 2003 XML 文档已损坏（{exc}）",
                            source=source) from None
    if root.tag != f"{WORDML}wordDocument":
        raise InstanceError("the XML file is not a Word 2003 document (its root is not w:wordDocument)",
                            zh="该 XML 文件不是 Word 2003 文档（根元素不是 w:wordDocument）", source=source)
    from govspec.extract.word import W, read_body, renamed  # here: every text file is asked is_wordml, few are
    from govspec.extract.word_styles import read_styles
    renamed(root, WORDML, RENAMED, WRAPPERS)
    return read_body(root.find(f"{W}body"), read_styles(root.find(f"{W}styles")))
