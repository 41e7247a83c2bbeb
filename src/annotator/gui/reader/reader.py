"""The reading and tagging screen for one document: PDF view and transcript view.

Layout here; the menus and tag actions live in reader_actions.py.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.evidence import tagging
from annotator.core.util.errors import InvalidInput
from annotator.core.library.render import load_pdf_bytes, rects_for_range
from annotator.core.ocr.pages import reader_words
from annotator.gui.models.doc_model import DocModel
from annotator.gui.reader.text_view import TextView

ZOOMS = ["Fit width", "Fit page", "50%", "75%", "100%", "125%", "150%", "200%", "300%", "400%"]


class ReaderWidget(QWidget):
    passage_clicked = Signal(int)
    selection_changed = Signal()
    reference_activated = Signal(object, bool)  # a Found reference clicked; open it in the other side

    def __init__(self, ctx, document_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.document_id = document_id
        self.links = None  # the window's ReferenceLinks (set_links)
        self.model = DocModel(ctx, document_id, self)
        self.title = self.model.title
        self.pdf_view = None
        if self.model.is_pdf:
            from annotator.gui.reader.pdf_view import PdfView

            ws = ctx.ws  # the blob is read on the pdf lane, so the window never waits on it
            self.pdf_view = PdfView(
                self.model,
                ctx.tasks,
                lambda: load_pdf_bytes(ws, document_id),
                ocr=lambda i: reader_words(ws, document_id, i),
            )
        self.text_view = TextView(self.model)
        self.stack = QStackedWidget()
        if self.pdf_view is not None:
            self.stack.addWidget(self.pdf_view)
        self.stack.addWidget(self.text_view)
        self._build_toolbar()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.toolbar)
        lay.addWidget(self.stack)
        self._wire()
        if self.model.kind == "transcript" or self.pdf_view is None:
            self.show_view("text" if self.model.lines or self.pdf_view is None else "pdf")
        else:
            self.show_view("pdf")

    # ---- layout --------------------------------------------------------
    def _build_toolbar(self) -> None:
        tb = self.toolbar = QToolBar()
        tb.setIconSize(tb.iconSize() * 0.75)
        self.pdf_action = QAction("PDF page", self, checkable=True)
        self.text_action = QAction(
            "Transcript" if self.model.kind == "transcript" else "Text", self, checkable=True
        )
        self.pdf_action.setEnabled(self.pdf_view is not None)
        self.text_action.setEnabled(bool(self.model.lines))
        self.toggle_action = QAction("Switch view", self)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+T"))
        self.toggle_action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.addAction(self.toggle_action)
        tb.addAction(self.pdf_action)
        tb.addAction(self.text_action)
        tb.addSeparator()
        self.zoom_box = QComboBox()
        self.zoom_box.setEditable(True)
        self.zoom_box.addItems(ZOOMS)
        self.zoom_box.setToolTip("Zoom (Ctrl+wheel)")
        self.zoom_out_action = QAction("−", self, shortcut=QKeySequence.ZoomOut, toolTip="Zoom out")
        self.zoom_in_action = QAction("+", self, shortcut=QKeySequence.ZoomIn, toolTip="Zoom in")
        for a in (self.zoom_out_action, self.zoom_in_action):
            a.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        tb.addAction(self.zoom_out_action)
        tb.addWidget(self.zoom_box)
        tb.addAction(self.zoom_in_action)
        tb.addSeparator()
        self.prev_hit_action = QAction(
            "◀ Hit", self, shortcut=QKeySequence("Shift+F3"), toolTip="Previous search hit (Shift+F3)"
        )
        self.next_hit_action = QAction(
            "Hit ▶", self, shortcut=QKeySequence("F3"), toolTip="Next search hit (F3)"
        )
        for a in (self.prev_hit_action, self.next_hit_action):
            a.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            tb.addAction(a)
        self.hits_label = QLabel()
        tb.addWidget(self.hits_label)
        tb.addSeparator()
        self.draw_area_action = QAction(
            "Draw area",
            self,
            checkable=True,
            shortcut=QKeySequence("Ctrl+Shift+D"),
            toolTip="Draw a rectangle on the page to tag it as an area: a signature, a photograph, "
            "a table (Ctrl+Shift+D; or hold Shift while dragging)",
        )
        self.page_area_action = QAction(
            "Whole page as area",
            self,
            shortcut=QKeySequence("Ctrl+Shift+A"),
            toolTip="Choose the whole current page as an area, to tag with a theme key (Ctrl+Shift+A)",
        )
        for a in (self.draw_area_action, self.page_area_action):
            a.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            a.setEnabled(self.pdf_view is not None)
            self.addAction(a)  # the keys work wherever the focus is in the reader
            tb.addAction(a)
        tb.addSeparator()
        self.page_label = QLabel()
        tb.addWidget(self.page_label)
        self._update_hits_ui()

    def _wire(self) -> None:
        from annotator.gui.reader import reader_actions

        self.pdf_action.triggered.connect(lambda: self.show_view("pdf"))
        self.text_action.triggered.connect(lambda: self.show_view("text"))
        self.toggle_action.triggered.connect(
            lambda: self.show_view("text" if self.view_name() == "pdf" else "pdf")
        )
        self.zoom_box.activated.connect(lambda _i: self._zoom_from_box())
        self.zoom_box.lineEdit().returnPressed.connect(self._zoom_from_box)
        self.zoom_in_action.triggered.connect(lambda: self._zoom_step(1.2))
        self.zoom_out_action.triggered.connect(lambda: self._zoom_step(1 / 1.2))
        self.draw_area_action.toggled.connect(self._draw_areas)
        self.page_area_action.triggered.connect(self.choose_page_area)
        self.text_view.area_clicked.connect(self.show_area)
        self.next_hit_action.triggered.connect(self.next_hit)
        self.prev_hit_action.triggered.connect(self.prev_hit)
        self.model.hits_changed.connect(self._update_hits_ui)
        self.model.selection_changed.connect(self.selection_changed)
        views = [self.text_view] + ([self.pdf_view] if self.pdf_view else [])
        for v in views:
            v.passage_clicked.connect(self._clicked)
            v.place_changed.connect(self._show_page)
        if self.pdf_view:
            self.pdf_view.zoom_changed.connect(self._sync_zoom_box)
        self.ctx.changed.connect(self._on_change)
        self.model.lines_ready.connect(lambda: self.text_action.setEnabled(bool(self.model.lines)))
        reader_actions.install(self)

    # ---- views and places ----------------------------------------------
    def view_name(self) -> str:
        return "pdf" if self.pdf_view is not None and self.stack.currentWidget() is self.pdf_view else "text"

    def current_view(self):
        return self.stack.currentWidget()

    def show_view(self, name: str) -> None:
        """Switch between the PDF page and the transcript, keeping the place."""
        target = self.pdf_view if name == "pdf" and self.pdf_view is not None else self.text_view
        if name == "text" and not self.model.lines and self.pdf_view is not None:
            target = self.pdf_view
        current = self.stack.currentWidget()
        if target is not current and current is not None and self.isVisible():
            place = self.model.selection[0] if self.model.selection else current.current_place()
            self.stack.setCurrentWidget(target)
            target.go_to(place, align_top=self.model.selection is None)
        else:
            self.stack.setCurrentWidget(target)
        self.pdf_action.setChecked(target is self.pdf_view)
        self.text_action.setChecked(target is self.text_view)
        self.zoom_box.setEnabled(target is self.pdf_view)
        target.setFocus()

    def current_place(self) -> tuple[int, int]:
        return self.current_view().current_place()

    def key_move(self, name: str, extend: bool = False) -> None:
        """A caret move from the menus (text_keys.MOVES); the PDF page moves by page only."""
        view = self.current_view()
        view.key_move(name, extend) if view is self.text_view else view.key_move(name)
        view.setFocus()

    def go_to(
        self, page: int, char_start: int | None = None, char_end: int | None = None, select: bool = False
    ) -> None:
        pos = (page, char_start or 0)
        if (page, char_start, char_end) in self.model.hits:  # F3 continues from this hit
            self.model.hit_index = self.model.hits.index((page, char_start, char_end))
            self.model.hits_changed.emit()
        if select and char_start is not None and char_end is not None:
            self.model.set_selection(pos, (page, char_end))
        self.current_view().go_to(pos, align_top=char_start is None)
        self._show_page(page)

    def _show_page(self, page: int) -> None:
        n = len(self.model.page_sizes)
        self.page_label.setText(f"  Page {page + 1} of {n}  ")

    # ---- zoom ----------------------------------------------------------
    def _zoom_from_box(self) -> None:
        if self.pdf_view is None:
            return
        text = self.zoom_box.currentText().strip().lower()
        if text.startswith("fit w"):
            self.pdf_view.set_zoom("width")
        elif text.startswith("fit p"):
            self.pdf_view.set_zoom("page")
        else:
            try:
                self.pdf_view.set_zoom(float(text.rstrip("%").strip()) / 100 * 96 / 72)
            except ValueError:
                self._sync_zoom_box()

    def _zoom_step(self, factor: float) -> None:
        if self.view_name() == "pdf":
            self.pdf_view.set_zoom(self.pdf_view.zoom * factor)
        else:
            size = self.text_view.font().pointSizeF()
            self.text_view.set_font_size(max(6.0, min(40.0, size * factor)))

    def _sync_zoom_box(self) -> None:
        v = self.pdf_view
        label = {"width": "Fit width", "page": "Fit page"}.get(v.fit) or f"{round(v.zoom * 72 / 96 * 100)}%"
        self.zoom_box.setEditText(label)

    # ---- search hits ---------------------------------------------------
    def set_search_hits(self, hits: list[tuple[int, int, int]]) -> None:
        """Highlight (page, char_start, char_end) hits; F3 / Shift+F3 step through them."""
        self.model.set_hits(list(hits))
        if self.model.hits:
            page, a, b = self.model.hits[0]
            self.current_view().go_to((page, a))

    def next_hit(self) -> None:
        hit = self.model.step_hit(1)
        if hit:
            self.current_view().go_to((hit[0], hit[1]))

    def prev_hit(self) -> None:
        hit = self.model.step_hit(-1)
        if hit:
            self.current_view().go_to((hit[0], hit[1]))

    def _update_hits_ui(self) -> None:
        n = len(self.model.hits)
        self.hits_label.setText(f" {self.model.hit_index + 1}/{n} hits " if n else "")
        self.prev_hit_action.setEnabled(n > 0)
        self.next_hit_action.setEnabled(n > 0)

    # ---- passages ------------------------------------------------------
    def _clicked(self, pid: int) -> None:
        self.model.set_current_mark(pid)
        self.passage_clicked.emit(pid)

    def select_passage(self, pid: int, scroll: bool = True) -> None:
        m = self.model.mark(pid)
        self.model.set_current_mark(pid)
        if m is not None and scroll:
            if m.is_area and self.view_name() == "pdf":
                self.pdf_view.show_area(m.area)
            else:
                self.current_view().go_to(m.start)

    # ---- areas ---------------------------------------------------------
    def _draw_areas(self, on: bool) -> None:
        if self.pdf_view is None:
            return
        if on and self.view_name() != "pdf":
            self.show_view("pdf")
        self.pdf_view.set_draw_areas(on)

    def current_page(self) -> int:
        if self.view_name() == "pdf":
            pages = self.pdf_view.visible_pages()
            return pages[0] if pages else 0
        return self.current_place()[0]

    def choose_page_area(self) -> None:
        """The keyboard's way to an area: the whole page at the top of the view (or the
        rectangle just drawn on it, kept), then a theme key or Tag with note tags it."""
        if self.pdf_view is None or not self.model.page_sizes:
            return
        page = self.current_page()
        drawn = self.model.area
        if drawn is None or drawn[0] != page:
            w, h = self.model.page_sizes[page]
            self.model.set_area((page, 0.0, 0.0, w, h))
        win = self.window()
        if hasattr(win, "statusBar"):
            win.statusBar().showMessage(
                f"Area on page {page + 1} chosen: press a theme's number key to tag it (Esc to drop it).",
                6000,
            )

    def show_area(self, pid: int) -> None:
        """From an area's marker in the text: the PDF page, the area on screen and chosen."""
        m = self.model.mark(pid)
        if m is None or not m.is_area or self.pdf_view is None:
            self._clicked(pid)
            return
        self.show_view("pdf")
        self.pdf_view.show_area(m.area)
        self._clicked(pid)

    def set_hidden_themes(self, hidden: set[int]) -> None:
        self.model.hidden_themes = set(hidden)
        self.model.reload_marks()

    def _on_change(self, change) -> None:
        if change.passages or change.themes or change.links:
            self.model.reload_marks()

    def selection_rects(self) -> list | None:
        """Rectangles of the selection from the PDF word boxes (None when not loaded)."""
        sel = self.model.selection
        if not sel or self.pdf_view is None:
            return None
        out = []
        for page in range(sel[0][0], sel[1][0] + 1):
            words = self.pdf_view.service.words.get(page)
            if words is None:
                return None
            a = sel[0][1] if page == sel[0][0] else 0
            b = sel[1][1] if page == sel[1][0] else 10**9
            words = self.model.text_words(page, words)
            out.extend([page, *r] for r in rects_for_range(words, a, b))
        return out

    def tag_selection(self, theme_ids: list[int], note: str = "") -> int:
        """Save the selection (or the area drawn) as a passage with these themes
        (undoable); returns its id."""
        sel = self.model.selection
        if self.model.area is not None:
            page, *rect = self.model.area
            ch = self.ctx.run(tagging.tag_area, self.document_id, page, rect, list(theme_ids), note)
            self.model.set_area(None)
            self.model.set_current_mark(ch.result)
            self.passage_clicked.emit(ch.result)
            return ch.result
        if not sel:
            raise InvalidInput("Select some text or draw an area first, then choose a theme.")
        ch = self.ctx.run(
            tagging.tag,
            self.document_id,
            None,
            list(theme_ids),
            note,
            start=sel[0],
            end=sel[1],
            rects=self.selection_rects(),
        )
        self.model.set_selection(None)
        self.model.set_current_mark(ch.result)
        self.passage_clicked.emit(ch.result)
        return ch.result

    # ---- references ----------------------------------------------------
    def set_links(self, links) -> None:
        """The window's ReferenceLinks: references in the text view are underlined
        (through the view's span hook) and a click follows them, Shift+click into
        the other side."""
        from annotator.gui.reader.links import PressModifiers

        self.links = links
        self._found: dict[int, list] = {}  # references per line (by seq), found as painted
        links.finder_changed.connect(self._forget_references)
        self.text_view.span_sources.append(self._reference_spans)
        keys = PressModifiers(self.text_view.viewport())
        self.text_view.span_clicked.connect(lambda ref: self.reference_activated.emit(ref, keys.shift))

    def _reference_spans(self, ln) -> list:
        got = self._found.get(ln.seq)
        if got is None:
            if len(self._found) > 20_000:
                self._found.clear()
            got = self._found[ln.seq] = [(f.start, f.end, f) for f in self.links.find(ln.text)]
        return got

    def _forget_references(self) -> None:
        self._found.clear()
        self.text_view.viewport().update()

    def reference_at_selection(self):
        """The reference under the selection's start (or the caret), in its line's text."""
        sel = self.model.selection
        pos = (
            sel[0] if sel else getattr(self.text_view, "caret", None)
        )  # the keyboard caret, where the view has one
        if pos is None or self.links is None or not self.model.lines:
            return None
        ln = self.model.lines[self.model.line_index_at(pos)]
        if ln.page != pos[0]:
            return None
        end = sel[1] if sel else pos
        for f in self.links.find(ln.text):
            a, b = (ln.page, ln.start + f.start), (ln.page, ln.start + f.end)
            if a <= pos <= b or (a < end and pos < b):
                return f
        return None

    def copy(self) -> None:
        text = self.model.selected_text()
        if text:
            QApplication.clipboard().setText(text)

    def shutdown(self) -> None:
        try:
            self.ctx.changed.disconnect(self._on_change)
        except (RuntimeError, TypeError):
            pass
        if self.pdf_view is not None:
            self.pdf_view.service.close()
