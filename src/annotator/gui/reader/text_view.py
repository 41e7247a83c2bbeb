"""The transcript (text) view: lines with a day/page:line gutter, speakers marked,
long lines wrapped at the view's width.

Rows are painted directly (no QTextDocument) so 500,000 lines scroll as
fast as 100, and selection maps straight to stored character offsets:
a monospaced font makes column k of a row its k-th character. The place
on screen is the top row (line, row within it); the scroll bar counts lines,
so only the rows on screen are ever wrapped
(text_layout.py). Painting is in text_paint.py, the caret in text_keys.py.
"""

import math
import re

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QPainter
from PySide6.QtWidgets import QAbstractScrollArea

from annotator.gui.appearance import reader_colours
from annotator.gui.reader import text_paint
from annotator.gui.reader.hover import show_marks_tip
from annotator.gui.reader.pdf_view import BAR
from annotator.gui.reader.text_keys import Caret, move_for
from annotator.gui.reader.text_layout import RowMap

_WORD = re.compile(r"\S+")


class TextView(QAbstractScrollArea):
    passage_clicked = Signal(int)
    area_clicked = Signal(int)  # an area's marker: show the area on its page
    context_requested = Signal(QPoint)
    place_changed = Signal(int)
    span_clicked = Signal(object)  # the payload of an underlined span (see span_sources)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.model = model
        self.colours = reader_colours(self.palette())
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setPointSizeF(max(10.0, font.pointSizeF()))
        self.setFont(font)
        self.bold_font = QFont(font)
        self.bold_font.setBold(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # lines wrap instead
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.rowmap = RowMap(model)
        self.caret_keys = Caret(self)
        self.top = (0, 0)  # the row at the top of the screen: (item, wrapped row)
        self._max_top = (0, 0)  # the lowest top row: the document's end at the screen's bottom
        self._asked: tuple[int, int] | None = None  # the place last gone to, until the person scrolls
        self.caret = None  # (page, char) of the keyboard caret
        self.anchor = None  # where a keyboard selection started
        self.goal_col = None  # the column Up and Down keep to
        # Callables giving (a, b, payload) column spans of a line to underline and
        # make clickable (span_clicked); painted in text_paint._paint_spans.
        self.span_sources: list = []
        self._press = None
        self._dragged = False
        self._keying = False
        self._badges: dict[int, QRectF] = {}  # area markers as painted: passage id -> where
        self._build_rows()
        model.lines_ready.connect(self._build_rows)
        for sig in (model.marks_changed, model.hits_changed, model.current_mark_changed):
            sig.connect(self.viewport().update)
        model.selection_changed.connect(self._selection_changed)
        self.verticalScrollBar().valueChanged.connect(self._bar_moved)

    # ---- layout --------------------------------------------------------
    def _build_rows(self) -> None:
        self.rowmap.reset()
        self.top = (0, 0)
        self._metrics()

    def _metrics(self) -> None:
        fm = QFontMetricsF(self.font())
        self.cw = fm.horizontalAdvance("M")
        self.rh = fm.height() + 3
        self.ascent = fm.ascent()
        transcript = self.model.kind == "transcript"
        self.gutter = self.cw * (8 if transcript or self.model.kind == "witness statement" else 5)
        self.bars_w = 6 * (BAR + 2)
        self.text_x = self.gutter + self.bars_w + self.cw
        self.rowmap.reset()
        self._relayout()

    def _relayout(self) -> None:
        """Wrap width, scroll range and the top row after a size or font change."""
        lines = len(self.rowmap)
        on_text = (
            self.top[0] < lines and self.rowmap.count(self.top[0]) and not self.rowmap.head_row(self.top)
        )
        col = self.rowmap.span(*self.top)[0] if on_text else -1  # -1: the heading row stays on top
        usable = self.viewport().width() - self.text_x - self.cw
        self.rowmap.set_width(int(usable // self.cw))
        self._max_top = self.rowmap.step(self.rowmap.last(), -(self.page_rows() - 1)) if lines else (0, 0)
        bar = self.verticalScrollBar()
        bar.blockSignals(True)
        bar.setRange(0, self._max_top[0])
        bar.setPageStep(max(1, self.page_rows() - 1))
        bar.setSingleStep(3)
        bar.blockSignals(False)
        item = min(self.top[0], max(0, lines - 1))
        asked = self._asked
        self.set_top((item, self.rowmap.sub_of(item, col) if lines and col >= 0 else 0), emit=False)
        if asked is not None:
            self.go_to(asked, align_top=True)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def page_rows(self) -> int:
        """Rows that fit on the screen, the last one maybe in part."""
        return max(1, math.ceil(self.viewport().height() / self.rh))

    def set_top(self, row: tuple[int, int], emit: bool = True) -> None:
        row = min(max(row, (0, 0)), self._max_top)
        changed = row != self.top
        self._asked = None
        self.top = row
        bar = self.verticalScrollBar()
        bar.blockSignals(True)
        bar.setValue(row[0])
        bar.blockSignals(False)
        self.viewport().update()
        if changed and emit:
            self.place_changed.emit(self.current_place()[0])

    def scroll_rows(self, n: int) -> None:
        self.set_top(self.rowmap.step(self.top, n))

    def _bar_moved(self, value: int) -> None:
        if value != self.top[0]:
            self.set_top((value, 0))

    def screen_rows(self) -> list[tuple[tuple[int, int], float]]:
        """((item, wrapped row), y) for each row on the screen, top down."""
        rows = self.rowmap.down_from(self.top, self.page_rows())
        return [(r, i * self.rh) for i, r in enumerate(rows)]

    def point_of(self, pos: tuple[int, int], centre: bool = True) -> QPointF | None:
        """Where the character at (page, char) is drawn (its middle, or its top left), if on screen."""
        got = self.rowmap.row_of(pos)
        if got is None:
            return None
        (item, sub), k = got
        ln = self.model.lines[k]
        col = pos[1] - ln.start if ln.page == pos[0] else 0
        for row, y in self.screen_rows():
            if row == (item, sub):
                c0 = self.rowmap.span(item, sub)[0]
                x = self.text_x + (col - c0) * self.cw
                return QPointF(x + self.cw / 2, y + self.rh / 2) if centre else QPointF(x, y)
        return None

    # ---- places --------------------------------------------------------
    def current_place(self) -> tuple[int, int]:
        """(page, char) of the first character on the top row that holds text (or the
        place last gone to, until the person scrolls: the end of the document may stop it)."""
        if self._asked is not None:
            return self._asked
        for (item, sub), _y in self.screen_rows():
            ln = self.model.lines[item]
            if self.rowmap.head_row((item, sub)) is not None:
                return ln.page, 0  # a page's heading on top: the top of that page
            return ln.page, ln.start + self.rowmap.span(item, sub)[0]
        return (0, 0)

    def go_to(self, pos: tuple[int, int], align_top: bool = False) -> None:
        got = self.rowmap.row_of(pos)
        if got is None:
            return
        row = got[0]
        if align_top and row == self.rowmap.first_text_row(row[0]):
            row = (row[0], 0)  # the page's heading shows above its first line
        if not align_top:
            row = self.rowmap.step(row, -(self.page_rows() // 3))
        self.set_top(row)
        self._asked = pos if align_top else None

    def ensure_visible(self, pos: tuple[int, int]) -> None:
        got = self.rowmap.row_of(pos)
        if got is None:
            return
        row = got[0]
        full = max(1, int(self.viewport().height() // self.rh))
        if row < self.top:
            if row == self.rowmap.first_text_row(row[0]):
                row = (row[0], 0)  # the page's heading too
            self.set_top(row)
        elif row > self.rowmap.step(self.top, full - 1):
            self.set_top(self.rowmap.step(row, -(full - 1)))

    # ---- painting ------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self.viewport())
        text_paint.paint_view(self, p)
        p.end()

    def marker_line(self, m):
        """The line an area's marker sits on: the first of the area's text, or of its page."""
        if not self.model.lines:
            return None
        ln = self.model.lines[self.model.line_index_at((m.area[0], m.start[1]))]
        return ln if ln.page == m.area[0] else None

    def _marker_at(self, pt: QPointF) -> int | None:
        return next((pid for pid, box in self._badges.items() if box.contains(pt)), None)

    def spans_of(self, ln) -> list[tuple[int, int, object]]:
        return [span for source in self.span_sources for span in source(ln)]

    # ---- hit testing -----------------------------------------------------
    def row_at(self, y: float) -> tuple[int, int] | None:
        """The row (item, wrapped row) at a height on screen, clamped to the rows shown."""
        rows = self.screen_rows()
        if not rows:
            return None
        i = max(0, min(len(rows) - 1, int(y // self.rh)))
        return rows[i][0]

    def _line_col(self, pt: QPointF) -> tuple | None:
        """(line, column, row) under a point; a page head gives the line below it."""
        row = self.row_at(pt.y())
        if row is None:
            return None
        if self.rowmap.head_row(row) is not None:
            row = self.rowmap.first_text_row(row[0])
        item, sub = row
        ln = self.model.lines[item]
        c0, c1 = self.rowmap.span(item, sub)
        last = self.rowmap.is_last(row)
        col = c0 + int((pt.x() - self.text_x) / self.cw)
        col = max(c0, min(c1 if last else max(c0, c1 - 1), col))
        return ln, col, row

    def _pos_at(self, pt: QPointF, end: bool):
        """(page, char) at a point, snapped to word edges, and its line."""
        got = self._line_col(pt)
        if got is None:
            return None
        ln, col, _row = got
        if pt.x() < self.gutter + self.bars_w:  # gutter: whole lines
            return (ln.page, ln.end if end else ln.start), ln
        words = list(_WORD.finditer(ln.text))
        if end:
            before = [m for m in words if m.start() <= col]
            return (ln.page, ln.start + (before[-1].end() if before else 0)), ln
        after = next((m for m in words if m.end() > col), None)
        return (ln.page, ln.start + (after.start() if after else len(ln.text))), ln

    def _marks_under(self, pt: QPointF):
        pid = self._marker_at(pt)
        if pid is not None and self.model.mark(pid) is not None:
            return [self.model.mark(pid)]
        got = self._line_col(pt)
        if got is None or self.rowmap.head_row(self.row_at(pt.y())) is not None:
            return []
        ln, col, (item, sub) = got
        c0, c1 = self.rowmap.span(item, sub)
        last = self.rowmap.is_last((item, sub))
        out = []
        for m in self.model.marks_on(ln.page):
            cols = text_paint.on_row(text_paint.line_cols(ln, m.start, m.end), c0, c1, last)
            if cols is None:
                continue
            bx = self.gutter + self.bars_w - (m.lane + 1) * (BAR + 2)
            if cols[0] <= col < cols[1] or bx - 1 <= pt.x() <= bx + BAR + 1:
                out.append(m)
        return out

    def span_at(self, pt: QPointF):
        """The payload of the underlined span under a point, or None."""
        got = self._line_col(pt) if self.span_sources else None
        if got is None or pt.x() < self.text_x:
            return None
        ln, col, _row = got
        return next((payload for a, b, payload in self.spans_of(ln) if a <= col < b), None)

    # ---- mouse ---------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus()
        self._press = event.position()
        self._dragged = False
        got = self._pos_at(event.position(), False)
        if got and event.modifiers() & Qt.ShiftModifier and self.model.selection:
            start = self.model.selection[0]
            end = self._pos_at(event.position(), True)[0]
            self.model.set_selection(min(start, got[0]), max(self.model.selection[1], end))
            self._press = None
            return
        self._anchor = got
        self._gutter = event.position().x() < self.gutter + self.bars_w
        if got:
            self._place_caret(got[0])
        if self._gutter and got:
            ln = got[1]
            self.model.set_selection((ln.page, ln.start), (ln.page, ln.end))

    def mouseMoveEvent(self, event) -> None:
        if self._press is not None and event.buttons() & Qt.LeftButton and self._anchor:
            if (event.position() - self._press).manhattanLength() < 4 and not self._dragged:
                return
            self._dragged = True
            self._drag_to(event.position())
            if event.position().y() < 8:
                self.scroll_rows(-1)
            elif event.position().y() > self.viewport().height() - 8:
                self.scroll_rows(1)
            return
        show_marks_tip(self.viewport(), self._marks_under(event.position()), event)
        over_span = self.span_at(event.position()) is not None
        self.viewport().setCursor(Qt.PointingHandCursor if over_span else Qt.IBeamCursor)

    def _drag_to(self, pt: QPointF) -> None:
        a_pos, a_ln = self._anchor
        if self._gutter:
            here = self._pos_at(QPointF(0, pt.y()), False)
            if here:
                h = here[1]
                lo = min((a_ln.page, a_ln.start), (h.page, h.start))
                hi = max((a_ln.page, a_ln.end), (h.page, h.end))
                self.model.set_selection(lo, hi)
            return
        here_end = self._pos_at(pt, True)
        here_start = self._pos_at(pt, False)
        if here_end and here_end[0] >= a_pos:
            self.model.set_selection(a_pos, here_end[0])
        elif here_start:
            self.model.set_selection(here_start[0], self._word_end(a_ln, a_pos))

    @staticmethod
    def _word_end(ln, pos) -> tuple[int, int]:
        col = pos[1] - ln.start
        m = _WORD.search(ln.text, col)
        return (ln.page, ln.start + (m.end() if m else len(ln.text)))

    def mouseReleaseEvent(self, event) -> None:
        if (
            event.button() == Qt.LeftButton
            and self._press is not None
            and not self._dragged
            and not self._gutter
        ):
            pid = self._marker_at(event.position())
            if pid is not None:
                self._press = None
                self.area_clicked.emit(pid)
                return
            payload = self.span_at(event.position())
            marks = self._marks_under(event.position())
            self.model.set_selection(None)
            if payload is not None:
                self.span_clicked.emit(payload)
            elif marks:
                self.passage_clicked.emit(marks[-1].id)
        self._press = None

    def mouseDoubleClickEvent(self, event) -> None:
        a = self._pos_at(event.position(), False)
        b = self._pos_at(event.position(), True)
        if a and b:
            self.model.set_selection(a[0], b[0])

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120
        if event.modifiers() & Qt.ControlModifier:
            f = self.font()
            self.set_font_size(max(6.0, min(40.0, f.pointSizeF() + (1 if steps > 0 else -1))))
            return
        if steps:
            self.scroll_rows(-round(steps * 3) or (-1 if steps > 0 else 1))
        event.accept()

    def set_font_size(self, size: float) -> None:
        place = self.current_place()
        f = self.font()
        f.setPointSizeF(size)
        self.setFont(f)
        self.bold_font = QFont(f)
        self.bold_font.setBold(True)
        self._metrics()
        self.go_to(place, align_top=True)

    def contextMenuEvent(self, event) -> None:
        self.context_requested.emit(event.globalPos())

    # ---- keyboard ------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        got = move_for(event)
        if got is None:
            return super().keyPressEvent(event)
        self.key_move(*got)

    def key_move(self, name: str, extend: bool = False) -> None:
        """Move the caret (Go > Caret, or a key); with extend, the selection follows it."""
        if self.caret is None:
            self._place_caret(self.model.selection[1] if self.model.selection else self.current_place())
        if name not in ("up", "down", "page_up", "page_down"):
            self.goal_col = None
        new = self.caret_keys.move(name, self.caret, self.anchor, extend)
        if name in ("page_up", "page_down"):
            self.scroll_rows(self.page_rows() * (1 if name == "page_down" else -1))
        if new is None:
            return
        self.caret = new
        self._keying = True
        try:
            if extend:
                self.model.set_selection(min(self.anchor, new), max(self.anchor, new))
            else:
                self.anchor = new
                self.model.set_selection(None)
        finally:
            self._keying = False
        self.ensure_visible(new)
        self.viewport().update()

    def _place_caret(self, pos) -> None:
        self.caret = self.anchor = pos
        self.goal_col = None
        self.viewport().update()

    def _selection_changed(self) -> None:
        sel = self.model.selection
        if sel and not self._keying:  # a mouse or menu selection: the caret goes to its end
            self.anchor, self.caret = sel
            self.goal_col = None
        self.viewport().update()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.viewport().update()
