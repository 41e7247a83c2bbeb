"""Areas: a rectangle drawn on a page and tagged like any passage (a signature, a
photograph, a table, a handwritten note).

An area is a passage with its rectangle in the passage's area columns, in PDF
points of its page in the same space as word boxes and stored highlight
rectangles. Its quote is the text inside the rectangle when the page has some
there, else a label: "[Area on page 4: signature]". Its citation is by page.
"""

import math
import re
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from annotator.core.evidence.anchors import QUOTED_ROLES_EXCLUDED, Anchor, _paras_of
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import Document, Line, Page

# [page index, x0, y0, x1, y1]: an area as stored and passed around
Area = list[float]
MIN_SIDE = 4.0  # points: anything smaller is a slip of the mouse, not an area


def area_of(p: Any) -> Area | None:
    """[page, x0, y0, x1, y1] of a passage (row or view) that is an area, else None."""
    if getattr(p, "area_page", None) is None:
        return None
    return [p.area_page, p.area_x0 or 0.0, p.area_y0 or 0.0, p.area_x1 or 0.0, p.area_y1 or 0.0]


def parse_rect(text: str) -> tuple[float, float, float, float]:
    """'X0,Y0,X1,Y1' in points, as the command line takes it."""
    parts = (text or "").replace(" ", "").split(",")
    try:
        nums = [float(v) for v in parts]
    except ValueError:
        nums = []
    if len(nums) != 4 or not all(math.isfinite(v) for v in nums):
        raise InvalidInput(
            f"An area is four numbers in points, X0,Y0,X1,Y1, e.g. 72,600,300,700 (got '{text}')."
        )
    return nums[0], nums[1], nums[2], nums[3]


def checked(page_size: tuple[float, float], page: int, rect: Sequence[float]) -> Area:
    """The rectangle ordered and cut to its page; refused when it misses the page or is a sliver."""
    w, h = page_size
    x0, y0, x1, y1 = (float(v) for v in rect)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise InvalidInput("An area needs four finite numbers.")
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    x0, y0, x1, y1 = max(0.0, x0), max(0.0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < MIN_SIDE or y1 - y0 < MIN_SIDE:
        raise InvalidInput(
            f"The area must lie on page {page + 1} ({w:.0f} x {h:.0f} points) and be at least "
            f"{MIN_SIDE:.0f} points wide and high."
        )
    return [page, round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)]


def _cut(ln: Line, x0: float, x1: float, text: str) -> tuple[int, int] | None:
    """The characters of a line between x0 and x1, widened to whole words; None if none.
    Characters are taken as evenly spread over the line's box, as highlights do."""
    n = ln.char_end - ln.char_start
    span = ln.x1 - ln.x0
    if n <= 0 or span <= 0:
        return None
    a = ln.char_start + max(0, math.floor((x0 - ln.x0) / span * n + 0.5))
    b = ln.char_start + min(n, math.ceil((x1 - ln.x0) / span * n - 0.5))
    if b <= a:
        return None
    while a > ln.char_start and not text[a - 1].isspace():
        a -= 1
    while b < ln.char_end and not text[b].isspace():
        b += 1
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


def anchor(s: Session, doc_id: int, area: Sequence[float], label: str = "") -> Anchor:
    """Where an area is: its page, the text inside it (lines whose middle lies inside),
    the citation range of those lines, or a label when it holds no text."""
    page_no = int(area[0])
    doc = s.get(Document, doc_id)
    if doc is None:
        raise NotFound(f"No document {doc_id}.")
    if doc.source_format != "pdf":
        raise InvalidInput(
            f"Areas are drawn on PDF pages; {doc.title or doc.filename} has no PDF pages to draw on."
        )
    page = s.exec(select(Page).where(Page.document_id == doc_id, Page.index == page_no)).first()
    if page is None:
        raise NotFound(f"This document has no page {page_no + 1}.")
    rect = checked((page.width or 595.0, page.height or 842.0), page_no, area[1:])
    lines = s.exec(
        select(Line).where(Line.document_id == doc_id, Line.page_index == page_no).order_by(col(Line.seq))
    )
    return on_page(rect, page.text, list(lines), label, page.label or str(page_no + 1))


def on_page(rect: Area, text: str, lines: Sequence[Any], label: str = "", printed: str = "") -> Anchor:
    """An area's anchor from its page's text and lines (Line rows, or anything shaped like
    them, in order): used when it is drawn and when a new version of its document comes."""
    page_no, (x0, y0, x1, y1) = int(rect[0]), rect[1:]
    lines = [ln for ln in lines if ln.role not in QUOTED_ROLES_EXCLUDED]
    inside = []
    for ln in lines:
        if not y0 <= (ln.y0 + ln.y1) / 2 <= y1:
            continue
        cut = _cut(ln, x0, x1, text)
        if cut is not None:
            inside.append((ln, cut))
    a = Anchor(page_no, 0, page_no, 0, rects=[list(rect)])
    if inside:
        a.quote = "\n".join(text[c0:c1] for _ln, (c0, c1) in inside)
        a.start_char, a.end_char = inside[0][1][0], inside[-1][1][1]
        first, last = inside[0][0], inside[-1][0]
        a.day = first.day
        a.tpage_from, a.line_from, a.tpage_to, a.line_to = first.tpage, first.line, last.tpage, last.line
        a.para_from, a.para_to = _paras_of([ln for ln, _c in inside])
    else:
        name = " ".join((label or "").split())
        a.quote = f"[Area on page {printed or page_no + 1}" + (f": {name}]" if name else "]")
        if lines:  # a transcript's page is cited by its printed number
            a.day, a.tpage_from = lines[0].day, lines[0].tpage
            a.tpage_to = a.tpage_from
    a.area = list(rect)
    return a


_LABEL = re.compile(r"^\[Area on page [^:\]]*(?::\s*(.*))?\]$")


def is_label(quote: str) -> bool:
    """Is this an area's label ("[Area on page 4: signature]") rather than words inside it?"""
    return _LABEL.match(quote or "") is not None


def label_of(quote: str) -> str:
    """What an area without text shows, from its quote "[Area on page 4: signature]";
    "" for an area over text."""
    m = _LABEL.match(quote or "")
    return (m[1] or "") if m else ""
