"""Choose a passage to link to, and the relation (contradicts, corroborates, see also, or your own).

At inquiry scale there are 100,000 passages to choose from: they are read
in the background, sit in a model behind a list view (only the visible rows
are drawn), and the filter runs over their text in one pass rather than
asking the model row by row.
"""

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
)

from annotator.core.evidence import passages, tagging
from annotator.gui.tasks import Latest
from annotator.gui.keyboard import accept_with_ctrl_enter


def _choices(ws, source_id: int) -> tuple[list, list[str], list[str]]:
    """Every other passage: (views, labels, text to filter on), built off the GUI thread."""
    views = [v for v in passages.listed(ws) if v.id != source_id]
    labels = [f"{v.citation}  [{', '.join(v.themes)}]  {' '.join(v.quote.split())[:90]}" for v in views]
    texts = [
        f"{label} {v.quote} {v.note} {v.document}".lower() for label, v in zip(labels, views, strict=False)
    ]
    return views, labels, texts


class _Passages(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.views: list = []
        self.labels: list[str] = []
        self.texts: list[str] = []
        self.shown: list[int] = []  # indices of the rows the filter lets through

    def fill(self, views, labels, texts, needle: str) -> None:
        self.views, self.labels, self.texts = views, labels, texts
        self.filter(needle)

    def filter(self, needle: str) -> None:
        self.beginResetModel()
        self.shown = (
            [i for i, t in enumerate(self.texts) if needle in t] if needle else list(range(len(self.views)))
        )
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.shown)

    def data(self, index, role=Qt.DisplayRole):
        i = self.shown[index.row()]
        if role == Qt.DisplayRole:
            return self.labels[i]
        if role == Qt.ToolTipRole:
            return self.views[i].quote[:600]
        if role == Qt.UserRole:
            return self.views[i].id
        return None


class LinkDialog(QDialog):
    listed = Signal()  # the passages to choose from have been read (or could not be)

    def __init__(self, ctx, source_id: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Link passage")
        self.resize(640, 420)
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.addItems(list(tagging.RELATIONS))
        self.filter = QLineEdit(placeholderText="Filter passages by citation, quote, theme or note")
        self.model = _Passages(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # rows of one height: no measuring 100,000 of them
        self.list.setTextElideMode(Qt.ElideMiddle)
        self.count = QLabel("Loading passages…")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        form = QFormLayout()
        form.addRow("Relation", self.relation)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.filter)
        lay.addWidget(self.list)
        lay.addWidget(self.count)
        lay.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        accept_with_ctrl_enter(self)
        self.list.doubleClicked.connect(lambda _i: self.accept())
        self.filter.textChanged.connect(self._filter)
        ws = ctx.ws
        self.loads = Latest(ctx.tasks)
        self.loads.start(lambda _job: _choices(ws, source_id), self._loaded, self._failed)
        self.finished.connect(lambda _r: self.loads.drop())  # closed early: its answer is not wanted

    def _loaded(self, result) -> None:
        self.model.fill(*result, self.filter.text().lower())
        self._show_count()
        self.listed.emit()

    def _failed(self, err) -> None:
        self.count.setText(f"Could not list the passages: {err}")
        self.listed.emit()

    def _filter(self, text: str) -> None:
        if self.model.texts:
            self.model.filter(text.lower())
            self._show_count()

    def _show_count(self) -> None:
        if self.model.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0, 0))
        self.count.setText(f"{self.model.rowCount():,} of {len(self.model.views):,} passages")

    def accept(self) -> None:
        if not self.list.currentIndex().isValid() or not self.relation.currentText().strip():
            return
        super().accept()

    def choice(self) -> tuple[int, str]:
        return self.list.currentIndex().data(Qt.UserRole), self.relation.currentText().strip()
