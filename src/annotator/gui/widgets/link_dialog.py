"""Choose a passage to link to, and the relation (contradicts, corroborates, see also, or your own)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QListWidget, QListWidgetItem,
    QVBoxLayout,
)

from annotator.core import reading, tagging


class LinkDialog(QDialog):
    def __init__(self, ctx, source_id: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Link passage")
        self.resize(640, 420)
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.addItems(list(tagging.RELATIONS))
        self.filter = QLineEdit(placeholderText="Filter passages by citation, quote, theme or note")
        self.list = QListWidget()
        with ctx.ws.session() as s:
            rows = [v for v in reading.passage_list(s) if v.id != source_id]
        for v in rows:
            quote = " ".join(v.quote.split())
            item = QListWidgetItem(f"{v.citation}  [{', '.join(v.themes)}]  {quote[:90]}")
            item.setData(Qt.UserRole, v.id)
            item.setToolTip(v.quote[:600])
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        form = QFormLayout()
        form.addRow("Relation", self.relation)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.filter)
        lay.addWidget(self.list)
        lay.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.filter.textChanged.connect(self._filter)

    def _filter(self, text: str) -> None:
        low = text.lower()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(low) and low not in (item.text() + item.toolTip()).lower())

    def accept(self) -> None:
        if self.list.currentItem() is None or not self.relation.currentText().strip():
            return
        super().accept()

    def choice(self) -> tuple[int, str]:
        return self.list.currentItem().data(Qt.UserRole), self.relation.currentText().strip()
