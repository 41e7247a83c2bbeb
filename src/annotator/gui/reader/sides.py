"""Side by side: the reading area split in two, each side with its own tabs.

The window's `center` tabs are the first side; the second appears with
View > Split view. The side that last had the focus is the active one (a
coloured rule along its top says which): documents open there, and "Open
in other side" opens in the other. Closing the split moves the second
side's tabs back into the first. Not saved: a new window starts whole.
"""

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QSplitter, QTabWidget, QVBoxLayout, QWidget

RULE = 3  # px of the active side's rule


def tabs_like(first: QTabWidget) -> QTabWidget:
    tabs = QTabWidget()
    tabs.setDocumentMode(first.documentMode())
    tabs.setElideMode(first.elideMode())
    tabs.setTabsClosable(True)
    tabs.setMovable(first.isMovable())
    return tabs


class _Side(QFrame):
    """One side: a rule (coloured when active) above its tabs."""

    def __init__(self, tabs: QTabWidget, name: str):
        super().__init__()
        self.tabs = tabs
        self.rule = QWidget()
        self.rule.setFixedHeight(RULE)
        self.rule.setAutoFillBackground(True)
        self.rule.setObjectName(f"{name}SideRule")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.rule)
        lay.addWidget(tabs, 1)
        self.set_active(False)

    def set_active(self, on: bool) -> None:
        role = self.palette().ColorRole.Highlight if on else self.palette().ColorRole.Window
        colour = self.palette().color(role)
        self.rule.setStyleSheet(f"background: {colour.name()};")
        self.rule.setAccessibleName("Active side" if on else "")
        self.setProperty("active", on)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:  # light or dark: the rule follows
            self.set_active(bool(self.property("active")))


class Sides(QObject):
    """The first side (the window's tabs) and the second, in a splitter."""

    split_changed = Signal(bool)
    active_changed = Signal(object)  # the active side's QTabWidget

    def __init__(self, first: QTabWidget, parent=None):
        super().__init__(parent)
        self.first = first
        self.second = tabs_like(first)
        self.second.setAccessibleName("Open documents, second side")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self._sides = [_Side(first, "first"), _Side(self.second, "second")]
        for side in self._sides:
            self.splitter.addWidget(side)
        self._sides[1].hide()
        self.active = first
        self._mark()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_moved)

    @property
    def split(self) -> bool:
        return self._sides[1].isVisibleTo(self.splitter)

    def all_tabs(self) -> list[QTabWidget]:
        return [self.first, self.second] if self.split else [self.first]

    def other(self, tabs: QTabWidget | None = None) -> QTabWidget:
        tabs = self.active if tabs is None else tabs
        return self.second if tabs is self.first else self.first

    def side_of(self, widget: QWidget) -> QTabWidget | None:
        for tabs in (self.first, self.second):
            if tabs.indexOf(widget) >= 0:
                return tabs
        return None

    def set_split(self, on: bool) -> None:
        if on == self.split:
            return
        self._sides[1].setVisible(on)
        if on:
            half = max(1, self.splitter.width() // 2)
            self.splitter.setSizes([half, half])
        self.set_active(self.first if not on else self.active)
        self._mark()
        self.split_changed.emit(on)

    def set_active(self, tabs: QTabWidget) -> None:
        if tabs is self.second and not self.split:
            tabs = self.first
        changed = tabs is not self.active
        self.active = tabs
        self._mark()
        if changed:
            self.active_changed.emit(tabs)

    def _mark(self) -> None:
        for side in self._sides:
            side.set_active(self.split and side.tabs is self.active)
            side.rule.setVisible(self.split)  # one side needs no marking

    def _focus_moved(self, _old, new) -> None:
        if new is None or not self.split:
            return
        for tabs in (self.first, self.second):
            if new is tabs or tabs.isAncestorOf(new):
                self.set_active(tabs)
                return
