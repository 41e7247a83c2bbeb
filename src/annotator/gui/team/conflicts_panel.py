"""The conflict review list: what two people changed differently, both versions side by side,
and Keep mine / Keep theirs / Keep both.

Fed a plain list of conflict records (see `Conflict`); it never reads the workspace itself:
the sync service lists the conflicts and settles them in the background.
"""

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.team.when import when_text


@dataclass(frozen=True)
class Version:
    text: str  # what this side holds, in words ("(deleted)" for a deletion)
    author: str
    when: datetime | None
    device: str = ""


@dataclass(frozen=True)
class Conflict:
    id: int
    what: str  # e.g. "Note of passage 12 (Francis report p. 4)"
    mine: Version
    theirs: Version


def _byline(v: Version) -> str:
    who = v.author or "someone"
    if v.device:
        who += f" on {v.device}"
    return f"{who}, {when_text(v.when)}"


class ConflictModel(QAbstractTableModel):
    HEADERS = ("What", "Mine", "Theirs")  # what the row is; who changed each side, and when

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Conflict] = []

    def set_rows(self, rows: list[Conflict]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                return c.what
            v = c.mine if col == 1 else c.theirs
            return f"{v.author or 'someone'}, {when_text(v.when)}"
        if role == Qt.ToolTipRole and col == 0:
            return c.what
        if role == Qt.ToolTipRole:
            v = c.mine if col == 1 else c.theirs
            return f"{v.text}\n\n{_byline(v)}"
        if role == Qt.UserRole:
            return c.id
        return None


class _Side(QGroupBox):
    """One version: who and when in the title, the text below."""

    def __init__(self, title: str):
        super().__init__(title)
        self.base = title
        self.byline = QLabel()
        self.byline.setObjectName("byline")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(40)  # the dock shares the bottom of the window
        col = QVBoxLayout(self)
        col.addWidget(self.byline)
        col.addWidget(self.text, 1)

    def show_version(self, v: Version | None) -> None:
        self.byline.setText(_byline(v) if v else "")
        self.text.setPlainText(v.text if v else "")


class ConflictsPanel(QWidget):
    """List above, the chosen conflict's two versions below, three buttons to settle it."""

    resolve_requested = Signal(int, str)  # conflict id, "mine" | "theirs" | "both"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = ConflictModel(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.Stretch)
        head.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.view.setMinimumHeight(60)
        self.mine = _Side("Mine")
        self.theirs = _Side("Theirs")
        self.keep_mine = QPushButton("Keep &mine")
        self.keep_theirs = QPushButton("Keep &theirs")
        self.keep_both = QPushButton("Keep &both")
        self.keep_mine.setToolTip("Keep your version; it goes to the server at the next sync.")
        self.keep_theirs.setToolTip("Take their version in place of yours.")
        self.keep_both.setToolTip("Keep both versions (notes joined, themes united, both ranges).")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button, keep in (
            (self.keep_mine, "mine"),
            (self.keep_theirs, "theirs"),
            (self.keep_both, "both"),
        ):
            button.clicked.connect(lambda _=False, k=keep: self._resolve(k))
            buttons.addWidget(button)
        listing = QWidget()
        left = QVBoxLayout(listing)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.summary)
        left.addWidget(self.view, 1)
        # wide and short (the bottom of the window): the list, then the two versions beside it
        split = QSplitter(Qt.Horizontal)
        for part, stretch in ((listing, 5), (self.mine, 3), (self.theirs, 3)):
            split.addWidget(part)
            split.setStretchFactor(split.count() - 1, stretch)
        split.setSizes([500, 300, 300])
        col = QVBoxLayout(self)
        col.addWidget(split, 1)
        col.addLayout(buttons)
        self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_current())
        self.set_busy(False)
        self.set_conflicts([])

    def set_conflicts(self, rows: list[Conflict]) -> None:
        keep = self.current_id()
        self.model.set_rows(rows)
        n = len(rows)
        self.summary.setText(
            "No conflicts: every change merged."
            if n == 0
            else f"{n} conflict{'s' if n != 1 else ''} to review: two people changed the same thing. "
            "Choose which version to keep."
        )
        ids = [c.id for c in rows]
        if rows:
            self.view.selectRow(ids.index(keep) if keep in ids else 0)
        self._show_current()

    def current(self) -> Conflict | None:
        index = self.view.currentIndex()
        return (
            self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None
        )

    def current_id(self) -> int | None:
        c = self.current()
        return c.id if c is not None else None

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._enable()

    def _enable(self) -> None:
        on = self.current() is not None and not self._busy
        for button in (self.keep_mine, self.keep_theirs, self.keep_both):
            button.setEnabled(on)

    def _show_current(self) -> None:
        c = self.current()
        self.mine.show_version(c.mine if c else None)
        self.theirs.show_version(c.theirs if c else None)
        self._enable()

    def _resolve(self, keep: str) -> None:
        c = self.current()
        if c is not None:
            self.resolve_requested.emit(c.id, keep)
