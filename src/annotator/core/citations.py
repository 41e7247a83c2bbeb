"""Citations as counsel write them: Day 45/12:3, Day 45, 12:3-13:7, {MSF0001234/4}."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TranscriptRef:
    day: int | None
    page: int
    line: int
    page_to: int | None = None
    line_to: int | None = None


def _day(day: int | None) -> str:
    return f"Day {day}" if day is not None else "Transcript"


def transcript(
    day: int | None, p1: int, l1: int, p2: int | None = None, l2: int | None = None, style: str = "short"
) -> str:
    """Day 45/12:3, Day 45, 12:3-9, Day 45, 12:3-13:7 (style 'long' spells it out)."""
    p2 = p1 if p2 is None else p2
    l2 = l1 if l2 is None else l2
    if style == "long":
        if (p1, l1) == (p2, l2):
            return f"{_day(day)}, page {p1}, line {l1}"
        if p1 == p2:
            return f"{_day(day)}, page {p1}, lines {l1} to {l2}"
        return f"{_day(day)}, page {p1}, line {l1} to page {p2}, line {l2}"
    if (p1, l1) == (p2, l2):
        return f"{_day(day)}/{p1}:{l1}"
    if p1 == p2:
        return f"{_day(day)}, {p1}:{l1}-{l2}"
    return f"{_day(day)}, {p1}:{l1}-{p2}:{l2}"


def document(urn: str, page: str | int, page_to: str | int | None = None, title: str = "") -> str:
    """{URN/4} or {URN/4-6}; without a URN the title and printed page."""
    pages = f"{page}" if page_to in (None, page) else f"{page}-{page_to}"
    if urn:
        return "{" + f"{urn}/{pages}" + "}"
    return f"{title or 'Untitled'}, p. {pages}"


# "Day 45/12:3", "Day 45, 12:3-13:7", "Day 45, page 12, lines 3 to 9",
# "Day 45, page 12, line 3 to page 13, line 7", "Transcript/12:3" (no day).
# Numbers have at most 9 digits, so int() never meets an absurd length.
_N = r"\d{1,9}"
_AT = r"\s*(?::|,\s*lines?\s+)\s*"
_T_RANGE = re.compile(
    rf"^\s*(?:day\s+(?P<day>{_N})|(?P<noday>transcript))\s*(?:,\s*|/\s*)(?:page\s+)?(?P<p1>{_N}){_AT}"
    rf"(?P<l1>{_N})(?:\s*(?:-|\u2013|to)\s*(?:(?:page\s+)?(?P<p2>{_N}){_AT})?(?:lines?\s+)?(?P<l2>{_N}))?\s*$",
    re.IGNORECASE,
)
_D_REF = re.compile(
    r"^\s*\{?\s*(?P<urn>[A-Za-z]+[A-Za-z0-9_-]*\d)\s*/\s*(?P<page>[\w.]+)"
    r"(?:\s*(?:-|\u2013)\s*(?P<page_to>[\w.]+))?\s*\}?\s*$"
)


class DocumentRef(tuple):
    """(urn, page) as a pair, with `page_to` set for a page range {URN/4-6}."""

    page_to: str | None = None

    def __new__(cls, urn: str, page: str, page_to: str | None = None):
        ref = super().__new__(cls, (urn, page))
        ref.page_to = page_to
        return ref


def parse(text: str) -> TranscriptRef | DocumentRef | None:
    """Parse a transcript citation or a {URN/page} reference; None if neither."""
    text = text if isinstance(text, str) else ""
    m = _T_RANGE.match(text)
    if m:
        day = None if m["noday"] else int(m["day"])
        p1, l1 = int(m["p1"]), int(m["l1"])
        if m["l2"] is None:
            return TranscriptRef(day, p1, l1)
        p2 = int(m["p2"]) if m["p2"] else p1
        return TranscriptRef(day, p1, l1, p2, int(m["l2"]))
    m = _D_REF.match(text)
    if m:
        return DocumentRef(m["urn"], m["page"], m["page_to"])
    return None


# Paragraphs: numbered paragraphs of a witness statement, and the turns of a
# hearing published as web text, which has no printed pages (Annotator
# numbers them, and the citation says so).
TOOL_NUMBERING = "numbered by Annotator"


def _paras(p1: int, p2: int | None, style: str) -> str:
    one = p2 in (None, p1)
    if style == "long":
        return f"paragraph {p1}" if one else f"paragraphs {p1} to {p2}"
    return f"para {p1}" if one else f"paras {p1}-{p2}"


def statement(
    urn: str,
    page: str | int,
    page_to: str | int | None,
    para: int,
    para_to: int | None = None,
    title: str = "",
    style: str = "short",
) -> str:
    """{WITN01230100/4}, para 12 — the printed page, then the paragraph."""
    return f"{document(urn, page, page_to, title)}, {_paras(para, para_to, style)}"


def tool_numbered(name: str, para: int, para_to: int | None = None, style: str = "short") -> str:
    """A hearing without printed pages: Day 5, para 245 [numbered by Annotator]."""
    return f"{name}, {_paras(para, para_to, style)} [{TOOL_NUMBERING}]"


def paragraph_citation(
    kind: str,
    day: int | None,
    title: str,
    urn: str,
    page: str | int,
    page_to: str | int | None,
    para: int,
    para_to: int | None = None,
    style: str = "short",
) -> str:
    """The citation of something that has paragraph numbers: a web transcript's
    turns (the tool's numbering) or a statement's printed paragraphs."""
    if kind == "transcript":
        return tool_numbered(f"Day {day}" if day is not None else title or "Transcript", para, para_to, style)
    return statement(urn, page, page_to, para, para_to, title, style)
