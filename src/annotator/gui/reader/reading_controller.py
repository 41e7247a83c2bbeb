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
from annotator.gui.reader.links import FOLLOW_ASIDE_KEY, FOLLOW_KEY
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
        from annotator.gui.reader.links import ReferenceLinks

        self.sides = win.sides
        self.links = ReferenceLinks(self)
        self._menus()
        self.passages.open_requested.connect(self.show_passage)
        self.details.follow.connect(self.show_passage)
        self.details.follow_aside.connect(lambda pid: self.show_passage(pid, other_side=True))
        self.details.set_links(self.links)
        self.passages.table.links = self.links
        win.themes.theme_activated.connect(self._theme_clicked)
        win.themes.visibility_changed.connect(self._visibility)
        win.center.tabCloseRequested.disconnect()
        for tabs in (self.sides.first, self.sides.second):
            tabs.tabCloseRequested.connect(lambda i, t=tabs: self.close_tab(i, t))
            tabs.tabBar().setContextMenuPolicy(Qt.CustomContextMenu)
            tabs.tabBar().customContextMenuRequested.connect(lambda pos, t=tabs: self._tab_menu(t, pos))
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
        m.addSeparator()
        self.follow_action = win._action(
            m, "Follow &reference", lambda: self.follow_at_focus(False), FOLLOW_KEY
        )
        self.follow_aside_action = win._action(
            m, "Follow reference in &other side", lambda: self.follow_at_focus(True), FOLLOW_ASIDE_KEY
        )
        self._caret_menus()
        for dock in (self.passages_dock, self.details_dock):
            win.view_menu.addAction(dock.toggleViewAction())
        self.split_action = win._action(win.view_menu, "&Split view", self.set_split, "Ctrl+\\")
        self.split_action.setCheckable(True)
        self.sides.split_changed.connect(self.split_action.setChecked)

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
    def readers(self, tabs=None) -> list[ReaderWidget]:
        sides = [tabs] if tabs is not None else [self.sides.first, self.sides.second]
        found = [t.widget(i) for t in sides for i in range(t.count())]
        return [w for w in found if isinstance(w, ReaderWidget)]

    def current_reader(self) -> ReaderWidget | None:
        w = self.sides.active.currentWidget()
        return w if isinstance(w, ReaderWidget) else None

    def reader_for(self, doc_id: int, tabs=None) -> ReaderWidget:
        """The reader of a document on a side (the active one), opened there if need be."""
        tabs = self.sides.active if tabs is None else tabs
        self.sides.set_active(tabs)
        for r in self.readers(tabs):
            if r.document_id == doc_id:
                tabs.setCurrentWidget(r)
                return r
        r = ReaderWidget(self.ctx, doc_id)
        r.sha256 = documents.get(self.ctx.ws, doc_id).sha256  # which version of the file it shows
        r.set_hidden_themes(self.win.themes.hidden) if self.win.themes.hidden else None
        r.passage_clicked.connect(self.details.show_passage)
        r.reference_activated.connect(
            lambda ref, aside, r=r: self.links.follow(ref, r.document_id, other_side=aside)
        )
        r.set_links(self.links)
        r.selection_changed.connect(lambda r=r: self._selected(r))
        self._add_tab(tabs, r)
        return r

    def _add_tab(self, tabs, r: ReaderWidget) -> None:
        tabs.addTab(r, r.title)
        tabs.setTabToolTip(tabs.indexOf(r), r.title)
        tabs.setCurrentWidget(r)

    def _selected(self, r: ReaderWidget) -> None:
        """Theme suggestions for a selection, shown in the Passage panel (chips tag it when clicked)."""
        from annotator.gui.reader.reader_actions import safe_tag

        if r.model.selection:
            self.details.suggest_for_selection(r.model.selected_text(), lambda tid: safe_tag(r, [tid]))

    def open_document(
        self,
        doc_id: int,
        page_index: int | None = None,
        char_start: int | None = None,
        char_end: int | None = None,
        remember: bool = True,
        other_side: bool = False,
    ) -> ReaderWidget:
        """Open (or show) a document at a place; `other_side` splits the view if it is
        whole and opens it in the side that is not active."""
        if remember:
            self._remember()
        tabs = None
        if other_side:
            self.sides.set_split(True)
            tabs = self.sides.other()
        r = self.reader_for(doc_id, tabs)
        if page_index is not None:
            r.go_to(page_index, char_start, char_end, select=char_end is not None)
        r.current_view().setFocus()
        return r

    def reopen(self, doc_ids: list[int]) -> None:
        """Read these documents' open tabs again (their text changed: OCR)."""
        current = self.current_reader()
        for i in reversed(range(self.win.center.count())):
            w = self.win.center.widget(i)
            if isinstance(w, ReaderWidget) and w.document_id in doc_ids:
                doc_id = w.document_id
                self.close_tab(i)
                self.open_document(doc_id, remember=False)
        if current is not None and current.document_id not in doc_ids:
            self.win.center.setCurrentWidget(current)

    def close_all(self) -> None:
        for tabs in (self.sides.first, self.sides.second):
            while tabs.count():
                self.close_tab(0, tabs)

    def close_tab(self, index: int, tabs=None) -> None:
        tabs = self.win.center if tabs is None else tabs
        w = tabs.widget(index)
        tabs.removeTab(index)
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
        for tabs in (self.sides.first, self.sides.second):
            for i in reversed(range(tabs.count())):
                w = tabs.widget(i)
                if isinstance(w, ReaderWidget) and w.document_id not in present:
                    self.close_tab(i, tabs)
                elif (
                    isinstance(w, ReaderWidget)
                    and getattr(w, "sha256", present[w.document_id]) != present[w.document_id]
                ):
                    stale.append((w.document_id, tabs))  # a new version (or an undone one): read it again
                    self.close_tab(i, tabs)
        for doc_id, tabs in stale:
            self.reader_for(doc_id, tabs)
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

    def show_passage(self, pid: int, other_side: bool = False) -> None:
        """Open the passage's document at it, select it, and show its details."""
        try:
            place = reading.place_of_passage(self.ctx.ws, pid)
        except Exception as err:
            show_error(self.win, err)
            return
        r = self.open_document(place.document_id, other_side=other_side)
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

    # ---- side by side and references ---------------------------------------
    def set_split(self, on: bool) -> None:
        """View > Split view: a second side showing this document too (two places in
        one); turned off, the second side's tabs move back into the first."""
        if on and not self.sides.split:
            r = self.current_reader()
            self.sides.set_split(True)
            if r is not None and not self.readers(self.sides.second):
                page, char = r.current_place()
                twin = self.reader_for(r.document_id, self.sides.second)
                twin.current_view().go_to((page, char), align_top=True)
            self.sides.set_active(self.sides.first)
        elif not on and self.sides.split:
            first, second = self.sides.first, self.sides.second
            for r in self.readers(second):
                if any(o.document_id == r.document_id for o in self.readers(first)):
                    self.close_tab(second.indexOf(r), second)  # already open here
                else:
                    second.removeTab(second.indexOf(r))
                    self._add_tab(first, r)
            self.sides.set_split(False)
        self.split_action.setChecked(self.sides.split)

    def move_to_other_side(self, r: ReaderWidget) -> None:
        """A tab's menu: Move to other side (splitting the view if it is whole)."""
        here = self.sides.side_of(r)
        if here is None:
            return
        self.sides.set_split(True)
        there = self.sides.other(here)
        twin = next((o for o in self.readers(there) if o.document_id == r.document_id), None)
        if twin is not None:  # already open there: show that one at this place
            twin.current_view().go_to(r.current_place(), align_top=True)
            self.close_tab(here.indexOf(r), here)
            there.setCurrentWidget(twin)
        else:
            here.removeTab(here.indexOf(r))
            self._add_tab(there, r)
        self.sides.set_active(there)

    def _tab_menu(self, tabs, pos) -> None:
        r = tabs.widget(tabs.tabBar().tabAt(pos))
        if not isinstance(r, ReaderWidget):
            return
        menu = QMenu(self.win)
        menu.addAction("Move to other side").triggered.connect(lambda: self.move_to_other_side(r))
        menu.addAction("Close").triggered.connect(lambda: self.close_tab(tabs.indexOf(r), tabs))
        menu.exec(tabs.tabBar().mapToGlobal(pos))

    def follow_at_focus(self, other_side: bool = False) -> bool:
        """Go > Follow reference: the reference at the caret or selection of the note
        being edited, the first in the note of the passage chosen in the list, or the
        reader's."""
        if self.details.note.hasFocus():
            return self.details.follow_at_caret(other_side)
        if self.passages.view.hasFocus():  # the first reference in the chosen row's note
            got = self.passages.current_note_reference()
            if got is None:
                self.links.say("This passage's note has no reference to follow.")
                return False
            return self.links.follow(got[0], got[1], other_side)
        r = self.current_reader()
        ref = r.reference_at_selection() if r is not None else None
        if ref is None:
            self.links.say("Put the caret or the selection on a reference (e.g. Day 45/12:3) first.")
            return False
        return self.links.follow(ref, r.document_id, other_side)

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
