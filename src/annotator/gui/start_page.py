"""The start page: what the central area shows while no workspace is open.

Open the demo, New workspace…, Open…, and the recent workspaces (missing ones
marked, each removable with Delete or the button). When Annotator starts, the
last workspace opens again (the user setting `reopen_last`); if it cannot —
moved, locked by another window, damaged — the page says why in one sentence.
"""

import os

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.core.store import settings
from annotator.core.store.workspace import Workspace
from annotator.core.util.errors import AnnotatorError, WorkspaceLocked


class _RecentList(QListWidget):
    remove_pressed = Signal()  # Delete or Backspace on a row

    def sizeHint(self) -> QSize:
        # asks for a few rows only: it still grows into the room there is, and the page
        # (whose wrapped labels make its scroll area go by preferred heights) fits a laptop
        return QSize(320, 110)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_pressed.emit()
            return
        super().keyPressEvent(event)


class StartPage(QWidget):
    open_requested = Signal(str)  # a recent workspace's path

    def __init__(self, window):
        super().__init__()
        self.window_ = window
        self.ctx = window.ctx
        self.setObjectName("startPage")
        self.setAccessibleName("Start page")
        title = QLabel("Annotator")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        lead = QLabel("Mark up evidence for a public inquiry: open a workspace, or try the demo.")
        lead.setWordWrap(True)
        self.message = QLabel()  # why the last workspace did not reopen
        self.message.setObjectName("startMessage")
        self.message.setWordWrap(True)
        self.message.setFrameShape(QFrame.Shape.StyledPanel)
        self.message.setAccessibleName("Why the last workspace did not open")
        self.message.setMargin(8)
        self.message.hide()
        self.demo_button = self._button("Open the &demo", "Open the demo workspace", window.open_demo)
        self.new_button = self._button("&New workspace…", "New workspace", window.new_workspace)
        self.open_button = self._button("&Open…", "Open a workspace", window.open_workspace)
        buttons = QHBoxLayout()
        for b in (self.demo_button, self.new_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        recent_label = QLabel("&Recent workspaces")
        self.recent = _RecentList()
        self.recent.setAccessibleName("Recent workspaces")
        self.recent.setAccessibleDescription("Enter opens the workspace; Delete removes it from the list.")
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        recent_label.setBuddy(self.recent)
        self.recent.itemActivated.connect(self._activated)
        self.recent.currentRowChanged.connect(lambda _r: self._enable())
        self.recent.remove_pressed.connect(self.remove_selected)
        self.remove_button = QPushButton("Remove from &list")
        self.remove_button.setAccessibleName("Remove the selected workspace from the recent list")
        self.remove_button.clicked.connect(self.remove_selected)
        under = QHBoxLayout()
        under.addStretch(1)
        under.addWidget(self.remove_button)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(lead)
        column.addSpacing(8)
        column.addWidget(self.message)
        column.addLayout(buttons)
        column.addSpacing(12)
        column.addWidget(recent_label)
        column.addWidget(self.recent, 1)
        column.addLayout(under)
        box = QWidget()  # a readable width in the middle of a wide window
        box.setLayout(column)
        box.setMaximumWidth(720)
        content = QWidget()
        outer = QHBoxLayout(content)
        outer.addStretch(1)
        outer.addWidget(box, 4)
        outer.addStretch(1)
        scroll = QScrollArea()  # never wider than the room the panels leave: it scrolls instead
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)
        self.setTabOrder(self.demo_button, self.new_button)
        self.setTabOrder(self.new_button, self.open_button)
        self.setTabOrder(self.open_button, self.recent)
        self.setTabOrder(self.recent, self.remove_button)
        self.open_requested.connect(window.open_path)
        self.refresh()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        b = QPushButton(text)
        b.setAccessibleName(name)
        b.setMinimumHeight(b.sizeHint().height() + 8)
        b.clicked.connect(slot)
        return b

    def refresh(self) -> None:
        self.recent.clear()
        quiet = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for path in self.ctx.recent():
            here = os.path.exists(path)
            name = os.path.basename(path)
            text = f"{name}   —   {os.path.dirname(path)}"
            item = QListWidgetItem(text if here else f"{text}   (missing)")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(
                path if here else f"{path}: not found (moved, renamed or on a drive not attached)"
            )
            if not here:
                item.setForeground(quiet)
            self.recent.addItem(item)
        if self.recent.count():
            self.recent.setCurrentRow(0)
        else:
            self.recent.addItem(QListWidgetItem("None yet: the workspaces you open are listed here."))
            self.recent.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self._enable()

    def _enable(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def selected(self) -> str | None:
        item = self.recent.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if not path:
            return
        if not os.path.exists(path):
            self.say(
                f"{os.path.basename(path)} is no longer at {os.path.dirname(path)}: it may have been moved."
            )
            return
        self.open_requested.emit(path)

    def remove_selected(self) -> None:
        path = self.selected()
        if path:
            row = self.recent.currentRow()
            self.ctx.forget_recent(path)
            self.refresh()
            self.recent.setCurrentRow(min(row, self.recent.count() - 1))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()


def why_not(path: str, err: AnnotatorError) -> str:
    """One sentence on why the last workspace did not reopen."""
    name = os.path.basename(path)
    if isinstance(err, WorkspaceLocked):
        who = err.holder.get("user") or "someone"
        host = err.holder.get("host") or "this computer"
        return (
            f"{name} was not reopened: {who} on {host} has it open for writing "
            "(open it with Open… to read it)."
        )
    if not os.path.exists(path):
        return f"{name} was not reopened: it is no longer at {os.path.dirname(path)} (moved or renamed?)."
    return f"{name} was not reopened: {str(err).rstrip('.')}."


def reopen_last(window) -> bool:
    """At start: open the last workspace again if the user wants it; say why not if it fails."""
    recent = window.ctx.recent()
    if not recent or not settings.user_value("reopen_last"):
        return False
    path = recent[0]
    try:
        ws = Workspace.open(path)
    except AnnotatorError as err:
        window.start_page.say(why_not(path, err))
        return False
    window.adopt(ws)
    return True


def install(window) -> StartPage:
    """Put the start page in the central column; it shows whenever no workspace is open."""
    page = StartPage(window)
    window.centralWidget().layout().addWidget(page, 1)

    def follow() -> None:
        none = window.ctx.ws is None
        page.setVisible(none)
        window.center.setVisible(not none)
        if not none:
            page.say("")

    window.ctx.workspace_changed.connect(follow)
    follow()
    return page
