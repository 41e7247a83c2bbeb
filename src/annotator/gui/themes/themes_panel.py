"""The theme tree: counts, show/hide ticks, and every theme edit (all undoable).

Drag a theme onto another to nest it, between two to reorder; or use the
menu (Move up/down, Nest under previous, Move out).
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QInputDialog,
    QMenu,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.evidence import theme_ops, themes
from annotator.gui.errors import show_error
from annotator.gui.themes import theme_dialogs


def swatch(colour: str, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(colour))
    return QIcon(pix)


class ThemeTree(QTreeWidget):
    """A tree whose drops become theme_ops.move calls instead of moving items itself."""

    moved = Signal(int, object, int)  # theme id, new parent id (or None), position

    def __init__(self):
        super().__init__()
        self.setDragDropMode(QAbstractItemView.InternalMove)
        self.setSelectionMode(QAbstractItemView.SingleSelection)

    def dropEvent(self, event) -> None:
        item = self.currentItem()
        target = self.itemAt(event.position().toPoint())
        if item is None:
            return
        where = self.dropIndicatorPosition()
        if target is None:
            parent, pos = None, self.topLevelItemCount()
        elif where == QAbstractItemView.OnItem:
            parent, pos = target.data(0, Qt.UserRole), target.childCount()
        else:
            owner = target.parent()
            parent = owner.data(0, Qt.UserRole) if owner else None
            siblings = [
                owner.child(i) if owner else self.topLevelItem(i)
                for i in range(owner.childCount() if owner else self.topLevelItemCount())
            ]
            siblings = [s for s in siblings if s is not item]
            pos = siblings.index(target) + (1 if where == QAbstractItemView.BelowItem else 0)
        event.setDropAction(Qt.IgnoreAction)
        event.accept()
        self.moved.emit(item.data(0, Qt.UserRole), parent, pos)


class ThemesPanel(QWidget):
    theme_activated = Signal(int)  # clicked: list its passages (or tag the selection)
    visibility_changed = Signal(object)  # set of hidden theme ids

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._total = 0
        self.hidden: set[int] = set()
        self._filling = False
        self.tree = ThemeTree()
        self.tree.setHeaderLabels(["Theme", "Key", "Passages"])
        head = self.tree.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, head.ResizeMode.Stretch)
        head.setSectionResizeMode(1, head.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, head.ResizeMode.ResizeToContents)
        self.tree.setToolTip(
            "Tick to show a theme's highlights. Click to list its passages, or to tag "
            "the selected text. Drag to nest or reorder."
        )
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.toolbar = QToolBar()
        self._actions()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.toolbar)
        lay.addWidget(self.tree)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemChanged.connect(self._ticked)
        self.tree.moved.connect(lambda tid, parent, pos: self._run(theme_ops.move, tid, parent, pos))
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.itemDoubleClicked.connect(lambda item, col: self.rename() if col == 0 else None)
        ctx.workspace_changed.connect(self._new_workspace)
        ctx.changed.connect(lambda ch: (ch.themes or ch.passages) and self.refresh())

    def _actions(self) -> None:
        def act(text, slot, tip=""):
            a = QAction(text, self)
            a.setToolTip(tip or text)
            a.triggered.connect(slot)
            return a

        self.add_action = act("Add", lambda: self.add(), "Add a theme")
        self.child_action = act(
            "Add inside", lambda: self.add(child=True), "Add a theme inside the selected one"
        )
        self.rename_action = act("Rename…", self.rename)
        self.colour_action = act("Colour…", self.recolour)
        self.key_action = act("Key…", self.set_key, "Number key 1-9 that tags the selection")
        self.up_action = act("Move up", lambda: self.shift(-1))
        self.down_action = act("Move down", lambda: self.shift(1))
        self.indent_action = act("Nest under previous", self.indent)
        self.outdent_action = act("Move out", self.outdent)
        self.merge_action = act("Merge into…", self.merge)
        self.delete_action = act("Delete…", self.delete)
        for a in (self.add_action, self.child_action, self.colour_action, self.delete_action):
            self.toolbar.addAction(a)

    def _menu(self, pos) -> None:
        menu = QMenu(self)
        for a in (
            self.add_action,
            self.child_action,
            None,
            self.rename_action,
            self.colour_action,
            self.key_action,
            None,
            self.up_action,
            self.down_action,
            self.indent_action,
            self.outdent_action,
            None,
            self.merge_action,
            self.delete_action,
        ):
            menu.addSeparator() if a is None else menu.addAction(a)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # ---- filling ---------------------------------------------------------
    def _new_workspace(self) -> None:
        self.hidden = set()
        self.refresh()
        self.visibility_changed.emit(set())

    def refresh(self) -> None:
        current = self.current_id()
        self._filling = True
        self.tree.clear()
        ws = self.ctx.ws
        if ws is None:
            self._filling = False
            return
        rows, counts, self._total = themes.overview(ws)
        rows.sort(key=lambda t: (t.position, t.id))
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
                item.setData(1, Qt.UserRole, t.colour)
                item.setFlags(
                    item.flags() | Qt.ItemIsUserCheckable | Qt.ItemIsDragEnabled | Qt.ItemIsDropEnabled
                )
                item.setCheckState(0, Qt.Unchecked if t.id in self.hidden else Qt.Checked)
                item.setTextAlignment(2, Qt.AlignRight)
                parent = items.get(t.parent_id)
                (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
                items[t.id] = item
            if len(rest) == len(pending):  # orphaned parent ids: show at top level
                for t in rest:
                    t.parent_id = None
            pending = rest
        self._items = items
        self.tree.expandAll()
        if current in items:
            self.tree.setCurrentItem(items[current])
        self._filling = False

    def total_passages(self) -> int:
        return self._total

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item else None

    def item_for(self, tid: int) -> QTreeWidgetItem | None:
        return getattr(self, "_items", {}).get(tid)

    # ---- reactions -------------------------------------------------------
    def _clicked(self, item, column) -> None:
        self.theme_activated.emit(item.data(0, Qt.UserRole))

    def _ticked(self, item, column) -> None:
        if self._filling or column != 0:
            return
        tid = item.data(0, Qt.UserRole)
        if item.checkState(0) == Qt.Checked:
            self.hidden.discard(tid)
        else:
            self.hidden.add(tid)
        self.visibility_changed.emit(set(self.hidden))

    def _run(self, op, *args) -> bool:
        try:
            self.ctx.run(op, *args)
            return True
        except Exception as err:
            show_error(self, err)
            return False

    # ---- edits -----------------------------------------------------------
    def add(self, child: bool = False) -> None:
        parent = self.current_id() if child else None
        if child and parent is None:
            return
        name, ok = QInputDialog.getText(self, "New theme", "Name:")
        if ok and name.strip():
            colour = theme_dialogs.next_colour(self.tree.topLevelItemCount())
            self._run(theme_ops.add, name.strip(), colour, parent)

    def rename(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        name, ok = QInputDialog.getText(self, "Rename theme", "Name:", text=item.text(0))
        if ok and name.strip() and name.strip() != item.text(0):
            self._run(theme_ops.rename, item.data(0, Qt.UserRole), name.strip())

    def recolour(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        colour = QColorDialog.getColor(QColor(item.data(1, Qt.UserRole)), self, f"Colour of {item.text(0)}")
        if colour.isValid():
            self._run(theme_ops.recolour, item.data(0, Qt.UserRole), colour.name().upper())

    def set_key(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        keys = ["(none)"] + list("123456789")
        now = item.text(1) or "(none)"
        key, ok = QInputDialog.getItem(
            self,
            "Theme key",
            f"Number key for {item.text(0)}:",
            keys,
            keys.index(now) if now in keys else 0,
            False,
        )
        if ok:
            self._run(theme_ops.set_shortcut, item.data(0, Qt.UserRole), "" if key == "(none)" else key)

    def _siblings(self, item) -> list:
        owner = item.parent()
        n = owner.childCount() if owner else self.tree.topLevelItemCount()
        return [owner.child(i) if owner else self.tree.topLevelItem(i) for i in range(n)]

    def shift(self, delta: int) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        sibs = self._siblings(item)
        pos = sibs.index(item) + delta
        if 0 <= pos < len(sibs):
            owner = item.parent()
            self._run(
                theme_ops.move, item.data(0, Qt.UserRole), owner.data(0, Qt.UserRole) if owner else None, pos
            )

    def indent(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        sibs = self._siblings(item)
        k = sibs.index(item)
        if k > 0:
            self._run(theme_ops.move, item.data(0, Qt.UserRole), sibs[k - 1].data(0, Qt.UserRole), None)

    def outdent(self) -> None:
        item = self.tree.currentItem()
        if item is None or item.parent() is None:
            return
        owner = item.parent()
        grand = owner.parent()
        pos = self._siblings(owner).index(owner) + 1
        self._run(
            theme_ops.move, item.data(0, Qt.UserRole), grand.data(0, Qt.UserRole) if grand else None, pos
        )

    def merge(self) -> None:
        tid = self.current_id()
        if tid is None:
            return
        target = theme_dialogs.choose_merge_target(self, self.ctx, tid)
        if target is not None:
            self._run(theme_ops.merge, tid, target)

    def delete(self) -> None:
        tid = self.current_id()
        if tid is None:
            return
        choice = theme_dialogs.ask_delete(self, self.ctx, tid)
        if choice is not None:
            self._run(theme_ops.delete, tid, choice == "parent")
