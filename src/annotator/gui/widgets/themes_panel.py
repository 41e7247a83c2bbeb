"""The theme tree with passage counts."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.core import themes


def swatch(colour: str, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(colour))
    return QIcon(pix)


class ThemesPanel(QWidget):
    theme_activated = Signal(int)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._total = 0
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Theme", "Key", "Passages"])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tree)
        self.tree.itemActivated.connect(lambda item, _c: self.theme_activated.emit(item.data(0, Qt.UserRole)))
        ctx.workspace_changed.connect(self.refresh)
        ctx.changed.connect(lambda ch: (ch.themes or ch.passages) and self.refresh())

    def refresh(self) -> None:
        self.tree.clear()
        ws = self.ctx.ws
        if ws is None:
            return
        with ws.session() as s:
            rows = themes.all_themes(s)
            counts = themes.counts(s)
            from sqlmodel import func, select

            from annotator.core.models import Passage

            self._total = s.exec(select(func.count()).select_from(Passage)
                                 .where(Passage.deleted_at.is_(None))).one()
        items: dict[int, QTreeWidgetItem] = {}
        pending = list(rows)
        while pending:
            rest = []
            for t in pending:
                if t.parent_id is not None and t.parent_id not in items:
                    rest.append(t)
                    continue
                item = QTreeWidgetItem([t.name, t.shortcut, str(counts.get(t.id, 0))])
                item.setIcon(0, swatch(t.colour))
                item.setData(0, Qt.UserRole, t.id)
                parent = items.get(t.parent_id)
                (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
                items[t.id] = item
            if len(rest) == len(pending):  # orphaned parent ids: show at top level
                for t in rest:
                    t.parent_id = None
            pending = rest
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    def total_passages(self) -> int:
        return self._total
