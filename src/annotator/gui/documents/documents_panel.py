"""The list of documents in the workspace."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.core.util.dates import readable
from annotator.core.library import documents

from annotator.core import versions


class DocumentsPanel(QWidget):
    open_requested = Signal(int)
    details_requested = Signal(int)
    remove_requested = Signal(int)
    replace_requested = Signal(int)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.filter = QLineEdit(placeholderText="Filter documents")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Title", "Kind", "URN", "Day", "Pages"])
        self.tree.setRootIsDecorated(False)
        self.tree.setTextElideMode(Qt.ElideMiddle)  # long titles keep their distinguishing ends
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(-1, Qt.AscendingOrder)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.filter)
        lay.addWidget(self.tree)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree.itemActivated.connect(lambda item, _c: self.open_requested.emit(item.data(0, Qt.UserRole)))
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        edit = self.tree.addAction("Edit document details…")  # keyboard: Alt+Return
        edit.setShortcut(QKeySequence("Alt+Return"))
        edit.setShortcutContext(Qt.WidgetShortcut)
        edit.triggered.connect(self._details_of_current)
        remove = self.tree.addAction("Remove document…")
        remove.setShortcut(QKeySequence.Delete)
        remove.setShortcutContext(Qt.WidgetShortcut)
        remove.triggered.connect(
            lambda: self.current_id() is not None and self.remove_requested.emit(self.current_id())
        )
        ctx.workspace_changed.connect(self.refresh)
        ctx.changed.connect(lambda ch: ch.documents and self.refresh())

    def refresh(self) -> None:
        self.tree.clear()
        ws = self.ctx.ws
        if ws is None:
            return
        docs = documents.listed(ws)
        earlier = versions.earlier_files(ws)
        for d in docs:
            item = QTreeWidgetItem(
                [d.title, d.kind, d.urn, "" if d.day is None else str(d.day), str(d.page_count)]
            )
            item.setData(0, Qt.UserRole, d.id)
            tip = f"{d.title}" + (f", dated {readable(d.date)}" if d.date else "")
            tip += f"\n{d.filename}\nSHA-256 {d.sha256}"
            if d.id in earlier:  # replaced by new versions: the earlier files are kept
                names = earlier[d.id]
                tip += f"\nVersion {len(names) + 1}; earlier: " + ", ".join(names)
                item.setText(0, f"{d.title} (v{len(names) + 1})")
            if not d.has_text:
                tip += "\nNo text layer — not searchable"
                item.setText(1, f"{d.kind} (no text)")
            item.setToolTip(0, tip)
            self.tree.addTopLevelItem(item)
        for col in range(1, 5):
            self.tree.resizeColumnToContents(col)
        self._apply_filter(self.filter.text())

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item else None

    def _details_of_current(self) -> None:
        if self.current_id() is not None:
            self.details_requested.emit(self.current_id())

    def context_menu(self, item) -> QMenu:
        menu = QMenu(self)
        doc_id = item.data(0, Qt.UserRole)
        menu.addAction("Open", lambda: self.open_requested.emit(doc_id))
        menu.addAction("Edit document details…", lambda: self.details_requested.emit(doc_id))
        menu.addAction("Replace with new version…", lambda: self.replace_requested.emit(doc_id))
        menu.addSeparator()
        menu.addAction("Remove document…", lambda: self.remove_requested.emit(doc_id))
        return menu

    def _menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.context_menu(item).exec(self.tree.viewport().mapToGlobal(pos))

    def count(self) -> int:
        return self.tree.topLevelItemCount()

    def _apply_filter(self, text: str) -> None:
        low = text.lower()
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            hay = " ".join(item.text(c) for c in range(5)).lower()
            item.setHidden(bool(low) and low not in hay)
