"""The formatting of an old Word file ([MS-DOC]): runs of paragraph and character properties, read from the pages
(FKP) of the ``WordDocument`` stream that the table stream lists, and their property lists (``sprm`` and operand).
Only the properties :mod:`govspec.extract.word97` weighs are named here."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

PAGE = 512  # a formatting page (FKP) of the WordDocument stream

# paragraph and table properties
IN_TABLE, TTP, ITAP, INNER_CELL, INNER_TTP, HUGE_PAPX = 0x2416, 0x2417, 0x6649, 0x244B, 0x244C, 0x6646
DEF_TABLE, DEF_TABLE_10, VERT_MERGE, CHANGE_TABS = 0xD608, 0xD606, 0xD62B, 0xC615
# character properties
DELETED, STRIKE, DOUBLE_STRIKE, VANISH, SPECIAL = 0x0800, 0x0837, 0x2A53, 0x083C, 0x0855


def runs(words: bytes, table: bytes, at: int, length: int, paragraphs: bool) -> list[tuple[int, int, bytes]]:
    """The runs of paragraph (or character) formatting: where each begins and ends in the WordDocument stream, and its
    property list, read from the pages (FKP) that ``PlcBtePapx`` (``PlcBteChpx``) lists."""
    plc = table[at:at + length]
    count = (len(plc) - 4) // 8
    if count <= 0:
        return []
    pages = struct.unpack_from(f"<{count}I", plc, 4 * (count + 1))
    found: list[tuple[int, int, bytes]] = []
    for number in dict.fromkeys(page & 0x3FFFFF for page in pages):
        page = words[number * PAGE:(number + 1) * PAGE]
        if len(page) != PAGE:
            raise ValueError("a formatting page beyond the stream")
        crun = page[PAGE - 1]
        edges = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for index in range(crun):
            if paragraphs:
                offset = 2 * page[4 * (crun + 1) + 13 * index]
                grpprl = b""
                if offset:
                    size = page[offset]
                    body = page[offset + 2:offset + 2 + 2 * page[offset + 1]] if size == 0 else \
                        page[offset + 1:offset + 2 * size]
                    grpprl = body[2:]  # after the paragraph's style
            else:
                offset = 2 * page[4 * (crun + 1) + index]
                grpprl = page[offset + 1:offset + 1 + page[offset]] if offset else b""
            found.append((edges[index], edges[index + 1], grpprl))
    found.sort(key=lambda run: run[0])
    return found


def sprms(grpprl: bytes) -> dict:
    """A property list's modifiers: each ``sprm`` with its operand (the last of a kind kept; ``sprmTVertMerge``, which
    names a cell, kept in a list)."""
    found: dict = {}
    at = 0
    while at + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, at)[0]
        at += 2
        size = _operand_size(sprm, grpprl, at)
        operand = grpprl[at:at + size]
        if sprm == VERT_MERGE:
            found.setdefault(VERT_MERGE, []).append(operand)
        else:
            found[sprm] = operand
        at += size
    return found


def _operand_size(sprm: int, grpprl: bytes, at: int) -> int:
    spra = sprm >> 13
    fixed = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}.get(spra)
    if fixed is not None:
        return fixed
    if sprm in (DEF_TABLE, DEF_TABLE_10):  # sprmTDefTable (and Word 97's sprmTDefTable10): a two-byte count
        return struct.unpack_from("<H", grpprl, at)[0] + 1
    size = grpprl[at]
    if sprm == CHANGE_TABS and size == 255:  # tab stops deleted and added, counted inside
        deleted = grpprl[at + 1]
        added = grpprl[at + 2 + 4 * deleted]
        return 1 + 1 + 4 * deleted + 1 + 3 * added
    return 1 + size


@lru_cache(maxsize=1024)  # a document's paragraphs share a few property lists
def parsed(grpprl: bytes) -> Mapping:
    """:func:`sprms`, read-only, parsed once for each property list."""
    return MappingProxyType(sprms(grpprl))


@lru_cache(maxsize=1024)  # a document's runs share a few property lists
def look(grpprl: bytes) -> tuple[bool, bool, bool]:
    found = sprms(grpprl)
    return (flag(found.get(VANISH)) or flag(found.get(DELETED)),
            flag(found.get(STRIKE)) or flag(found.get(DOUBLE_STRIKE)), flag(found.get(SPECIAL)))


def flag(operand: bytes | None) -> bool:
    """A toggle's operand: on (1, or 0x81: the opposite of its style's, which is off unless a style says otherwise)."""
    return operand is not None and operand[:1] in (b"\x01", b"\x81")


def integer(operand: bytes | None) -> int:
    return struct.unpack_from("<i", operand)[0] if operand is not None and len(operand) >= 4 else 0
