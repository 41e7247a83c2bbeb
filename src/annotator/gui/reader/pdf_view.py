"""The PDF view: pages stacked for continuous scrolling, drawn from the render cache.

Page geometry is known from the workspace (Page.width/height), so the view
lays out 5,000 pages at once without touching PyMuPDF; pixels and word
boxes arrive from the app's PyMuPDF lane for the pages on screen only.
"""

import bisect

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractScrollArea

from annotator.core.library.render import nearest_word, rects_for_range
from annotator.gui.appearance import outline
from annotator.gui.reader.hover import show_marks_tip
from annotator.gui.reader.render_service import RenderService

GAP = 12  # pixels between pages
MARGIN = 40  # left/right room for margin bars
BAR = 4
SELECTION = QColor(51, 119, 255, 80)
HIT = QColor(255, 152, 0, 110)
HIT_CURRENT = QColor(255, 87, 34, 170)
AREA_DRAFT = QColor(21, 101, 192)  # the rectangle being drawn, not yet tagged
MIN_DRAG = 4  # pixels the mouse moves before a press becomes a drag


def paint_bar(p: QPainter, x: float, top: float, bottom: float, colours: list[str]) -> None:
    """A margin bar; a passage with several themes gets dashes of each colour in turn."""
    if len(colours) == 1:
        p.fillRect(QRectF(x, top, BAR, bottom - top), QColor(colours[0]))
        return
    y, k = top, 0
    while y < bottom:
        p.fillRect(QRectF(x, y, BAR, min(6.0, bottom - y)), QColor(colours[k % len(colours)]))
        y += 6.0
        k += 1


def tint(colour: str, alpha: int = 85) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


class PdfView(QAbstractScrollArea):
    passage_clicked = Signal(int)
    context_requested = Signal(QPoint)
    zoom_changed = Signal()
    place_changed = Signal(int)  # top page index

    def __init__(self, model, tasks, source, parent=None, ocr=None):
        super().__init__(parent)
        self.model = model
        self.service = RenderService(tasks, source, self, ocr)
        self.service.failed.connect(lambda _m: self.viewport().update())
        self.zoom = 1.0  # logical pixels per point
        self.fit = "width"  # width | page | None (fixed zoom)
        self._tops: list[float] = []
        self._press = None
        self._dragged = False
        self._pending_place: tuple[int, int, bool] | None = None  # a place waiting for its page's words
        self._asked: tuple[int, int] | None = None  # the place last gone to, until the person scrolls
        self._going = False
        self._area_from: tuple[int, float, float] | None = None  # a rectangle being drawn
        self.draw_areas = False  # the "Draw area" mode: a drag draws a rectangle, not a selection
        self._max_w = max((w for w, _h in model.page_sizes), default=595.0)
        self._max_h = max((h for _w, h in model.page_sizes), default=842.0)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.service.page_ready.connect(self._on_page_ready)
        self.service.words_ready.connect(lambda _p: self.viewport().update())
        for sig in (
            model.marks_changed,
            model.selection_changed,
            model.hits_changed,
            model.current_mark_changed,
            model.area_changed,
        ):
            sig.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._relayout()

    def set_draw_areas(self, on: bool) -> None:
        self.draw_areas = on
        self.viewport().setCursor(Qt.CrossCursor if on else Qt.ArrowCursor)

    # ---- geometry ------------------------------------------------------
    def _dpr(self) -> float:
        return self.devicePixelRatioF() or 1.0

    def render_zoom(self) -> float:
        """Pixels per point actually rendered: sharp on high-DPI screens."""
        return round(self.zoom * self._dpr(), 3)

    def _relayout(self) -> None:
        if self.fit:
            self.zoom = self._fit_zoom(self.fit)
        y, tops = GAP, []
        for _w, h in self.model.page_sizes:
            tops.append(y)
            y += h * self.zoom + GAP
        self._tops = tops
        self._total_h = y
        width = self._max_w * self.zoom + 2 * MARGIN
        vp = self.viewport().size()
        self.verticalScrollBar().setRange(0, max(0, int(y - vp.height())))
        self.verticalScrollBar().setPageStep(vp.height())
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setRange(0, max(0, int(width - vp.width())))
        self.horizontalScrollBar().setPageStep(vp.width())
        self.viewport().update()

    def _fit_zoom(self, mode: str) -> float:
        vp = self.viewport().size()
        w, h = self._max_w, self._max_h
        zw = max(0.1, (vp.width() - 2 * MARGIN) / w)
        if mode == "page":
            return max(0.1, min(zw, (vp.height() - 2 * GAP) / h))
        return zw

    def set_zoom(self, zoom: float | str) -> None:
        place = self.current_place()
        if isinstance(zoom, str):
            self.fit = zoom
        else:
            self.fit = None
            self.zoom = max(0.1, min(8.0, zoom))
        self._relayout()
        self.go_to(place, align_top=True)
        self.zoom_changed.emit()

    def page_rect(self, i: int) -> QRectF:
        """Where page i is drawn, in viewport pixels."""
        w, h = self.model.page_sizes[i]
        total_w = self.viewport().width()
        content_w = self._max_w * self.zoom + 2 * MARGIN
        x = (
            max(MARGIN, (total_w - w * self.zoom) / 2)
            if content_w <= total_w
            else MARGIN + (content_w - 2 * MARGIN - w * self.zoom) / 2 - self.horizontalScrollBar().value()
        )
        y = self._tops[i] - self.verticalScrollBar().value()
        return QRectF(x, y, w * self.zoom, h * self.zoom)

    def visible_pages(self) -> list[int]:
        if not self._tops:
            return []
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        out = []
        for i in range(first, len(self._tops)):
            if self._tops[i] > bottom:
                break
            out.append(i)
        return out

    def page_at(self, pt: QPointF) -> tuple[int, float, float] | None:
        """(page, x, y in points) under a viewport point; clamps to the nearest page."""
        if not self._tops:
            return None
        y_abs = pt.y() + self.verticalScrollBar().value()
        i = max(0, min(len(self._tops) - 1, bisect.bisect_right(self._tops, y_abs) - 1))
        r = self.page_rect(i)
        return i, (pt.x() - r.x()) / self.zoom, (pt.y() - r.y()) / self.zoom

    # ---- places --------------------------------------------------------
    def current_place(self) -> tuple[int, int]:
        """The first word of the document's text at the top of the screen, as (page, char).

        Margin line numbers and running heads are skipped (they belong to no
        line); a place asked for before its page's words arrived is that place.
        """
        if self._asked is not None:  # kept until the person scrolls, even where the end stops the page
            return self._asked
        pending = self._pending_place
        if pending:
            return pending[0], pending[1]
        pages = self.visible_pages()
        if not pages:
            return (0, 0)
        p = pages[0]
        if self.page_rect(p).bottom() <= 0 and p + 1 < len(self._tops):
            p += 1  # only the gap below this page shows: the place is on the next
        y = max(0.0, -self.page_rect(p).y() / self.zoom)
        words = self.service.words.get(p)
        if words is None:
            return (p, 0)
        below = [w for w in self.model.text_words(p, words) if (w.y0 + w.y1) / 2 >= y]
        if below:
            return (p, below[0].start)
        return (min(p + 1, len(self._tops) - 1), 0) if y >= 1 else (p, 0)

    def go_to(self, pos: tuple[int, int], align_top: bool = False) -> None:
        page, char = pos
        if not 0 <= page < len(self._tops):
            return
        self._pending_place = None
        y = self._tops[page]
        words = self.service.words.get(page)
        if words and char:
            hit = next((w for w in self.model.text_words(page, words) if w.end > char), None)
            if hit is not None:
                y += hit.y0 * self.zoom - (
                    min(8.0, 4 * self.zoom) if align_top else self.viewport().height() / 3
                )
        elif not align_top:
            y -= GAP
        self._going = True
        try:
            self.verticalScrollBar().setValue(int(max(0, y)))
        finally:
            self._going = False
        self._asked = pos if align_top else None
        if words is None and char:
            self._pending_place = (page, char, align_top)
            self.service.want([page], self.render_zoom())

    def show_area(self, area) -> None:
        """Scroll so an area is on screen: centred when it fits, else its top near the top."""
        page, _x0, y0, _x1, y1 = area
        if not 0 <= page < len(self._tops):
            return
        top, h, room = self._tops[page] + y0 * self.zoom, (y1 - y0) * self.zoom, self.viewport().height()
        self.verticalScrollBar().setValue(int(max(0, top - max(GAP, (room - h) / 2))))

    def area_rect(self, area, r: QRectF) -> QRectF:
        """An area's rectangle (points on its page) in viewport pixels, r: the page's rect."""
        _p, x0, y0, x1, y1 = area
        z = self.zoom
        return QRectF(r.x() + x0 * z, r.y() + y0 * z, (x1 - x0) * z, (y1 - y0) * z)

    # ---- events --------------------------------------------------------
    def resizeEvent(self, event) -> None:
        place = self.current_place() if self._tops else (0, 0)
        super().resizeEvent(event)
        self._relayout()
        if self.fit:
            self.go_to(place, align_top=True)

    def _scrolled(self) -> None:
        if not self._going:
            self._asked = None  # the person moved: the place is what the screen shows
        self.viewport().update()
        pages = self.visible_pages()
        if pages:
            self.place_changed.emit(pages[0])

    def _on_page_ready(self, page: int, zoom: float) -> None:
        if zoom == self.render_zoom() and page in self.visible_pages():
            self.viewport().update()

    def paintEvent(self, _event) -> None:
        pending = self._pending_place
        if pending and self.service.words.get(pending[0]) is not None:
            self._pending_place = None
            self.go_to((pending[0], pending[1]), pending[2])
        p = QPainter(self.viewport())
        p.fillRect(self.viewport().rect(), QColor("#6b6f75"))
        pages = self.visible_pages()
        zoom = self.render_zoom()
        missing = []
        for i in pages:
            r = self.page_rect(i)
            img = self.service.image(i, zoom)
            if img is None:
                missing.append(i)
                img = self.service.any_image(i)
            p.fillRect(r, Qt.white)
            if img is not None:
                p.drawImage(r, img)
            elif self.service.error:
                p.setPen(QColor("#B71C1C"))
                p.drawText(
                    r.adjusted(20, 20, -20, -20),
                    Qt.AlignTop | Qt.TextWordWrap,
                    f"This page cannot be shown: {self.service.error}",
                )
            self._paint_overlays(p, i, r)
        if missing or any(self.service.words.get(i) is None for i in pages):
            ahead = [pages[-1] + 1] if pages and pages[-1] + 1 < len(self._tops) else []
            self.service.want(missing + [i for i in pages if i not in missing] + ahead, zoom)
        p.end()

    def _rects(self, page: int, start: int, end: int, r: QRectF) -> list[QRectF]:
        words = self.model.text_words(page, self.service.words.get(page) or [])
        z = self.zoom
        return [
            QRectF(r.x() + x0 * z, r.y() + y0 * z, (x1 - x0) * z, (y1 - y0) * z)
            for x0, y0, x1, y1 in rects_for_range(words, start, end)
        ]

    @staticmethod
    def _span_on(page: int, start, end, text_len: int = 10**9) -> tuple[int, int]:
        a = start[1] if start[0] == page else 0
        b = end[1] if end[0] == page else text_len
        return a, b

    def _paint_area(self, p: QPainter, m, r: QRectF) -> None:
        """An area: its rectangle tinted and outlined in its theme's colour, a margin bar beside it."""
        rr = self.area_rect(m.area, r)
        colour = m.colours[0]
        p.fillRect(rr, tint(colour, 45))
        current = m.id == self.model.current_mark
        line = outline(colour, QColor("white"))
        p.setPen(QPen(line.darker(130) if current else line, 3 if current else 2))
        p.setBrush(Qt.NoBrush)
        p.drawRect(rr)
        x = r.x() - 6 - m.lane * (BAR + 2) - BAR
        paint_bar(p, x, rr.top(), rr.bottom(), m.colours)

    def _paint_overlays(self, p: QPainter, page: int, r: QRectF) -> None:
        self._paint_unsure(p, page, r)
        for m in self.model.marks_on(page):
            if m.is_area:
                if m.area[0] == page:
                    self._paint_area(p, m, r)
                continue
            a, b = self._span_on(page, m.start, m.end)
            rects = self._rects(page, a, b, r)
            colour = m.colours[0]
            for rr in rects:
                p.fillRect(rr, tint(colour))
            if rects:
                top, bottom = min(x.top() for x in rects), max(x.bottom() for x in rects)
                x = r.x() - 6 - m.lane * (BAR + 2) - BAR
                paint_bar(p, x, top, bottom, m.colours)
                if m.id == self.model.current_mark:
                    p.setPen(QPen(QColor(colour).darker(150), 2))
                    for rr in rects:
                        p.drawRect(rr.adjusted(-1, -1, 1, 1))
        if self.model.area is not None and self.model.area[0] == page:
            rr = self.area_rect(self.model.area, r)
            p.fillRect(rr, SELECTION)
            p.setPen(QPen(AREA_DRAFT, 2, Qt.DashLine))
            p.setBrush(Qt.NoBrush)
            p.drawRect(rr)
        sel = self.model.selection
        if sel and sel[0][0] <= page <= sel[1][0]:
            a, b = self._span_on(page, *sel)
            for rr in self._rects(page, a, b, r):
                p.fillRect(rr, SELECTION)
        for k, (hp, a, b) in enumerate(self.model.hits):
            if hp == page:
                colour = HIT_CURRENT if k == self.model.hit_index else HIT
                for rr in self._rects(page, a, b, r):
                    p.fillRect(rr, colour)

    def _paint_unsure(self, p: QPainter, page: int, r: QRectF) -> None:
        """Words OCR was unsure of: a dotted underline in the palette's link colour."""
        low = [w for w in self.service.words.get(page) or () if getattr(w, "low", False)]
        if not low:
            return
        p.setPen(QPen(self.palette().color(QPalette.Link), 1.5, Qt.DotLine))
        z = self.zoom
        for w in low:
            y = r.y() + w.y1 * z + 1
            p.drawLine(QPointF(r.x() + w.x0 * z, y), QPointF(r.x() + w.x1 * z, y))

    def _word_pos(self, pt: QPointF, end: bool):
        hit = self.page_at(pt)
        if hit is None:
            return None
        page, x, y = hit
        words = self.service.words.get(page)
        if not words:
            return None
        k = nearest_word(words, x, y)
        return (page, words[k].end if end else words[k].start), (page, words[k].start, words[k].end)

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus()
        self._press = event.position()
        self._dragged = False
        self._area_from = None
        if self.draw_areas or event.modifiers() & Qt.ShiftModifier:  # Shift+drag draws an area too
            self._area_from = self.page_at(event.position())
            self._anchor = None
            return
        got = self._word_pos(event.position(), end=False)
        self._anchor = got[1] if got else None

    def _drawn(self, pt: QPointF) -> tuple[int, float, float, float, float]:
        """The rectangle from where the drag began to pt, on the page it began on."""
        page, x0, y0 = self._area_from
        r = self.page_rect(page)
        w, h = self.model.page_sizes[page]
        x1 = min(w, max(0.0, (pt.x() - r.x()) / self.zoom))
        y1 = min(h, max(0.0, (pt.y() - r.y()) / self.zoom))
        x0, y0 = min(w, max(0.0, x0)), min(h, max(0.0, y0))
        return (page, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def mouseMoveEvent(self, event) -> None:
        if self._press is not None and event.buttons() & Qt.LeftButton:
            if (event.position() - self._press).manhattanLength() < MIN_DRAG and not self._dragged:
                return
            self._dragged = True
            if self._area_from is not None:
                self.model.set_area(self._drawn(event.position()))
                self._autoscroll(event.position())
                return
            got = self._word_pos(event.position(), end=True)
            if got and self._anchor:
                page, ws, we = got[1]
                ap, a_s, a_e = self._anchor
                if (page, ws) >= (ap, a_s):
                    self.model.set_selection((ap, a_s), (page, we))
                else:
                    self.model.set_selection((page, ws), (ap, a_e))
            self._autoscroll(event.position())
            return
        hit = self.page_at(event.position())
        if hit:
            show_marks_tip(self.viewport(), self._marks_under(event.position()), event)

    def _autoscroll(self, pt: QPointF) -> None:
        h = self.viewport().height()
        bar = self.verticalScrollBar()
        if pt.y() < 10:
            bar.setValue(bar.value() - 20)
        elif pt.y() > h - 10:
            bar.setValue(bar.value() + 20)

    def _marks_under(self, pt: QPointF):
        hit = self.page_at(pt)
        if hit is None:
            return []
        page, x, y = hit
        r = self.page_rect(page)
        out = []
        for m in self.model.marks_on(page):
            if m.is_area:
                rects = [self.area_rect(m.area, r)] if m.area[0] == page else []
            else:
                a, b = self._span_on(page, m.start, m.end)
                rects = self._rects(page, a, b, r)
            if any(rr.adjusted(-1, -1, 1, 1).contains(pt) for rr in rects):
                out.append(m)
            elif rects:
                bx = r.x() - 6 - m.lane * (BAR + 2) - BAR
                top, bottom = min(x.top() for x in rects), max(x.bottom() for x in rects)
                if bx - 1 <= pt.x() <= bx + BAR + 1 and top <= pt.y() <= bottom:
                    out.append(m)
        return out

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.LeftButton and self._press is not None and self._area_from is not None:
            area = self._drawn(event.position()) if self._dragged else None
            small = area is None or min(area[3] - area[1], area[4] - area[2]) * self.zoom < MIN_DRAG
            if small:  # a click, not a rectangle: it picks a passage as a click does
                self.model.set_area(None)
                marks = self._marks_under(event.position())
                if marks:
                    self.passage_clicked.emit(marks[-1].id)
            else:
                self.model.set_area(area)
        elif event.button() == Qt.LeftButton and self._press is not None and not self._dragged:
            marks = self._marks_under(event.position())
            self.model.clear_targets()
            if marks:
                self.passage_clicked.emit(marks[-1].id)
        self._press = None
        self._area_from = None

    def mouseDoubleClickEvent(self, event) -> None:
        got = self._word_pos(event.position(), end=False)
        if got:
            page, a, b = got[1]
            self.model.set_selection((page, a), (page, b))

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.ControlModifier:
            step = 1.1 if event.angleDelta().y() > 0 else 1 / 1.1
            self.set_zoom(self.zoom * step)
            return
        super().wheelEvent(event)

    def contextMenuEvent(self, event) -> None:
        self.context_requested.emit(event.globalPos())

    def key_move(self, name: str) -> None:
        """Page and document moves (the caret keys select in the text view only)."""
        bar = self.verticalScrollBar()
        actions = {
            "page_up": bar.SliderAction.SliderPageStepSub,
            "page_down": bar.SliderAction.SliderPageStepAdd,
            "doc_start": bar.SliderAction.SliderToMinimum,
            "doc_end": bar.SliderAction.SliderToMaximum,
        }
        if name in actions:
            bar.triggerAction(actions[name])

    def keyPressEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() in (
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        ):
            self.key_move("doc_start" if event.key() == Qt.Key.Key_Home else "doc_end")
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self.service.close()
        super().closeEvent(event)
