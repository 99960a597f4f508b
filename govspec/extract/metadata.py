"""The report's own facts in the text around the tables: agency and year from the title (on one line or
two), the date under the closing signature — recorded as ``report.dated``: the report's date, which is
not necessarily the day it was published — and the day it was published (``report.published``) where the page that
publishes it says so over it (``发布时间：2022-01-26``), as the publisher's own statement."""

from __future__ import annotations

import itertools
import re
import unicodedata

from govspec.extract.tokens import UNKNOWN, Token
from govspec.io.chinese import simplified
from govspec.io.values import read_date

_TITLE = re.compile(r"^\s*([^\s，。,、;；:：]{2,40}?)\s*(\d{4})\s*年(?:度)?(?:政府)?(?:信息公开|政务公开)")
_YEAR_TITLE = re.compile(r"(\d{4})\s*年(?:度)?(?:政府)?(?:信息公开|政务公开)\S*年度报告")
# the year first, or last in brackets: 2024年淮安市人民政府政府信息公开工作年度报告, 淮安市教育局政府信息公开工作年度报告
# （2024年度）; the body's name never the report's own words (2019年政府信息公开工作年度报告 names no body)
_NAME = r"((?!政府信息公开|政务公开|政府政务公开)[^\s，。,、;；:：\d（）()]{2,40}?)(政府)?(?:信息公开|政务公开)[^\s（(]*年度报告"
_YEAR_FIRST = re.compile(r"^(\d{4})年(?:度)?" + _NAME + "$")
_YEAR_LAST = re.compile("^" + _NAME + r"[（(](\d{4})年(?:度)?[）)]$")
# a body's name that ends as a department's does: 政府信息公开 after it is the report's words, not part of its name
_DEPARTMENT = ("政府", "局", "委", "委员会", "办", "办公室", "厅", "院", "署", "会", "中心", "所", "站", "队", "处", "室",
               "馆", "部", "社")
_NUMERAL_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
_NUMERALS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
META = "meta PubDate"  # where the HTML reader puts the date a page's metadata gives (govspec.extract.webpage)
# the line a site prints over an article: 发布时间：2022-01-26 10:20　来源：…, 发布日期：2022年1月26日, 公开日期：2022/1/26
_LABEL_ALONE = re.compile(r"\s*(?:发布|公开)(?:日期|时间)\s*[:：]?\s*")
_PUBLISHED = re.compile(r"(?:(?:发布|公开)(?:日期|时间)|^PubDate)\s*[:：]\s*"
                        r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?)(?!\d)")


def _short(text: str) -> bool:
    """Whether a line may be a title (at most 60 characters, as compared below, once made plain): most lines are
    not, and are passed over without converting them (a text of long lines before its body costs no more than
    reading it)."""
    return len(text) <= 60 or len(text) - text.count(" ") - text.count("#") - text.count("*") <= 64


def _ideographs(text: str) -> str:
    """A name with the Kangxi radicals and compatibility ideographs a PDF's fonts print for common characters (``⼈``
    U+2F08 for 人, ``⼯`` for 工) as those characters: the same name, which the body's other reports spell so."""
    return "".join(unicodedata.normalize("NFKC", c) if "\u2f00" <= c <= "\u2fdf" or "\uf900" <= c <= "\ufaff" else c
                   for c in text)


def _plain(text: str) -> str:
    """A line as a title is compared: simplified, without spaces or a Markdown heading's or bold's marks, a year written
    in numerals (二〇二四年) in digits."""
    plain = simplified(text).replace(" ", "").lstrip("#").strip("*_")  # Markdown's bold, **…** or __…__
    return _NUMERAL_YEAR.sub(lambda year: year[0].translate(_NUMERALS), plain) if "年" in plain else plain


MAX_HEAD = 2_000  # the tokens just before a report's body looked through for its title (a page's navigation comes first)


def _title(head: list[str]) -> dict:
    """Agency and year from the title nearest the end of ``head``: on one line, else over two (the body's name above
    "2024年…年度报告", as PDFs set it; one line first, so that a site's name is never taken into the body's); or the year
    alone, from a title without the body's name."""
    singles = [text for text in reversed(head) if _short(text)]
    pairs = [first + second for first, second in reversed(list(zip(head, head[1:])))
             if "年度报告" not in first and _short(first + second)]
    for text in singles + pairs:
        title = _plain(text)
        match = _TITLE.search(title)
        if match and len(title) <= 60 and "年度报告" in title:
            return _named(match)
    for text in singles + pairs:  # the year before the body's name, or after the title in brackets
        title = _plain(text)
        if len(title) <= 60 and (match := _YEAR_FIRST.match(title) or _YEAR_LAST.match(title)):
            return _year_apart(match)
    # A title cut before its last words by a column beside it (a page with a sidebar, printed to PDF: the lines of
    # both columns interleave, a wide gap between them): "…2024年政府信息公开工作", then "年度报告" a few pieces on.
    # Taken only when no other piece reads as a title of another body or year — the sidebar's link to last year's
    # report may be cut too.
    pieces = [_plain(piece) for text in head if _short(text) for piece in text.split()]
    titles = {tuple(_named(match).items()) for piece in pieces if (match := _TITLE.search(piece))}
    cut = [i for i, piece in enumerate(pieces) if piece.endswith("工作") and _TITLE.search(piece)
           and "年度报告" in pieces[i + 1:i + 4]]
    if cut and len(titles) == 1:
        return dict(titles.pop())
    year = next((m for text in singles if (m := _YEAR_TITLE.match(_plain(text))) and len(text) <= 60), None)
    return {"year": int(year.group(1))} if year is not None else {}


def _year_apart(match: re.Match) -> dict:
    """Agency and year of a title whose year is not between them (``_YEAR_FIRST``, ``_YEAR_LAST``): the 政府 before
    信息公开 is the body's when its name does not end as a department's does (淮安市人民政府信息公开: 淮安市人民政府;
    淮安市教育局政府信息公开: 淮安市教育局)."""
    first = match.re is _YEAR_FIRST
    agency, government, year = (match[2], match[3], match[1]) if first else (match[1], match[2], match[3])
    if government and not agency.endswith(_DEPARTMENT):
        agency += government
    return _named_as(agency, int(year))


def _named(match: re.Match) -> dict:
    """Agency and year of a title (``_TITLE``'s match): "关于2021年度…的年度报告" names no body; "某某局关于2021年度…"
    names 某某局; a name is never read in part."""
    return _named_as(match.group(1), int(match.group(2)))


def _named_as(name: str, year: int) -> dict:
    agency = _ideographs(name.strip("《》“”\"").removesuffix("关于"))
    found: dict = {"year": year}
    if agency and not agency[0].isdigit() and UNKNOWN not in agency:
        found = {"agency": agency, **found}
    return found


MAX_REGIONS = 8  # stretches between the first headings looked through for a title when none comes before them (a list
# of the six sections before the title makes seven)


def report_metadata(tokens: list[Token], headings: frozenset[str] = frozenset()) -> tuple[dict, dict]:
    """Agency, year and dates of a report, and where each date was read when the page states it (``{"report.published":
    {"where", "text"}}``); ``headings``: the sections' headings, normalised (``一、总体情况`` … ``六、其他需要报告的事项``),
    which tell where the report's body begins and ends."""
    report: dict = {}
    said: dict = {}
    shown = [i for i, t in enumerate(tokens) if t.kind == "text" and t.norm in headings]
    # The title nearest before the body — a whole page's title comes after its navigation, and a list of the site's
    # other reports (another year) may come first. Where that holds none (a list of the report's sections set before
    # its title), the text between the first headings, in order.
    regions = zip([-1, *shown], shown) if shown else [(-1, 40)]
    for start, end in itertools.islice(regions, MAX_REGIONS):
        found = _title([t.text for t in tokens[max(start + 1, end - MAX_HEAD):end] if t.text.strip()])
        if found:
            report.update(found)
            break
    stated = _published(tokens[:shown[0]], report.get("year")) if shown else None
    if stated is not None:
        report["published"], said["report.published"] = stated
    # the date under the closing signature: the report's own date, not necessarily its publication — the first date
    # alone on its line after the last section's heading (a page's links and footer come after it), else among the
    # text's last lines
    after = tokens[shown[-1] + 1:] if shown else list(reversed(tokens[-15:]))
    for token in after:
        match = _DATE.fullmatch(token.text.replace(" ", ""))
        if match:
            report["dated"] = f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"
            break
    return report, said


def _published(head: list[Token], year: int | None) -> tuple[str, dict] | None:
    """The day the page says it published the report, in the lines before the report's body (a site's links to other
    articles, with dates of their own, come after it): one date, after the end of the report's year (an annual report
    is published once its year is over), with where it was read, or None — none stated, or several that differ: never
    a guess."""
    found: dict = {}
    for at, token in enumerate(head):
        if token.kind != "text" or "发布" not in token.text and "公开" not in token.text and token.where != META:
            continue
        text = token.text
        if _LABEL_ALONE.fullmatch(text) and at + 1 < len(head) and head[at + 1].line == token.line:
            # the label in a cell of its own, the date in the next (a page's table of facts): read as one line
            text = f"{text.strip().rstrip(':：')}：{head[at + 1].text}"
        for match in _PUBLISHED.finditer(text):
            date = read_date(re.sub(r"\s", "", match[1]))
            if date is not None and (year is None or date.year > year):
                found.setdefault(date, (token, text))
    if len(found) != 1:
        return None
    ((date, (token, text)),) = found.items()
    return date.isoformat(), {"where": token.where, "text": text}
