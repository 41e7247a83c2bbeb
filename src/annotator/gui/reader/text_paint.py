"""Painting the text view's rows: page heads, gutter, highlights, margin bars,
selection, search hits, span underlines, text and the caret.

Every decoration of a line is a column range [a, b) of that line; `on_row`
clips it to the columns a wrapped row shows, so nothing here cares whether
a line wraps. Underlined spans (a click target per character range, e.g. a
reference) come from `view.span_sources` and are drawn by `_paint_spans`:
that is the one place to add such a decoration.
"""

import re

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QPen

from annotator.gui.appearance import outline, reader_colours
from annotator.gui.reader.pdf_view import BAR, HIT, HIT_CURRENT, SELECTION, paint_bar

AREA_SIGN = "\u25ad"  # ▭: an area's marker on the first line of its page
_WEB_LABEL = re.compile(r"^((?:[A-Z][\w'’.-]*\s){0,4}[A-Z][\w'’.-]*:)\s")


def line_cols(ln, start, end) -> tuple[int, int] | None:
    """Columns of this line covered by the positions [start, end), or None."""
    if (ln.page, ln.end) <= start or (ln.page, ln.start) >= end:
        return None
    a = max(ln.start, start[1]) if ln.page == start[0] else ln.start
    b = min(ln.end, end[1]) if ln.page == end[0] else ln.end
    return a - ln.start, max(a, b) - ln.start


def on_row(cols, c0: int, c1: int, last: bool) -> tuple[int, int] | None:
    """The part of the columns [a, b) a row showing [c0, c1) holds; an empty
    range shows as one column where it sits, so an empty line can be marked."""
    if cols is None:
        return None
    a, b = cols
    lo, hi = max(a, c0), min(b, c1)
    if lo < hi:
        return lo, hi
    if a == b and c0 <= a and (a < c1 or last):
        return a, a + 1
    return None


def label_len(ln) -> int:
    """Length of the speaker label or Q./A. that starts this line, if any."""
    t = ln.text
    if ln.speaker and t.startswith(ln.speaker + ":"):
        return len(ln.speaker) + 1
    if ln.para is not None and ln.speaker:  # web text: `Lead Inquiry:` stands for the counsel named
        m = _WEB_LABEL.match(t)
        if m:
            return len(m.group(1))
    m = re.match(r"^(Q\.|A\.)", t)
    return len(m.group(1)) if m else 0


def gutter_label(ln, transcript: bool) -> str:
    gut = f"{ln.tpage}:{ln.line}" if transcript else f"{ln.line}"
    if ln.para is not None:  # web text: the tool's paragraph number; statements: the printed one
        gut = f"¶{ln.para}" if transcript else f"¶{ln.para} {ln.line}"
    return gut


def paint_view(view, p: QPainter) -> None:
    view.colours = c = reader_colours(view.palette())
    vp = view.viewport()
    p.fillRect(vp.rect(), c.page)
    p.fillRect(QRectF(0, 0, view.gutter, vp.height()), c.gutter)
    lines = view.model.lines
    view._badges = {}
    for (item, sub), y in view.screen_rows():
        head = view.rowmap.head_row((item, sub))
        if head is not None:
            p.fillRect(QRectF(0, y, vp.width(), view.rh), c.band)
            p.setPen(c.band_text)
            p.setFont(view.bold_font)
            p.drawText(QPointF(view.cw, y + view.ascent + 1), head)
            continue
        _paint_row(view, p, lines[item], item, sub, y)
    _paint_caret(view, p)


def _paint_row(view, p: QPainter, ln, item: int, sub: int, y: float) -> None:
    c0, c1 = view.rowmap.span(item, sub)
    last = view.rowmap.is_last((item, sub))
    rh, c, model = view.rh, view.colours, view.model

    def x(col: int) -> float:
        return view.text_x + (col - c0) * view.cw

    def fill(cols, colour) -> tuple[float, float] | None:
        got = on_row(cols, c0, c1, last)
        if got is None:
            return None
        x0, x1 = x(got[0]), x(got[1])
        p.fillRect(QRectF(x0, y, x1 - x0, rh), colour)
        return x0, x1

    for m in model.marks_on(ln.page):
        got = fill(line_cols(ln, m.start, m.end), c.highlight(m.colours[0]))
        if got is None:
            continue
        bx = view.gutter + view.bars_w - (m.lane + 1) * (BAR + 2)
        paint_bar(p, bx, y, y + rh, m.colours)
        if m.id == model.current_mark:
            p.setPen(QPen(QColor(m.colours[0]).darker(150), 1.5))
            p.drawLine(QPointF(got[0], y + rh - 1), QPointF(got[1], y + rh - 1))
    if model.selection:
        fill(line_cols(ln, *model.selection), SELECTION)
    for n, (hp, a, b) in enumerate(model.hits):
        if hp == ln.page:
            fill(line_cols(ln, (hp, a), (hp, b)), HIT_CURRENT if n == model.hit_index else HIT)
    _paint_spans(view, p, ln, c0, c1, last, y, x)
    if last:
        _paint_markers(view, p, ln, y, x(len(ln.text)) + 2 * view.cw)
    p.setFont(view.font())
    if view.rowmap.text_sub((item, sub)) == 0:  # the line number on a wrapped line's first row only
        p.setPen(c.quiet)
        gut = gutter_label(ln, model.kind == "transcript")
        p.drawText(
            QRectF(0, y, view.gutter - view.cw / 2, rh),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            gut,
        )
    base_y = y + view.ascent + 1
    label = label_len(ln)
    if label > c0:
        p.setFont(view.bold_font)
        p.setPen(c.roles.get(ln.role, c.roles["speech"]))
        p.drawText(QPointF(x(c0), base_y), ln.text[c0 : min(label, c1)])
        p.setFont(view.font())
    start = max(c0, label)
    if start < c1:
        p.setPen(c.quiet if ln.role == "stage" else c.text)
        p.drawText(QPointF(x(start), base_y), ln.text[start:c1])


def _paint_markers(view, p: QPainter, ln, y: float, x: float) -> None:
    """ "▭ area: signature" after the line's text (on its last row) for each area whose
    marker is on this line."""
    for m in view.model.marks_on(ln.page):
        if not m.is_area or view.marker_line(m) is not ln:
            continue
        what = m.label or ", ".join(m.themes)  # its label, else its themes
        text = f"{AREA_SIGN} area" + (f": {what}" if what else "")
        w = QFontMetricsF(view.font()).horizontalAdvance(text) + view.cw
        box = QRectF(x, y + 1, w, view.rh - 2)
        p.fillRect(box, view.colours.highlight(m.colours[0]))
        current = m.id == view.model.current_mark
        p.setPen(QPen(outline(m.colours[0], view.colours.page), 2 if current else 1))
        p.drawRect(box)
        p.setPen(view.colours.text)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        bx = view.gutter + view.bars_w - (m.lane + 1) * (BAR + 2)
        paint_bar(p, bx, y, y + view.rh, m.colours)
        view._badges[m.id] = box
        x += w + view.cw


def _paint_spans(view, p: QPainter, ln, c0: int, c1: int, last: bool, y: float, x) -> None:
    """Underline each span a source gives for this line (links and the like)."""
    if not view.span_sources:
        return
    p.setPen(QPen(view.palette().color(QPalette.ColorRole.Link), 1))
    for a, b, _payload in view.spans_of(ln):
        got = on_row((a, b), c0, c1, last)
        if got:
            p.drawLine(QPointF(x(got[0]), y + view.rh - 2), QPointF(x(got[1]), y + view.rh - 2))


def _paint_caret(view, p: QPainter) -> None:
    if not view.hasFocus() or view.caret is None:
        return
    at = view.point_of(view.caret, centre=False)
    if at is None:
        return
    p.setPen(QPen(view.colours.text, 1.5))
    p.drawLine(QPointF(at.x(), at.y() + 1), QPointF(at.x(), at.y() + view.rh - 1))
