"""Limits on document files, so that a hostile file is refused with a message instead of exhausting
memory or time: zip members, uncompressed sizes, compression ratios, pages and cells."""

from __future__ import annotations

import io
import zipfile

from govspec.errors import InstanceError
from govspec.io.archives import MAX_MEMBER_BYTES, MAX_RATIO, ZIP_ERRORS  # a .docx/.xlsx part: as a .zip member

MAX_PAGES = 500                   # pages of a PDF
MAX_LINES = 5_000                 # ruling lines drawn on one PDF page (a report's page draws a few hundred)
MAX_PATH_SEGMENTS = 100_000       # segments of the paths drawn on one PDF page (a report's page: a few thousand)
MAX_PAGE_CHARS = 100_000          # characters printed on one PDF page (a dense page of a report: a few thousand)
MAX_CELLS = 2_000_000             # cells of a workbook
MAX_TEXT_CHARS = 2_000_000        # characters of a published report's text, as read (a report's: tens of thousands)


ZH_KIND = {"a Word document": "Word 文档", "a workbook": "工作簿"}


def check_text(characters: int) -> None:
    """Refuse a report whose text (its cells and lines, as read) is longer than :data:`MAX_TEXT_CHARS`: text is cut
    into words and compared in Python, so 10 MB of it took 45 s and 1 GB.  InstanceError (the caller names the
    file)."""
    if characters > MAX_TEXT_CHARS:
        raise InstanceError(f"the text holds {characters} characters (limit {MAX_TEXT_CHARS}; a report's text holds "
                            "tens of thousands): refused",
                            zh=f"文本有 {characters} 个字符（上限 {MAX_TEXT_CHARS}；一份报告的文字不过数万字）：拒绝读取")


def check_cells(cells: int, source: str | None = None, tables: bool = False) -> None:
    """Refuse a workbook (``tables``: a document's tables) of more than :data:`MAX_CELLS` cells."""
    if cells > MAX_CELLS:
        if tables:
            raise InstanceError(f"the document's tables hold more than {MAX_CELLS} cells: refused",
                                zh=f"文档中的表格超过 {MAX_CELLS} 个单元格：拒绝读取", source=source)
        raise InstanceError(f"the workbook has more than {MAX_CELLS} cells: refused",
                            zh=f"工作簿超过 {MAX_CELLS} 个单元格：拒绝读取", source=source)


def holds_member(raw: bytes, name: str) -> bool:
    """Whether a zip container (.docx, .odt) holds the member ``name`` (its directory read once it is known to be
    one)."""
    return name in zipfile.ZipFile(io.BytesIO(raw)).namelist()


def open_zip_member(raw: bytes, name: str, source: str, what: str) -> bytes:
    """The bytes of one member of a zip container (.docx, .xlsx), within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        info = archive.getinfo(name)
    except (KeyError, *ZIP_ERRORS):
        raise InstanceError(f"not {what}: {name} is missing or the file is damaged",
                            zh=f"不是{ZH_KIND.get(what, what)}：缺少 {name}，或文件已损坏", source=source) from None
    if info.file_size > MAX_MEMBER_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1_000_000:
        raise InstanceError(f"{name} unpacks to {info.file_size} bytes (limit {MAX_MEMBER_BYTES}, or "
                            f"{MAX_RATIO} times its packed size): refused as a zip bomb",
                            zh=f"{name} 解压后有 {info.file_size} 字节（上限 {MAX_MEMBER_BYTES}，或压缩大小的 {MAX_RATIO} 倍）："
                            "疑为压缩炸弹，拒绝读取", source=source)
    try:
        return archive.read(info)
    except ZIP_ERRORS as exc:
        raise InstanceError(f"cannot unpack {name}: {exc}", zh=f"无法解压 {name}（{exc}）", source=source) from None
