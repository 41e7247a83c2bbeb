"""Every passage with citation, quote, themes and note; sort, filter, double-click to jump."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout,
    QWidget,
)

from annotator.core import passages

COLUMNS = ["Citation", "Document", "Quote", "Themes", "Note", "Links"]
SORTS = ["Document order", "Theme", "Witness", "Date"]


def _flat(text: str) -> str:
    return " ".join((text or "").split())


class PassageTable(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[passages.PassageView] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

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
            values = [v.citation, v.document, _flat(v.quote), ", ".join(v.themes), _flat(v.note),
                      "; ".join(f"{ln['relation']} {ln['to']}" for ln in v.links)]
            text = values[col]
            if role == Qt.ToolTipRole:
                return v.quote[:800] if col == 2 else text
            return text[:160] + "…" if col == 2 and len(text) > 160 else text
        if role == Qt.UserRole:
            return v.id
        if role == Qt.UserRole + 1:  # filter text: everything the user might type
            return " ".join([v.citation, v.document, v.quote, " ".join(v.themes), v.note, v.witness,
                             v.author]).lower()
        return None


class PassagesPanel(QWidget):
    open_requested = Signal(int)  # passage id

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
        self._timer.timeout.connect(self.refresh)
        self.filter.textChanged.connect(lambda t: self.proxy.setFilterFixedString(t.lower()))
        self.sort.currentIndexChanged.connect(lambda _i: self.refresh())
        self.clear_theme.clicked.connect(lambda: self.show_theme(None))
        self.view.doubleClicked.connect(lambda idx: self.open_requested.emit(idx.data(Qt.UserRole)))
        self.view.activated.connect(lambda idx: self.open_requested.emit(idx.data(Qt.UserRole)))
        ctx.workspace_changed.connect(lambda: self.show_theme(None))
        ctx.changed.connect(lambda ch: (ch.passages or ch.themes or ch.links or ch.documents)
                            and self._timer.start())

    def show_theme(self, tid: int | None) -> None:
        self.theme_filter = tid
        self.refresh()

    def refresh(self) -> None:
        ws = self.ctx.ws
        if ws is None:
            self.table.set_rows([])
            return
        with ws.session() as s:
            rows = passages.views(s, theme_ids=[self.theme_filter] if self.theme_filter else None)
            name = None
            if self.theme_filter:
                from annotator.core.models import Theme

                t = s.get(Theme, self.theme_filter)
                name = t.name if t else None
        key = self.sort.currentText()
        if key == "Theme":
            rows.sort(key=lambda v: (v.themes[0].lower() if v.themes else "~", v.document_id, v.start_page))
        elif key == "Witness":
            rows.sort(key=lambda v: (v.witness.lower() or "~", v.document_id, v.start_page))
        elif key == "Date":
            rows.sort(key=lambda v: (v.date or "~", v.document_id, v.start_page))
        self.table.set_rows(rows)
        self.theme_label.setText(f"Passages with theme '{name}' ({len(rows)})" if name
                                 else f"All passages ({len(rows)})")
        self.clear_theme.setVisible(name is not None)
        for col, width in enumerate((130, 170, 420, 170, 220)):
            self.view.setColumnWidth(col, width)

    def count(self) -> int:
        return self.proxy.rowCount()
