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


def transcript(day: int | None, p1: int, l1: int, p2: int | None = None, l2: int | None = None,
               style: str = "short") -> str:
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


_T_RANGE = re.compile(
    r"^\s*day\s+(?P<day>\d+)\s*(?:,\s*|/\s*)(?:page\s+)?(?P<p1>\d+)\s*(?::|,\s*line\s+)\s*(?P<l1>\d+)"
    r"(?:\s*(?:-|to)\s*(?:(?:page\s+)?(?P<p2>\d+)\s*(?::|,\s*line\s+)\s*)?(?:lines?\s+)?(?P<l2>\d+))?\s*$",
    re.IGNORECASE,
)
_D_REF = re.compile(r"^\s*\{?\s*(?P<urn>[A-Za-z]+[A-Za-z0-9_-]*\d)\s*/\s*(?P<page>[\w.]+)\s*\}?\s*$")


def parse(text: str) -> TranscriptRef | tuple[str, str] | None:
    """Parse a transcript citation or a {URN/page} reference; None if neither."""
    m = _T_RANGE.match(text or "")
    if m:
        p1, l1 = int(m["p1"]), int(m["l1"])
        if m["l2"] is None:
            return TranscriptRef(int(m["day"]), p1, l1)
        p2 = int(m["p2"]) if m["p2"] else p1
        return TranscriptRef(int(m["day"]), p1, l1, p2, int(m["l2"]))
    m = _D_REF.match(text or "")
    if m:
        return (m["urn"], m["page"])
    return None
