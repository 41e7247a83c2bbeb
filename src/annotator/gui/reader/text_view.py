"""The transcript (text) view: lines with a day/page:line gutter, speakers marked.

Rows are painted directly (no QTextDocument) so 100,000 lines scroll as
fast as 100, and selection maps straight to stored character offsets:
a monospaced font makes column k of a line its k-th character.
"""

import re

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea

from annotator.gui.reader.hover import show_marks_tip
from annotator.gui.appearance import outline, reader_colours
from annotator.gui.reader.pdf_view import BAR, HIT, HIT_CURRENT, SELECTION, paint_bar

_WORD = re.compile(r"\S+")
_WEB_LABEL = re.compile(r"^((?:[A-Z][\w'’.-]*\s){0,4}[A-Z][\w'’.-]*:)\s")


AREA_SIGN = "\u25ad"  # ▭: an area's marker on the first line of its page


class TextView(QAbstractScrollArea):
    passage_clicked = Signal(int)
    area_clicked = Signal(int)  # an area's marker: show the area on its page
    context_requested = Signal(QPoint)
    place_changed = Signal(int)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.model = model
        self.colours = reader_colours(self.palette())
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setPointSizeF(max(10.0, font.pointSizeF()))
        self.setFont(font)
        self._bold = QFont(font)
        self._bold.setBold(True)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self._press = None
        self._badges: dict[int, QRectF] = {}  # area markers as painted: passage id -> where
        self._build_rows()
        model.lines_ready.connect(self._build_rows)
        for sig in (
            model.marks_changed,
            model.selection_changed,
            model.hits_changed,
            model.current_mark_changed,
        ):
            sig.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    # ---- layout --------------------------------------------------------
    def _build_rows(self) -> None:
        """Rows come from the model: ("head", label) per printed page, ("line", index) per line."""
        self.rows = self.model.rows
        self._row_of_line = {k: i for i, (kind, k) in enumerate(self.rows) if kind == "line"}
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
        self._relayout()

    def _relayout(self) -> None:
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, int(len(self.rows) * self.rh - self.viewport().height() + self.rh)))
        bar.setPageStep(self.viewport().height())
        bar.setSingleStep(int(self.rh * 3))
        self.viewport().update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def row_at(self, y: float) -> int:
        return int((y + self.verticalScrollBar().value()) // self.rh)

    def _visible_rows(self) -> range:
        first = max(0, self.row_at(0))
        last = min(len(self.rows), self.row_at(self.viewport().height()) + 1)
        return range(first, last)

    def _row_y(self, i: int) -> float:
        return i * self.rh - self.verticalScrollBar().value()

    # ---- places --------------------------------------------------------
    def current_place(self) -> tuple[int, int]:
        for i in self._visible_rows():
            kind, k = self.rows[i]
            if kind == "line" and self._row_y(i) >= -1:
                ln = self.model.lines[k]
                return ln.page, ln.start
        return (0, 0)

    def go_to(self, pos: tuple[int, int], align_top: bool = False) -> None:
        k = self.model.line_index_at(pos)
        row = self._row_of_line.get(k)
        if row is None:
            return
        if align_top and row > 0 and self.rows[row - 1][0] == "head":
            row -= 1
        offset = 0 if align_top else self.viewport().height() / 3
        self.verticalScrollBar().setValue(int(max(0, row * self.rh - offset)))

    def _scrolled(self) -> None:
        self.viewport().update()
        self.place_changed.emit(self.current_place()[0])

    # ---- painting ------------------------------------------------------
    def _x(self, col: int) -> float:
        return self.text_x + col * self.cw - self.horizontalScrollBar().value()

    def paintEvent(self, _event) -> None:
        p = QPainter(self.viewport())
        self.colours = c = reader_colours(self.palette())
        p.fillRect(self.viewport().rect(), c.page)
        p.fillRect(QRectF(0, 0, self.gutter, self.viewport().height()), c.gutter)
        lines = self.model.lines
        sel = self.model.selection
        self._badges = {}
        for i in self._visible_rows():
            kind, k = self.rows[i]
            y = self._row_y(i)
            if kind == "head":
                p.fillRect(QRectF(0, y, self.viewport().width(), self.rh), c.band)
                p.setPen(c.band_text)
                p.setFont(self._bold)
                p.drawText(QPointF(self.cw, y + self.ascent + 1), k)
                continue
            ln = lines[k]
            self._paint_line(p, ln, y, sel)
        p.end()

    def _cols(self, ln, start, end) -> tuple[int, int] | None:
        """Columns of this line covered by [start, end), or None."""
        if (ln.page, ln.end) <= start or (ln.page, ln.start) >= end:
            return None
        a = max(ln.start, start[1]) if ln.page == start[0] else ln.start
        b = min(ln.end, end[1]) if ln.page == end[0] else ln.end
        return a - ln.start, max(a, b) - ln.start

    def _marker_line(self, m):
        """The line an area's marker sits on: the first of the area's text, or of its page."""
        if not self.model.lines:
            return None
        ln = self.model.lines[self.model.line_index_at((m.area[0], m.start[1]))]
        return ln if ln.page == m.area[0] else None

    def _paint_markers(self, p: QPainter, ln, y: float) -> None:
        """ "▭ area: signature" after the line's text for each area whose marker is here."""
        x = self._x(len(ln.text)) + 2 * self.cw
        for m in self.model.marks_on(ln.page):
            if not m.is_area or self._marker_line(m) is not ln:
                continue
            what = m.label or ", ".join(m.themes)  # its label, else its themes
            text = f"{AREA_SIGN} area" + (f": {what}" if what else "")
            w = QFontMetricsF(self.font()).horizontalAdvance(text) + self.cw
            box = QRectF(x, y + 1, w, self.rh - 2)
            p.fillRect(box, self.colours.highlight(m.colours[0]))
            current = m.id == self.model.current_mark
            p.setPen(QPen(outline(m.colours[0], self.colours.page), 2 if current else 1))
            p.drawRect(box)
            p.setPen(self.colours.text)
            p.drawText(box, Qt.AlignCenter, text)
            bx = self.gutter + self.bars_w - (m.lane + 1) * (BAR + 2)
            paint_bar(p, bx, y, y + self.rh, m.colours)
            self._badges[m.id] = box
            x += w + self.cw

    def _paint_line(self, p: QPainter, ln, y: float, sel) -> None:
        rh = self.rh
        self._paint_markers(p, ln, y)
        for m in self.model.marks_on(ln.page):
            cols = self._cols(ln, m.start, m.end)
            if cols is None:
                continue
            x0, x1 = self._x(cols[0]), self._x(max(cols[1], cols[0] + 1))
            p.fillRect(QRectF(x0, y, x1 - x0, rh), self.colours.highlight(m.colours[0]))
            bx = self.gutter + self.bars_w - (m.lane + 1) * (BAR + 2)
            paint_bar(p, bx, y, y + rh, m.colours)
            if m.id == self.model.current_mark:
                p.setPen(QPen(QColor(m.colours[0]).darker(150), 1.5))
                p.drawLine(QPointF(x0, y + rh - 1), QPointF(x1, y + rh - 1))
        if sel:
            cols = self._cols(ln, *sel)
            if cols:
                x0, x1 = self._x(cols[0]), self._x(max(cols[1], cols[0] + 1))
                p.fillRect(QRectF(x0, y, x1 - x0, rh), SELECTION)
        for n, (hp, a, b) in enumerate(self.model.hits):
            if hp == ln.page:
                cols = self._cols(ln, (hp, a), (hp, b))
                if cols:
                    colour = HIT_CURRENT if n == self.model.hit_index else HIT
                    p.fillRect(QRectF(self._x(cols[0]), y, (cols[1] - cols[0]) * self.cw, rh), colour)
        transcript = self.model.kind == "transcript"
        p.setFont(self.font())
        c = self.colours
        p.setPen(c.quiet)
        gut = f"{ln.tpage}:{ln.line}" if transcript else f"{ln.line}"
        if ln.para is not None:  # web text: the tool's paragraph number; statements: the printed one
            gut = f"¶{ln.para}" if transcript else f"¶{ln.para} {ln.line}"
        p.drawText(QRectF(0, y, self.gutter - self.cw / 2, rh), Qt.AlignRight | Qt.AlignVCenter, gut)
        base = QPointF(self._x(0), y + self.ascent + 1)
        text = ln.text
        label = self._label_len(ln)
        if label:
            p.setFont(self._bold)
            p.setPen(c.roles.get(ln.role, c.roles["speech"]))
            p.drawText(base, text[:label])
            p.setFont(self.font())
        p.setPen(c.quiet if ln.role == "stage" else c.text)
        p.drawText(QPointF(self._x(label), base.y()), text[label:])

    @staticmethod
    def _label_len(ln) -> int:
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

    # ---- mouse ---------------------------------------------------------
    def _pos_at(self, pt: QPointF, end: bool):
        """(page, char) at a point, snapped to word edges; None in header rows."""
        i = max(0, min(len(self.rows) - 1, self.row_at(pt.y())))
        if not self.rows:
            return None
        kind, k = self.rows[i]
        if kind == "head":
            k = self.rows[min(i + 1, len(self.rows) - 1)][1]
            if isinstance(k, str):
                return None
        ln = self.model.lines[k]
        if pt.x() < self.gutter + self.bars_w:  # gutter: whole lines
            return (ln.page, ln.end if end else ln.start), ln
        col = int((pt.x() - self._x(0)) / self.cw)
        col = max(0, min(len(ln.text), col))
        words = list(_WORD.finditer(ln.text))
        if end:
            before = [m for m in words if m.start() <= col]
            return (ln.page, ln.start + (before[-1].end() if before else 0)), ln
        after = next((m for m in words if m.end() > col), None)
        return (ln.page, ln.start + (after.start() if after else len(ln.text))), ln

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
        if self._gutter and got:
            ln = got[1]
            self.model.set_selection((ln.page, ln.start), (ln.page, ln.end))

    def mouseMoveEvent(self, event) -> None:
        if self._press is not None and event.buttons() & Qt.LeftButton and self._anchor:
            if (event.position() - self._press).manhattanLength() < 4 and not self._dragged:
                return
            self._dragged = True
            a_pos, a_ln = self._anchor
            if self._gutter:
                pt = QPointF(0, event.position().y())
                here = self._pos_at(pt, False)
                if here:
                    h = here[1]
                    lo = min((a_ln.page, a_ln.start), (h.page, h.start))
                    hi = max((a_ln.page, a_ln.end), (h.page, h.end))
                    self.model.set_selection(lo, hi)
            else:
                here_end = self._pos_at(event.position(), True)
                here_start = self._pos_at(event.position(), False)
                if here_end and here_end[0] >= a_pos:
                    self.model.set_selection(a_pos, here_end[0])
                elif here_start:
                    a_end = self._word_end(a_ln, a_pos)
                    self.model.set_selection(here_start[0], a_end)
            bar = self.verticalScrollBar()
            if event.position().y() < 8:
                bar.setValue(bar.value() - int(self.rh))
            elif event.position().y() > self.viewport().height() - 8:
                bar.setValue(bar.value() + int(self.rh))
            return
        show_marks_tip(self.viewport(), self._marks_under(event.position()), event)

    @staticmethod
    def _word_end(ln, pos) -> tuple[int, int]:
        col = pos[1] - ln.start
        m = _WORD.search(ln.text, col)
        return (ln.page, ln.start + (m.end() if m else len(ln.text)))

    def _marker_at(self, pt: QPointF) -> int | None:
        return next((pid for pid, box in self._badges.items() if box.contains(pt)), None)

    def _marks_under(self, pt: QPointF):
        pid = self._marker_at(pt)
        if pid is not None and self.model.mark(pid) is not None:
            return [self.model.mark(pid)]
        i = self.row_at(pt.y())
        if not 0 <= i < len(self.rows) or self.rows[i][0] != "line":
            return []
        ln = self.model.lines[self.rows[i][1]]
        col = (pt.x() - self._x(0)) / self.cw
        out = []
        for m in self.model.marks_on(ln.page):
            cols = self._cols(ln, m.start, m.end)
            if cols is None:
                continue
            bx = self.gutter + self.bars_w - (m.lane + 1) * (BAR + 2)
            if cols[0] <= col < max(cols[1], cols[0] + 1) or bx - 1 <= pt.x() <= bx + BAR + 1:
                out.append(m)
        return out

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
            marks = self._marks_under(event.position())
            self.model.set_selection(None)
            if marks:
                self.passage_clicked.emit(marks[-1].id)
        self._press = None

    def mouseDoubleClickEvent(self, event) -> None:
        a = self._pos_at(event.position(), False)
        b = self._pos_at(event.position(), True)
        if a and b:
            self.model.set_selection(a[0], b[0])

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.ControlModifier:
            f = self.font()
            f.setPointSizeF(max(6.0, min(40.0, f.pointSizeF() + (1 if event.angleDelta().y() > 0 else -1))))
            self.set_font_size(f.pointSizeF())
            return
        super().wheelEvent(event)

    def set_font_size(self, size: float) -> None:
        place = self.current_place()
        f = self.font()
        f.setPointSizeF(size)
        self.setFont(f)
        self._bold = QFont(f)
        self._bold.setBold(True)
        self._metrics()
        self.go_to(place, align_top=True)

    def contextMenuEvent(self, event) -> None:
        self.context_requested.emit(event.globalPos())
