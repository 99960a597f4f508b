"""Web archives: a page saved as one file (.mht, .mhtml) — by a browser's "save as a single file", or by Word's
"single file web page" — read as the page it holds.

Such a file is MIME (RFC 2557): a block of headers naming a ``multipart/related`` body and the boundary between its
parts, then the parts — the page first (or the part the ``start`` parameter names), then its images and style sheets.
Only the page is read: its HTML, with its transfer encoding (quoted-printable, base64) undone, in the charset its part
declares when that is GB2312, GBK or GB18030 (read as GB18030, which holds the others), UTF-8 or UTF-16; otherwise as
any text file is read (:func:`govspec.io.decoding.decode`), and only then in another charset it declares (Big5, say:
a charset that reads any bytes, as Latin-1 does, would read Chinese text as other letters).  The pages of frames and
the style sheets saved as parts of their own are not read, as a page's linked style sheets are not.  The parts are
found with ``bytes.find``, and only the headers of the parts before the page are parsed, at most :data:`MAX_PARTS`.
"""

from __future__ import annotations

import binascii
import re
from typing import TYPE_CHECKING

from govspec.errors import InstanceError
from govspec.io.decoding import decode

if TYPE_CHECKING:
    from email.message import Message

MAX_PARTS = 10_000  # parts looked through for the page (a saved page holds tens to hundreds: its images)
HEAD = 1 << 16  # bytes within which the archive's own headers end
_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_RELATED = re.compile(rb"(?im)^content-type:[ \t]*multipart/related\b")
GB = ("gb2312", "gbk", "x-gbk", "cp936", "gb18030", "euc-cn", "hz-gb-2312")


def is_archive(raw: bytes) -> bool:
    """Whether ``raw`` is a web archive: headers at its start, one of them ``Content-Type: multipart/related``."""
    head = raw[:HEAD]
    end = _BLANK_LINE.search(head)
    return bool(end and _HEADER.match(head) and _RELATED.search(head, 0, end.start()))


def page_text(raw: bytes, source: str) -> str:
    """The HTML of the page a web archive holds (see the module's text); InstanceError when there is none."""
    end = _BLANK_LINE.search(raw, 0, HEAD)
    if end is None:
        raise _damaged("its headers do not end", "其信息头没有结束", source)
    headers = _headers(raw[:end.start()])
    boundary = headers.get_boundary()
    if not boundary:
        raise _damaged("it names no boundary between its parts", "未注明各部分之间的分隔符", source)
    from email.utils import collapse_rfc2231_value
    start = headers.get_param("start")
    wanted = collapse_rfc2231_value(start).strip().strip("<>") if start else None
    delimiter = b"\n--" + boundary.encode("latin-1", "replace")
    at = raw.find(delimiter, end.start())
    for _ in range(MAX_PARTS):
        if at < 0 or raw.startswith(b"--", at + len(delimiter)):  # no part left: the closing delimiter, or the end
            break
        begins = raw.find(b"\n", at + len(delimiter)) + 1 or len(raw)
        after = raw.find(delimiter, begins)
        part = raw[begins:after if after >= 0 else len(raw)].removesuffix(b"\r")
        split = _BLANK_LINE.search(part)
        head = part[:split.start()] if split else part
        if _HEADER.match(head):  # a part without headers of its own is text/plain (RFC 2046): never the page
            found = _headers(head)
            content_id = (found.get("Content-ID") or "").strip().strip("<>")
            if wanted is None or content_id == wanted:
                return _page(found, part[split.end():] if split else b"", source)
        elif wanted is None:
            break
        at = after
    else:
        raise InstanceError(f"a web archive (.mht) of more than {MAX_PARTS} parts: refused",
                            zh=f"网页归档文件（.mht）超过 {MAX_PARTS} 个部分：拒绝读取", source=source)
    raise _damaged("the page it names is not among its parts" if wanted else "it holds no page",
                   "其中没有它所注明的网页" if wanted else "其中没有网页", source)


def _headers(raw: bytes) -> Message:
    from email.parser import BytesHeaderParser  # here: sniffing a file for an archive needs none of it
    from email.policy import compat32
    return BytesHeaderParser(policy=compat32).parsebytes(raw + b"\n\n")


def _page(headers: Message, body: bytes, source: str) -> str:
    kind = headers.get_content_type()
    if kind != "text/html":
        raise InstanceError(f"the page of this web archive (.mht) is not HTML but {kind}: not read",
                            zh=f"此网页归档文件（.mht）中的网页不是 HTML，而是 {kind}：未读取", source=source)
    encoding = (headers.get("Content-Transfer-Encoding") or "").strip().lower()
    try:
        if encoding == "quoted-printable":
            body = binascii.a2b_qp(body)
        elif encoding == "base64":
            body = binascii.a2b_base64(body)
    except (binascii.Error, ValueError):
        raise _damaged(f"its page's {encoding} text is broken", f"其网页的 {encoding} 编码已损坏", source) from None
    charset = (headers.get_content_charset() or "").strip().lower()
    charset = "gb18030" if charset in GB else charset
    if charset in ("gb18030", "utf-8", "utf-16"):
        try:
            return body.decode(charset)
        except UnicodeDecodeError:
            pass  # it does not read the page: read as any text is
    try:
        return decode(body, source)[0]
    except InstanceError:
        if not charset:
            raise
    try:  # another charset declared (Big5, say): one that reads any bytes (Latin-1) is tried only after the rest
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise InstanceError(f"the page of this web archive (.mht) is not text in {charset}, UTF-8 or GB18030",
                            zh=f"此网页归档文件（.mht）中的网页不是 {charset}、UTF-8 或 GB18030 文本", source=source) from None


def _damaged(why: str, zh: str, source: str) -> InstanceError:
    return InstanceError(f"a damaged web archive (.mht): {why}", zh=f"网页归档文件（.mht）已损坏：{zh}", source=source)
