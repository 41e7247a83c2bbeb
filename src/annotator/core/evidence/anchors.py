"""Where a passage is: from a selection, line range or quote to stored offsets.

A position is (page index, character offset into Page.text). Ingest keeps
Line.text == Page.text[char_start:char_end], the text without margin
numbers; quotes are built from those line slices, so margin numbers and
page headers never enter the quoted text.
"""

import re
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import Line, Page

CONTEXT_WORDS = 8
WINDOW = 400  # characters read around a passage for its context words
QUOTED_ROLES_EXCLUDED = ("header", "index")


# A passage's columns that say where it is (its Anchor, stored)
RANGE_FIELDS = (
    "start_page",
    "start_char",
    "end_page",
    "end_char",
    "rects",
    "quote",
    "prefix",
    "suffix",
    "day",
    "tpage_from",
    "line_from",
    "tpage_to",
    "line_to",
    "para_from",
    "para_to",
)
# An area's rectangle (see core.evidence.areas): None for a passage of text
AREA_FIELDS = ("area_page", "area_x0", "area_y0", "area_x1", "area_y1")


@dataclass
class Anchor:
    start_page: int
    start_char: int
    end_page: int
    end_char: int
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    day: int | None = None
    tpage_from: int | None = None
    line_from: int | None = None
    tpage_to: int | None = None
    line_to: int | None = None
    rects: list = field(default_factory=list)
    para_from: int | None = None
    para_to: int | None = None
    area: list | None = None  # [page, x0, y0, x1, y1] of an area


class Layout:
    """A document's pages and quotable lines in memory, to resolve many ranges
    without a query each (re-anchoring thousands of passages). `lines` are Line
    rows or anything with the same attributes, in reading order."""

    def __init__(self, pages: dict[int, str], lines: list):
        self.pages = pages
        self.lines = [ln for ln in lines if ln.role not in QUOTED_ROLES_EXCLUDED]
        self.by_page: dict[int, list] = {}
        for ln in self.lines:
            self.by_page.setdefault(ln.page_index, []).append(ln)

    def between(self, sp: int, sc: int, ep: int, ec: int) -> list:
        out = []
        for idx in range(sp, ep + 1):
            lo = sc if idx == sp else -1
            hi = ec if idx == ep else 1 << 62
            out += [ln for ln in self.by_page.get(idx, ()) if ln.char_end > lo and ln.char_start < hi]
        return out  # pages in order, each page's lines in order: reading order

    def anchor(self, sp: int, sc: int, ep: int, ec: int) -> Anchor:
        """Fill quote, context, citation range and rectangles for a raw range."""
        if (ep, ec) <= (sp, sc):
            raise InvalidInput("The selection is empty.")
        pages = self.pages
        if sp not in pages or ep not in pages:
            raise NotFound("The selected pages are not in this document.")
        lines = self.between(sp, sc, ep, ec)
        a = Anchor(sp, sc, ep, ec, rects=[])
        if lines:
            pieces = []
            for ln in lines:
                x, y = _clip(ln, sp, sc, ep, ec)
                pieces.append(pages[ln.page_index][x:y])
                if ln.x1 > ln.x0:
                    width = max(1, ln.char_end - ln.char_start)
                    fx0 = (x - ln.char_start) / width
                    fx1 = (y - ln.char_start) / width
                    span = ln.x1 - ln.x0
                    a.rects.append([ln.page_index, ln.x0 + span * fx0, ln.y0, ln.x0 + span * fx1, ln.y1])
            a.quote = "\n".join(p.strip() for p in pieces).strip()
            first, last = lines[0], lines[-1]
            a.day = first.day
            a.tpage_from, a.line_from, a.tpage_to, a.line_to = first.tpage, first.line, last.tpage, last.line
            a.para_from, a.para_to = _paras_of(lines)
        else:
            parts = []
            for idx in range(sp, ep + 1):
                t = pages.get(idx, "")
                parts.append(t[sc if idx == sp else 0 : ec if idx == ep else len(t)])
            a.quote = "\n".join(parts).strip()
        a.prefix = " ".join(_context(pages, sp, sc, -1))
        a.suffix = " ".join(_context(pages, ep, ec, 1))
        if not a.quote:
            raise InvalidInput("The selection holds no text.")
        return a


def _clip(ln: Line, sp: int, sc: int, ep: int, ec: int) -> tuple[int, int]:
    a = max(ln.char_start, sc) if ln.page_index == sp else ln.char_start
    b = min(ln.char_end, ec) if ln.page_index == ep else ln.char_end
    return a, b


def _context(pages: dict[int, str], page: int, at: int, way: int) -> list[str]:
    """The CONTEXT_WORDS words before (way -1) or after (way 1) offset `at`, running on
    into the page before or after when this one has too few. A window of the page is
    split first: splitting whole pages is slow when thousands of passages are placed."""
    text, n = pages[page], CONTEXT_WORDS
    if way < 0 and at > WINDOW:
        words = text[at - WINDOW : at].split()[1:]  # the first may be cut in two
        if len(words) >= n:
            return words[-n:]
    if way > 0 and len(text) - at > WINDOW:
        words = text[at : at + WINDOW].split()[:-1]
        if len(words) >= n:
            return words[:n]
    if way < 0:
        words = text[:at].split()
        if len(words) < n and page - 1 in pages:
            words = pages[page - 1].split() + words
        return words[-n:]
    words = text[at:].split()
    if len(words) < n and page + 1 in pages:
        words = words + pages[page + 1].split()
    return words[:n]


def _paras_of(lines: list[Line]) -> tuple[int | None, int | None]:
    """First and last numbered paragraph the lines touch (None where there are none)."""
    paras = [ln.para for ln in lines if ln.para is not None]
    return (paras[0], paras[-1]) if paras else (None, None)


def resolve(s: Session, doc_id: int, sp: int, sc: int, ep: int, ec: int) -> Anchor:
    """Fill quote, context, citation range and rectangles for a raw range."""
    if (ep, ec) <= (sp, sc):
        raise InvalidInput("The selection is empty.")
    pages = {
        p.index: p.text
        for p in s.exec(
            select(Page).where(Page.document_id == doc_id, Page.index >= max(0, sp - 1), Page.index <= ep + 1)
        )
    }
    lines = s.exec(
        select(Line)
        .where(Line.document_id == doc_id, Line.page_index >= sp, Line.page_index <= ep)
        .order_by(col(Line.seq))
    )
    return Layout(pages, list(lines)).anchor(sp, sc, ep, ec)


def from_lines(s: Session, doc_id: int, start: tuple[int, int], end: tuple[int, int]) -> Anchor:
    """From (page, line) to (page, line), numbered as `annotator lines` prints them."""
    rows = list(s.exec(select(Line).where(col(Line.document_id) == doc_id).order_by(col(Line.seq))))
    rows = [ln for ln in rows if ln.role not in QUOTED_ROLES_EXCLUDED]
    first = next((ln for ln in rows if (ln.tpage, ln.line) == start), None)
    last = next((ln for ln in reversed(rows) if (ln.tpage, ln.line) == end), None)
    if first is None:
        raise NotFound(f"No line {start[1]} on page {start[0]} of this document.")
    if last is None:
        raise NotFound(f"No line {end[1]} on page {end[0]} of this document.")
    if last.seq < first.seq:
        raise InvalidInput("The range ends before it starts.")
    return resolve(s, doc_id, first.page_index, first.char_start, last.page_index, last.char_end)


def from_paras(s: Session, doc_id: int, first: int, last: int) -> Anchor:
    """Numbered paragraphs first to last (a statement's, or the tool's own in web text)."""
    if last < first:
        raise InvalidInput("The range ends before it starts.")
    rows = list(
        s.exec(
            select(Line)
            .where(Line.document_id == doc_id, col(Line.para) >= first, col(Line.para) <= last)
            .order_by(col(Line.seq))
        )
    )
    if not rows:
        raise NotFound(f"This document has no paragraph {first}" + (f" to {last}." if last != first else "."))
    return resolve(s, doc_id, rows[0].page_index, rows[0].char_start, rows[-1].page_index, rows[-1].char_end)


def _norm(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace and map each kept character back to its source offset."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if out and not space:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        out.append(ch.lower())
        where.append(i)
    return "".join(out), where


def from_quote(s: Session, doc_id: int, quote: str, occurrence: int = 1) -> Anchor:
    """The n-th place where the quote appears (whitespace and case are ignored)."""
    needle = re.sub(r"\s+", " ", quote.strip()).lower()
    if not needle:
        raise InvalidInput("The quote is empty.")
    lines = [
        ln
        for ln in s.exec(select(Line).where(col(Line.document_id) == doc_id).order_by(col(Line.seq)))
        if ln.role not in QUOTED_ROLES_EXCLUDED
    ]
    # Search the joined line texts so margins and headers never break a match.
    joined, owners = [], []
    for ln in lines:
        joined.append(ln.text)
        owners.append(ln)
    hay = "\n".join(joined)
    flat, where = _norm(hay)
    starts, pos = [], 0
    while True:
        k = flat.find(needle, pos)
        if k < 0:
            break
        starts.append(k)
        pos = k + 1
    if len(starts) < occurrence:
        raise NotFound("That quotation does not appear in this document.")
    k = starts[occurrence - 1]
    a_off, b_off = where[k], where[k + len(needle) - 1] + 1
    bounds, acc = [], 0
    for ln in owners:
        bounds.append((acc, acc + len(ln.text), ln))
        acc += len(ln.text) + 1

    def locate(off: int, end: bool) -> tuple[int, int]:
        for lo, hi, ln in bounds:
            if (lo <= off <= hi) if end else (lo <= off < hi):
                return ln.page_index, ln.char_start + off - lo
        lo, hi, ln = bounds[-1]
        return ln.page_index, ln.char_end

    sp, sc = locate(a_off, False)
    ep, ec = locate(b_off, True)
    return resolve(s, doc_id, sp, sc, ep, ec)
