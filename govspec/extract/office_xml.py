"""Office 2003's XML files — Word 2003 XML (:mod:`govspec.extract.wordml`) and XML Spreadsheet 2003
(:mod:`govspec.extract.spreadsheetml`): one XML file each, found by its root whatever the file's name, parsed within
the same bounds as a .docx's parts (no DTD or entity declarations: Word and Excel never write them)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from govspec.errors import InstanceError


def office_root(text: str, source: str, root: str, what: tuple[str, str], writer: str) -> ElementTree.Element:
    """The root element of an Office 2003 XML file, which must be ``root`` (``{namespace}name``); ``what`` names the
    file (English, Chinese); refused with why when it declares entities, is not well-formed XML, or has another root."""
    name, name_zh = what
    if "<!DOCTYPE" in text[:4096] or "<!ENTITY" in text:
        raise InstanceError(f"the {name} declares XML entities, which {writer} never writes: refused",
                            zh=f"{name_zh}声明了 XML 实体（{writer} 从不如此）：拒绝读取", source=source)
    try:
        element = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise InstanceError(f"the {name} is broken ({exc})", zh=f"{name_zh}已损坏（{exc}）", source=source) from None
    if element.tag != root:
        local = root.rpartition("}")[2]
        raise InstanceError(f"the XML file's root is not {local}: it is no {name}",
                            zh=f"该 XML 文件的根元素不是 {local}：不是{name_zh}", source=source)
    return element
