"""What both views of one document share: pages, lines, passages, selection, search hits.

Positions are (page index, char offset into Page.text) throughout.
"""

import bisect

from PySide6.QtCore import QObject, Signal

from annotator.core.library import reading
from annotator.gui.models.lines import Lines, TextLine

Pos = tuple[int, int]
TOOL_NUMBERED_HEAD = "No printed pages: ¶ numbers are Annotator's own, counted through the day"


def head_key(ln: TextLine, transcript: bool):
    """Lines under one page heading share this key; a new key starts a new heading."""
    if transcript and ln.para is not None:  # web text: one note at the top, no page heads
        return "tool"
    return (ln.day, ln.tpage)


def head_label(ln: TextLine, transcript: bool) -> str:
    if transcript and ln.para is not None:
        return TOOL_NUMBERED_HEAD
    return f"Day {ln.day}, page {ln.tpage}" if transcript and ln.day is not None else f"Page {ln.tpage}"


class DocModel(QObject):
    marks_changed = Signal()
    selection_changed = Signal()
    hits_changed = Signal()
    current_mark_changed = Signal()
    lines_ready = Signal()
    area_changed = Signal()  # the rectangle drawn on a page, waiting to be tagged

    def __init__(self, ctx, doc_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.doc_id = doc_id
        self.hidden_themes: set[int] = set()
        self.selection: tuple[Pos, Pos] | None = None
        self.area: tuple[int, float, float, float, float] | None = None  # (page, x0, y0, x1, y1)
        self.hits: list[tuple[int, int, int]] = []
        self.hit_index = -1
        self.current_mark: int | None = None
        info = reading.outline(ctx.ws, doc_id)
        self.title, self.kind, self.urn, self.day = info.title, info.kind, info.urn, info.day
        self.is_pdf = info.is_pdf
        self.page_sizes = info.page_sizes
        ws = ctx.ws  # lines are read a few pages at a time, as the views ask for them
        self.lines = Lines(
            lambda first, last: reading.line_rows_of_pages(ws, doc_id, first, last),
            lambda page: reading.line_seqs(ws, doc_id, page),
            len(self.page_sizes),
        )
        self.lines.count_with(lambda: reading.lines_per_page(ws, doc_id, len(self.page_sizes)))
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self.lines_loaded = True  # kept for the views: lines are always at hand now
        self._texts: dict[int, str] = {}
        self.marks: list[reading.Mark] = []
        self.by_page: dict[int, list[reading.Mark]] = {}
        self.reload_marks()

    # ---- passages ------------------------------------------------------
    def reload_marks(self) -> None:
        self.marks = reading.document_marks(self.ctx.ws, self.doc_id, self.hidden_themes)
        self.by_page = {}
        for m in self.marks:
            for p in range(m.start[0], m.end[0] + 1):
                self.by_page.setdefault(p, []).append(m)
        self.marks_changed.emit()

    def marks_on(self, page: int) -> list[reading.Mark]:
        return self.by_page.get(page, [])

    def marks_at(self, pos: Pos) -> list[reading.Mark]:
        return [m for m in self.marks_on(pos[0]) if m.start <= pos < m.end]

    def mark(self, pid: int) -> reading.Mark | None:
        return next((m for m in self.marks if m.id == pid), None)

    def set_current_mark(self, pid: int | None) -> None:
        self.current_mark = pid
        self.current_mark_changed.emit()

    # ---- text ----------------------------------------------------------
    def page_text(self, page: int) -> str:
        if page not in self._texts:
            self._texts[page] = reading.page_text(self.ctx.ws, self.doc_id, page)
            if len(self._texts) > 200:
                self._texts.pop(next(iter(self._texts)))
        return self._texts[page]

    def text_between(self, start: Pos, end: Pos) -> str:
        """The text of a range, line by line where lines are known (no margin numbers)."""
        lines = self.lines_between(start, end)
        if lines:
            parts = []
            for ln in lines:
                a = max(ln.start, start[1]) if ln.page == start[0] else ln.start
                b = min(ln.end, end[1]) if ln.page == end[0] else ln.end
                parts.append(self.page_text(ln.page)[a:b])
            return "\n".join(parts)
        out = []
        for p in range(start[0], end[0] + 1):
            t = self.page_text(p)
            out.append(t[start[1] if p == start[0] else 0 : end[1] if p == end[0] else len(t)])
        return "\n".join(out)

    def lines_between(self, start: Pos, end: Pos) -> list[TextLine]:
        out: list[TextLine] = []
        k = self.line_index_at(start)
        while 0 <= k < len(self.lines):
            ln = self.lines[k]
            if (ln.page, ln.start) >= end:
                break
            if (ln.page, ln.end) > start and ln.role != "header":
                out.append(ln)
            k += 1
        return out

    def text_words(self, page: int, words: list) -> list:
        """The words of a page that belong to its lines: margin numbers and headers drop out."""
        spans = self._spans.get(page)
        if spans is None:
            if len(self._spans) > 500:
                self._spans.clear()
            spans = self._spans[page] = sorted(
                (ln.start, ln.end) for ln in self.lines.page(page) if ln.role != "header"
            )
        if not spans:
            return words
        starts = [a for a, _b in spans]
        out = []
        for w in words:
            k = bisect.bisect_right(starts, w.start) - 1
            if k >= 0 and w.start < spans[k][1]:
                out.append(w)
        return out

    def line_index_at(self, pos: Pos) -> int:
        """Index into self.lines of the line holding pos (or the one before it on its page;
        before a page's first line, that first line; on a page without lines, the next line)."""
        lines = self.lines
        if not lines or pos[0] < 0:
            return 0
        if pos[0] >= lines.n_pages:
            return len(lines) - 1
        on_page = lines.page(pos[0])
        i = bisect.bisect_right(on_page, pos[1], key=lambda ln: ln.start) - 1
        return min(len(lines) - 1, lines.first_of(pos[0]) + max(0, i))

    # ---- selection and search hits --------------------------------------
    def set_selection(self, start: Pos | None, end: Pos | None = None) -> None:
        if start is None or end is None or end <= start:
            new = None
        else:
            new = (start, end)
        if new != self.selection:
            self.selection = new
            self.selection_changed.emit()
        if new is not None:
            self.set_area(None)  # text chosen: the drawn rectangle goes

    def set_area(self, area: tuple[int, float, float, float, float] | None) -> None:
        """The rectangle to tag as an area (page index, then points); a new one
        replaces the text selection, so a theme key tags the one chosen last."""
        if area != self.area:
            self.area = area
            if area is not None and self.selection is not None:
                self.selection = None
                self.selection_changed.emit()
            self.area_changed.emit()
            self.selection_changed.emit()  # what a theme key would tag has changed

    def has_target(self) -> bool:
        """Is there something to tag: selected text or a drawn rectangle."""
        return self.selection is not None or self.area is not None

    def clear_targets(self) -> None:
        self.set_selection(None)
        self.set_area(None)

    def selected_text(self) -> str:
        return self.text_between(*self.selection) if self.selection else ""

    def set_hits(self, hits: list[tuple[int, int, int]]) -> None:
        self.hits = sorted(hits)
        self.hit_index = 0 if self.hits else -1
        self.hits_changed.emit()

    def step_hit(self, delta: int) -> tuple[int, int, int] | None:
        if not self.hits:
            return None
        self.hit_index = (self.hit_index + delta) % len(self.hits)
        self.hits_changed.emit()
        return self.hits[self.hit_index]
