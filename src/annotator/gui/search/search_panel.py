"""Search panel: results as you type, filter chips, paging, open, tag, save, export.

Searches run on the task manager's read lane, newest query wins: a search still
running when the user types on is cancelled through search()'s `cancelled`
callback and its answer dropped, so typing never waits for SQLite.
"""

import os

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.evidence import themes
from annotator.core.search import Results, actions, hits_in_document, search
from annotator.core.search.export import all_hits, write_csv
from annotator.gui.errors import show_error
from annotator.gui.tasks import Latest, run_with_progress
from annotator.gui.search.search_chips import FilterChips
from annotator.gui.search.search_results import SNIPPET, ResultsModel, SnippetDelegate

PAGE = 100
DELAY_MS = 150  # pause after a keystroke before searching
LIKE_CHARS = 400  # of a selection put into like:"…" (Find similar)
HELP = (
    'Words, "exact phrase", AND / OR / NOT, -word, NEAR(a b, 5) or a w/5 b, surg*.\n'
    'Filters: theme:safety doc:MSF0000123 witness:"Bruce Keogh" day:45 day:40-50 '
    "kind:transcript tagged:yes|no note:word author:name.\n"
    'like:"words" or like:#12 (passage 12) ranks lines and passages by meaning; add filters to narrow it.'
)


class SearchPanel(QWidget):
    results_shown = Signal(object)  # Results, after they are on screen (used by tests)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.offset = 0
        self.results = None
        self.searches = Latest(ctx.tasks)
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self._run)

        self.box = QLineEdit(
            placeholderText='Search — e.g. theme:safety "Healthcare Commission"',
            clearButtonEnabled=True,
            toolTip=HELP,
        )
        self.box.textEdited.connect(self._typed)
        self.box.returnPressed.connect(self._run_now)
        self.order = QComboBox(toolTip="Order of results")
        self.order.addItem("Relevance", "rank")
        self.order.addItem("Document order", "document")
        self.order.currentIndexChanged.connect(self._run_now)
        self.saved_btn = QToolButton(text="Saved ▾", toolTip="Saved searches")
        self.saved_btn.setPopupMode(QToolButton.InstantPopup)
        self.saved_btn.setMenu(QMenu(self.saved_btn))
        self.saved_btn.menu().aboutToShow.connect(self._fill_saved)
        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.order)
        top.addWidget(self.saved_btn)

        self.chips = FilterChips(ctx)
        self.chips.changed.connect(self._run_now)
        self.status = QLabel()
        self.notices = QLabel(wordWrap=True)
        self.notices.setStyleSheet("color: #8a5a00;")

        self.model = ResultsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(SNIPPET, SnippetDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideMiddle)  # the tooltip holds the whole text
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.Interactive)
        head.resizeSection(1, 180)
        head.setSectionResizeMode(2, QHeaderView.Stretch)
        head.setSectionResizeMode(3, QHeaderView.ResizeToContents)
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        QShortcut(QKeySequence(Qt.Key_Down), self.box, activated=self._to_table)

        self.prev_btn = QPushButton("◀", toolTip="Previous page", enabled=False)
        self.next_btn = QPushButton("▶", toolTip="Next page", enabled=False)
        self.prev_btn.clicked.connect(lambda: self._page(-1))
        self.next_btn.clicked.connect(lambda: self._page(1))
        self.page_label = QLabel()
        self.tag_btn = QToolButton(
            text="Tag ▾", toolTip="Tag the selected results, or all of them, with a theme"
        )
        self.tag_btn.setPopupMode(QToolButton.InstantPopup)
        self.tag_btn.setMenu(QMenu(self.tag_btn))
        self.tag_btn.menu().aboutToShow.connect(self._fill_tag_menu)
        self.save_btn = QPushButton("Save…", toolTip="Save this search by name")
        self.save_btn.clicked.connect(self.save_search)
        self.export_btn = QPushButton("Export CSV…", toolTip="Write every result to a CSV file")
        self.export_btn.clicked.connect(self.export_csv)
        bottom = QHBoxLayout()
        for w in (self.prev_btn, self.page_label, self.next_btn):
            bottom.addWidget(w)
        bottom.addStretch(1)
        for w in (self.tag_btn, self.save_btn, self.export_btn):
            bottom.addWidget(w)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        mid = QHBoxLayout()
        mid.addWidget(self.chips, 1)
        mid.addWidget(self.status)
        lay.addLayout(mid)
        lay.addWidget(self.notices)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        ctx.workspace_changed.connect(self._workspace_changed)
        ctx.changed.connect(self._data_changed)
        self._show_idle()

    # ---- querying ------------------------------------------------------
    def query(self) -> str:
        return " ".join(x for x in (self.box.text().strip(), self.chips.query_text()) if x)

    def focus_search(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def set_query(self, text: str) -> None:
        self.box.setText(text)
        self._run_now()

    def find_similar(self, passage_id: int | None = None, text: str = "") -> None:
        """Show what is like a passage or a piece of text: a like: search, best first."""
        if passage_id is not None:
            q = f"like:#{int(passage_id)}"
        else:
            words = " ".join(text.replace('"', "'").split())[:LIKE_CHARS].strip()
            if not words:
                return
            q = f'like:"{words}"'
        self.order.setCurrentIndex(max(self.order.findData("rank"), 0))
        self.set_query(q)

    def _typed(self, _text: str) -> None:
        self.offset = 0
        self._timer.start()

    def _run_now(self, *_args) -> None:
        self.offset = 0
        self._timer.stop()
        self._run()

    def _run(self) -> None:
        ws, q = self.ctx.ws, self.query()
        if ws is None or not q:
            self.searches.drop()
            self._show_idle()
            return
        self.status.setText("Searching…")
        offset, order = self.offset, self.order.currentData()

        def work(job) -> Results:
            try:
                return search(ws, q, limit=PAGE, offset=offset, order=order, cancelled=job.cancelled)
            except Exception as err:  # e.g. the workspace was closed under us
                return Results(q, notices=[f"The search could not run: {err}"])

        self.searches.start(work, self._show, name="search")

    def _page(self, step: int) -> None:
        if self.results is None:
            return
        self.offset = max(0, self.offset + step * PAGE)
        self._run()

    def _show_idle(self) -> None:
        self.results = None
        self.model.set_hits([])
        self.status.setText(
            "Type to search every line and tagged passage."
            if self.ctx.ws
            else "Open a workspace to search it."
        )
        self.notices.setText("")
        self.notices.setVisible(False)
        self.page_label.setText("")
        self.prev_btn.setEnabled(False)
        self.next_btn.setEnabled(False)

    def _show(self, res) -> None:
        if res.query != self.query():
            return  # the box changed since: a newer result is on its way
        self.results = res
        self.model.set_hits(res.hits)
        n = res.total
        what = f"{n:,} result{'s' if n != 1 else ''}"
        if n:
            what += f" ({res.lines:,} in the text, {res.passages:,} tagged passages)"
        self.status.setText(what)
        self.notices.setText(" ".join(res.notices))
        self.notices.setVisible(bool(res.notices))
        if res.hits:
            self.page_label.setText(f"{res.offset + 1:,}–{res.offset + len(res.hits):,} of {n:,}")
        else:
            self.page_label.setText("")
        self.prev_btn.setEnabled(res.offset > 0)
        self.next_btn.setEnabled(res.offset + len(res.hits) < n)
        self.results_shown.emit(res)

    def _to_table(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _workspace_changed(self) -> None:
        self.searches.drop()
        self.chips.clear()
        self.offset = 0
        self._run() if self.query() else self._show_idle()

    def _data_changed(self, change) -> None:
        if self.results is not None and (change.passages or change.themes or change.documents):
            self._run()  # counts and themes in the list follow edits

    # ---- acting on results ---------------------------------------------
    def selected_hits(self) -> list:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.hits[r] for r in rows]

    def open_row(self, row: int) -> None:
        if not 0 <= row < len(self.model.hits):
            return
        hit = self.model.hits[row]
        win = self.window()
        try:
            reader = win.open_document(
                hit.document_id,
                hit.page_index,
                hit.char_start,
                hit.char_end if hit.end_page == hit.page_index else None,
            )
        except TypeError:  # a window whose open_document takes only the document
            reader = win.open_document(hit.document_id)
        reader = reader or getattr(getattr(win, "center", None), "currentWidget", lambda: None)()
        if reader is not None and hasattr(reader, "set_search_hits"):
            marks = hits_in_document(self.ctx.ws, self.query(), hit.document_id)
            reader.set_search_hits(marks)
            # go to this result's first mark: the reader's counter and F3 carry on from it
            before = sum(1 for m in marks if (m[0], m[1]) < (hit.page_index, hit.char_start))
            if hasattr(reader, "go_to"):
                if before < len(marks):
                    reader.go_to(*marks[before])
                else:  # matched outside the text (e.g. a note): the passage itself
                    reader.go_to(hit.page_index, hit.char_start, hit.char_end)

    def _context_menu(self, pos) -> None:
        row = self.table.indexAt(pos).row()
        if row < 0:
            return
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.open_row(row))
        menu.addSeparator()
        self._fill_tag_menu(menu)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _fill_tag_menu(self, menu: QMenu | None = None) -> None:
        menu = menu or self.tag_btn.menu()
        if menu is self.tag_btn.menu():
            menu.clear()
        if self.ctx.ws is None or not self.model.hits:
            menu.addAction("(no results to tag)").setEnabled(False)
            return
        names = themes.named(self.ctx.ws)
        n_sel = len(self.selected_hits())
        total = self.results.total if self.results else 0
        for label, every in (
            (f"Tag {n_sel} selected with", False),
            (f"Tag all {total:,} results with", True),
        ):
            sub = menu.addMenu(label)
            sub.setEnabled(total > 0 if every else n_sel > 0)
            for tid, name, _key in names:
                sub.addAction(name, lambda tid=tid, e=every: self.tag(tid, e))

    def tag(self, theme_id: int, every: bool = False) -> None:
        """Tag the selected results (or every result) with a theme: one undo step."""
        if not every:
            self._tag_now(self.selected_hits(), theme_id)
            return
        ws, q = self.ctx.ws, self.query()
        total = self.results.total if self.results else 0
        if total > actions.MAX_TAG:
            QMessageBox.information(
                self,
                "Too many results",
                f"{total:,} results: at most {actions.MAX_TAG:,} can be tagged at once. "
                "Narrow the search with more words or a filter.",
            )
            return

        def work(progress, cancelled):
            return list(
                all_hits(
                    ws, q, cap=actions.MAX_TAG, progress=lambda d, t: progress(d, t), cancelled=cancelled
                )
            )

        run_with_progress(self, "Collecting results to tag", work, lambda hits: self._tag_now(hits, theme_id))

    def _tag_now(self, hits: list, theme_id: int) -> None:
        if not hits:
            return
        try:
            change = self.ctx.run(actions.tag_hits, hits, theme_id)
        except Exception as err:
            show_error(self, err)
            return
        self.window().statusBar().showMessage(change.summary, 5000) if hasattr(
            self.window(), "statusBar"
        ) else None

    def save_search(self) -> None:
        q = self.query()
        if not q or self.ctx.ws is None:
            return
        name, ok = QInputDialog.getText(
            self, "Save search", "Name for this search:", text=self.box.text()[:40]
        )
        if ok and name.strip():
            try:
                self.ctx.run(actions.save_search, name, q)
            except Exception as err:
                show_error(self, err)

    def _fill_saved(self) -> None:
        menu = self.saved_btn.menu()
        menu.clear()
        rows = []
        if self.ctx.ws is not None:
            rows = actions.saved_list(self.ctx.ws)
        for name, query in rows:
            menu.addAction(f"{name}  —  {query[:60]}", lambda q=query: self._load(q))
        if not rows:
            menu.addAction("(no saved searches)").setEnabled(False)

    def _load(self, query: str) -> None:
        self.chips.clear()
        self.set_query(query)

    def export_csv(self) -> None:
        q = self.query()
        if not q or self.ctx.ws is None:
            return
        start = os.path.join(os.path.dirname(self.ctx.ws.path), "search-results.csv")
        path, _ = QFileDialog.getSaveFileName(self, "Export results", start, "CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path: str, on_done=None) -> None:
        ws, q, order = self.ctx.ws, self.query(), self.order.currentData()

        def work(progress, cancelled):
            return write_csv(
                path, all_hits(ws, q, order=order, progress=lambda d, t: progress(d, t), cancelled=cancelled)
            )

        def done(n):
            self.status.setText(f"Wrote {n:,} results to {path}")
            if on_done:
                on_done(n)

        run_with_progress(self, "Exporting results", work, done)
