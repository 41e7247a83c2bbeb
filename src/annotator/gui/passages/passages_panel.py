"""Every passage with citation, quote, themes and note; sort, filter, double-click to jump."""

import bisect
import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.evidence import passages, themes
from annotator.gui.tasks import Latest

COLUMNS = ["Citation", "Document", "Quote", "Themes", "Note", "Links"]
SORTS = ["Document order", "Theme", "Witness", "Date"]


def _flat(text: str) -> str:
    return " ".join((text or "").split())


def sort_key(mode: str, v) -> tuple:
    where = (v.document_id, v.start_page, getattr(v, "start_char", 0), v.id)
    if mode == "Theme":
        return (v.themes[0].lower() if v.themes else "~",) + where
    if mode == "Witness":
        return (v.witness.lower() or "~",) + where
    if mode == "Date":
        return (v.date or "~",) + where
    return where


def sort_rows(mode: str, rows) -> list[tuple]:
    return sorted(((sort_key(mode, v), v) for v in rows), key=lambda kv: kv[0])


# what a new version of its document did, where it needs a look: words changed, not found
ANCHOR_MARKS = {"changed": "Δ ", "orphaned": "? "}


def note_tip(note: str, found: list) -> str:
    """A note's tooltip: its references underlined, and how to follow them."""
    if not found:
        return note
    from annotator.gui.passages.note_links import linked_html
    from annotator.gui.reader.links import FOLLOW_KEY

    body = linked_html(note, found).replace("\n", "<br>")
    return (
        f"<p>{body}</p><p><i>{FOLLOW_KEY} follows {html.escape(found[0].text)}; "
        "in the Passage panel, Ctrl+click any reference.</i></p>"
    )


class PassageTable(QAbstractTableModel):
    """Rows kept sorted by a key, so one changed passage is one row update, not a reload."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[passages.PassageView] = []
        self.keys: list[tuple] = []
        self.mode = SORTS[0]
        self._row_of: dict[int, int] = {}
        self.links = None  # the window's ReferenceLinks: references in notes show as links

    def set_rows(self, rows) -> None:
        self.set_sorted(self.mode, sort_rows(self.mode, rows))

    def set_sorted(self, mode: str, pairs: list[tuple]) -> None:
        """Rows already sorted as (key, view) pairs (sorting 100,000 is done off the GUI thread)."""
        self.beginResetModel()
        self.mode = mode
        self.keys = [k for k, _v in pairs]
        self.rows = [v for _k, v in pairs]
        self._row_of = {v.id: i for i, v in enumerate(self.rows)}
        self.endResetModel()

    def update(self, pid: int, view) -> None:
        """Put one passage's new state in place (view None: it is gone or filtered out)."""
        at = self._row_of.get(pid)
        if at is not None:
            self.beginRemoveRows(QModelIndex(), at, at)
            del self.rows[at], self.keys[at]
            self.endRemoveRows()
        if view is not None:
            key = sort_key(self.mode, view)
            at = bisect.bisect_left(self.keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.insert(at, view)
            self.keys.insert(at, key)
            self.endInsertRows()
        self._row_of = {v.id: i for i, v in enumerate(self.rows)}

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        v = self.rows[index.row()]
        col = index.column()
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            # marks in front, where a narrow column still shows them; the tooltip says them in words
            marks = (
                ("★ " if v.important else "") + ("■ " if v.redact else "") + ANCHOR_MARKS.get(v.anchor, "")
            )
            values = [
                marks + v.citation,
                v.document,
                _flat(v.quote),
                ", ".join(v.themes),
                _flat(v.note),
                "; ".join(f"{ln['relation']} {ln['to']}" for ln in v.links),
            ]
            text = values[col]
            if role == Qt.ToolTipRole:
                if col == 0 and marks:
                    said = [
                        w for w, on in (("important", v.important), ("redacted in bundles", v.redact)) if on
                    ] + ([f"{v.anchor} in the new version"] if v.anchor in ANCHOR_MARKS else [])
                    return f"{v.citation}: {' and '.join(said)}"
                if col == 4 and self.links is not None:
                    return note_tip(v.note, self.links.find(v.note))
                return v.quote[:800] if col == 2 else text
            return text[:160] + "…" if col == 2 and len(text) > 160 else text
        if role == Qt.UserRole:
            return v.id
        if role == Qt.UserRole + 1:  # filter text: everything the user might type
            return " ".join(
                [
                    v.citation,
                    v.document,
                    v.quote,
                    " ".join(v.themes),
                    v.note,
                    v.witness,
                    v.author,
                    "important" if v.important else "",
                    "redacted" if v.redact else "",
                    v.anchor,
                ]
            ).lower()
        return None


class PassagesPanel(QWidget):
    open_requested = Signal(int)  # passage id
    loaded = Signal()  # a background load of the list has finished

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.theme_filter: int | None = None
        self.table = PassageTable(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table)
        self.proxy.setFilterRole(Qt.UserRole + 1)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseInsensitive)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.ElideMiddle)  # the tooltip holds the whole text
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.filter = QLineEdit(placeholderText="Filter passages")
        self.sort = QComboBox()
        self.sort.addItems(SORTS)
        self.theme_label = QLabel()
        self.clear_theme = QPushButton("All themes")
        self.clear_theme.hide()
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(QLabel("Sort:"))
        top.addWidget(self.sort)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        row = QHBoxLayout()
        row.addWidget(self.theme_label, 1)
        row.addWidget(self.clear_theme)
        lay.addLayout(row)
        lay.addWidget(self.view)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._pending: set[int] | None = None
        self.loads = Latest(ctx.tasks)  # the list is read in the background
        self._missed: set[int] | None = set()  # changes while loading (None: reload again)
        self._theme_name = None
        self._timer.timeout.connect(self._apply)
        self.filter.textChanged.connect(lambda t: self.proxy.setFilterFixedString(t.lower()))
        self.sort.currentIndexChanged.connect(lambda _i: self.refresh())
        self.clear_theme.clicked.connect(lambda: self.show_theme(None))
        self.view.doubleClicked.connect(lambda idx: self.open_requested.emit(idx.data(Qt.UserRole)))
        self.view.activated.connect(lambda idx: self.open_requested.emit(idx.data(Qt.UserRole)))
        ctx.workspace_changed.connect(lambda: self.show_theme(None))
        ctx.workspace_closing.connect(self.loads.drop)  # the task manager waits for the load
        ctx.changed.connect(self._on_change)

    def current_note_reference(self):
        """(first reference in the current row's note, its passage's document), or None."""
        idx = self.view.currentIndex()
        if not idx.isValid() or self.table.links is None:
            return None
        v = self.table.rows[self.proxy.mapToSource(idx).row()]
        found = self.table.links.find(v.note)
        return (found[0], v.document_id) if found else None

    def show_theme(self, tid: int | None) -> None:
        self.theme_filter = tid
        self.refresh()

    def _on_change(self, ch) -> None:
        full = ch.documents or (not ch.passages and (ch.themes or ch.links)) or len(ch.passages) > 200
        if self.loads.pending:  # the rows on their way may predate this change
            if full or self._missed is None:
                self._missed = None
            else:
                self._missed |= set(ch.passages)
            return
        if full:
            self._pending = None
            self._timer.start()  # a reload: many rows may show different text
        elif ch.passages:
            if self._pending is not None or not self._timer.isActive():
                self._pending = (self._pending or set()) | set(ch.passages)
            self._timer.start()

    def _apply(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            self.refresh()
        else:
            self.update_passages(pending)

    def update_passages(self, ids: set[int]) -> None:
        theme_ids = [self.theme_filter] if self.theme_filter else None
        views = {v.id: v for v in passages.listed(self.ctx.ws, ids=list(ids), theme_ids=theme_ids)}
        for pid in ids:
            self.table.update(pid, views.get(pid))
        self._label()

    def refresh(self) -> None:
        """Load the list in the background: at inquiry scale (100,000 passages) it takes
        a second or two, and the window must not stop for it."""
        ws = self.ctx.ws
        self._pending = None
        if ws is None:
            self.loads.drop()
            self.table.set_rows([])
            self._theme_name = None
            self._label()
            return
        theme, mode = self.theme_filter, self.sort.currentText()

        def work(_job):
            rows = passages.listed(ws, theme_ids=[theme] if theme else None)
            return sort_rows(mode, rows), (themes.name_of(ws, theme) if theme else None)

        self._missed = set()
        self.theme_label.setText("Loading passages…")
        self.loads.start(
            work,
            lambda result: self._loaded(mode, result),
            lambda err: self.theme_label.setText(f"Could not list the passages: {err}"),
        )

    def _loaded(self, mode: str, result) -> None:
        pairs, self._theme_name = result
        self.table.set_sorted(mode, pairs)
        self._label()
        for col, width in enumerate((130, 170, 420, 170, 220)):
            self.view.setColumnWidth(col, width)
        missed, self._missed = self._missed, set()
        if missed is None:
            self.refresh()
        elif missed:
            self.update_passages(missed)
        self.loaded.emit()

    def _label(self) -> None:
        name, n = self._theme_name, len(self.table.rows)
        self.theme_label.setText(f"Passages with theme '{name}' ({n})" if name else f"All passages ({n})")
        self.clear_theme.setVisible(name is not None)

    def count(self) -> int:
        return self.proxy.rowCount()
