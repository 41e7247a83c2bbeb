"""Connects readers, themes, passages and details panels; keeps back/forward history.

The main window owns one of these; it adds the Passages and Details docks
and the Go menu, and opens documents at a place.
"""

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from annotator.core.library import documents, reading
from annotator.gui.errors import show_error
from annotator.gui.passages.passage_details import PassageDetails
from annotator.gui.passages.passages_panel import PassagesPanel
from annotator.gui.reader.reader import ReaderWidget
from annotator.gui.window_layout import scrollable


class ReadingController(QObject):
    def __init__(self, win):
        super().__init__(win)
        self.win = win
        self.ctx = win.ctx
        self.back_stack: list[tuple] = []
        self.forward_stack: list[tuple] = []
        self.passages = PassagesPanel(self.ctx)
        self.details = PassageDetails(self.ctx)
        self.passages_dock = win._dock("Passages", self.passages, Qt.BottomDockWidgetArea)
        self.details_dock = win._dock("Passage", scrollable(self.details), Qt.RightDockWidgetArea)
        win.splitDockWidget(win.themes_dock, self.details_dock, Qt.Vertical)
        win.resizeDocks([self.passages_dock], [200], Qt.Vertical)
        win.resizeDocks([win.themes_dock, self.details_dock], [260, 520], Qt.Vertical)
        self._menus()
        self.passages.open_requested.connect(self.show_passage)
        self.details.follow.connect(self.show_passage)
        win.themes.theme_activated.connect(self._theme_clicked)
        win.themes.visibility_changed.connect(self._visibility)
        win.center.tabCloseRequested.disconnect()
        win.center.tabCloseRequested.connect(self.close_tab)
        self.ctx.workspace_changed.connect(self._reset)
        self.ctx.changed.connect(lambda ch: ch.documents and self._drop_removed())

    def _menus(self) -> None:
        win = self.win
        m = self.go_menu = QMenu("&Go", win)
        win.menuBar().insertMenu(win.help_menu.menuAction(), m)
        self.goto_action = win._action(m, "&Go to…", self.ask_goto, "Ctrl+G")
        self.back_action = win._action(m, "&Back", self.back, QKeySequence.Back)
        self.forward_action = win._action(m, "&Forward", self.forward, QKeySequence.Forward)
        self.back_action.setEnabled(False)
        self.forward_action.setEnabled(False)
        self._caret_menus()
        for dock in (self.passages_dock, self.details_dock):
            win.view_menu.addAction(dock.toggleViewAction())

    def _caret_menus(self) -> None:
        """Go > Caret and Edit > Extend selection: the reader's keys, shown with the keys.

        The keys themselves belong to the reader (a window shortcut on Shift+Down
        would take the key from tables and text boxes), so the menu names them
        after a tab, as Qt shows shortcuts; Help > Keyboard shortcuts reads them too.
        """
        from annotator.gui.reader.text_keys import EXTENDS, MOVES

        caret = self.go_menu.addMenu("&Caret")
        extend = self.win.edit_menu.addMenu("E&xtend selection")
        for menu, moves, shift in ((caret, MOVES, False), (extend, EXTENDS, True)):
            for name, text, keys in moves:
                act = menu.addAction(f"{text}\t{keys}")
                act.triggered.connect(lambda _=False, n=name, s=shift: self._key_move(n, s))

    def _key_move(self, name: str, extend: bool) -> None:
        r = self.current_reader()
        if r is not None:
            r.key_move(name, extend)

    # ---- readers ---------------------------------------------------------
    def readers(self) -> list[ReaderWidget]:
        c = self.win.center
        return [c.widget(i) for i in range(c.count()) if isinstance(c.widget(i), ReaderWidget)]

    def current_reader(self) -> ReaderWidget | None:
        w = self.win.center.currentWidget()
        return w if isinstance(w, ReaderWidget) else None

    def reader_for(self, doc_id: int) -> ReaderWidget:
        for r in self.readers():
            if r.document_id == doc_id:
                self.win.center.setCurrentWidget(r)
                return r
        r = ReaderWidget(self.ctx, doc_id)
        r.sha256 = documents.get(self.ctx.ws, doc_id).sha256  # which version of the file it shows
        r.set_hidden_themes(self.win.themes.hidden) if self.win.themes.hidden else None
        r.passage_clicked.connect(self.details.show_passage)
        self.win.center.addTab(r, r.title)
        self.win.center.setTabToolTip(self.win.center.indexOf(r), r.title)
        self.win.center.setCurrentWidget(r)
        return r

    def open_document(
        self,
        doc_id: int,
        page_index: int | None = None,
        char_start: int | None = None,
        char_end: int | None = None,
        remember: bool = True,
    ) -> ReaderWidget:
        if remember:
            self._remember()
        r = self.reader_for(doc_id)
        if page_index is not None:
            r.go_to(page_index, char_start, char_end, select=char_end is not None)
        return r

    def close_all(self) -> None:
        while self.win.center.count():
            self.close_tab(0)

    def close_tab(self, index: int) -> None:
        w = self.win.center.widget(index)
        self.win.center.removeTab(index)
        if isinstance(w, ReaderWidget):
            w.shutdown()
            w.deleteLater()

    def _drop_removed(self) -> None:
        """Close the tabs and forget the places of documents that are gone (removed,
        or an undone import)."""
        if self.ctx.ws is None:
            return
        present = {d.id: d.sha256 for d in documents.listed(self.ctx.ws)}
        stale = []
        for i in reversed(range(self.win.center.count())):
            w = self.win.center.widget(i)
            if isinstance(w, ReaderWidget) and w.document_id not in present:
                self.close_tab(i)
            elif (
                isinstance(w, ReaderWidget)
                and getattr(w, "sha256", present[w.document_id]) != present[w.document_id]
            ):
                stale.append(w.document_id)  # a new version (or an undone one): read it again
                self.close_tab(i)
        for doc_id in stale:
            self.open_document(doc_id, remember=False)
        self.back_stack[:] = [p for p in self.back_stack if p[0] in present]
        self.forward_stack[:] = [p for p in self.forward_stack if p[0] in present]
        self._update_nav()

    def _reset(self) -> None:
        self.back_stack.clear()
        self.forward_stack.clear()
        self._update_nav()

    # ---- places and history ----------------------------------------------
    def _here(self) -> tuple | None:
        r = self.current_reader()
        if r is None:
            return None
        page, char = r.current_place()
        return (r.document_id, page, char)

    def _remember(self) -> None:
        here = self._here()
        if here is not None and (not self.back_stack or self.back_stack[-1] != here):
            self.back_stack.append(here)
            del self.back_stack[:-100]
        self.forward_stack.clear()
        self._update_nav()

    def _update_nav(self) -> None:
        self.back_action.setEnabled(bool(self.back_stack))
        self.forward_action.setEnabled(bool(self.forward_stack))

    def back(self) -> None:
        self._travel(self.back_stack, self.forward_stack)

    def forward(self) -> None:
        self._travel(self.forward_stack, self.back_stack)

    def _travel(self, source: list, dest: list) -> None:
        if not source:
            return
        here = self._here()
        if here is not None:
            dest.append(here)
        doc_id, page, char = source.pop()
        r = self.reader_for(doc_id)
        r.current_view().go_to((page, char), align_top=True)
        self._update_nav()

    def show_passage(self, pid: int) -> None:
        """Open the passage's document at it, select it, and show its details."""
        try:
            place = reading.place_of_passage(self.ctx.ws, pid)
        except Exception as err:
            show_error(self.win, err)
            return
        r = self.open_document(place.document_id)
        r.select_passage(pid)
        self.details.show_passage(pid)
        self._update_nav()

    def ask_goto(self) -> None:
        if self.ctx.ws is None:
            return
        text, ok = QInputDialog.getText(
            self.win, "Go to", "Day 45/12:3, 45/12:3, {URN/4}, URN/4, item 3, or page:line in this document:"
        )
        if ok:
            self.goto(text)

    def goto(self, text: str) -> bool:
        r = self.current_reader()
        try:
            place = reading.place_of_reference(self.ctx.ws, text, r.document_id if r else None)
        except Exception as err:
            show_error(self.win, err)
            return False
        self.open_document(place.document_id, place.page, place.start, place.end)
        return True

    # ---- themes ------------------------------------------------------------
    def _theme_clicked(self, tid: int) -> None:
        r = self.current_reader()
        if r is not None and r.model.has_target():  # selected text or a drawn area
            from annotator.gui.reader.reader_actions import safe_tag

            safe_tag(r, [tid])
            return
        self.passages.show_theme(tid)
        self.passages_dock.show()
        self.passages_dock.raise_()

    def _visibility(self, hidden: set) -> None:
        for r in self.readers():
            r.set_hidden_themes(hidden)
