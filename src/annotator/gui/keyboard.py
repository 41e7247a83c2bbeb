"""Keyboard first: F6 between panels, Tab out of tables, Ctrl+Enter in dialogs, the shortcuts list."""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class PanelCycle(QObject):
    """F6 moves the focus to the next visible panel, Shift+F6 to the previous one.

    `panels` returns the panels in reading order (documents, the reader,
    themes, details, search, passages); hidden ones are skipped.
    """

    def __init__(self, window: QMainWindow, panels):
        super().__init__(window)
        self.window = window
        self.panels = panels
        for key, step in (("F6", 1), ("Shift+F6", -1)):
            shortcut = QShortcut(QKeySequence(key), window, context=Qt.WindowShortcut)
            shortcut.activated.connect(lambda s=step: self.move(s))

    def visible(self) -> list[QWidget]:
        return [p for p in self.panels() if p is not None and p.isVisible()]

    def current(self, panels: list[QWidget]) -> int:
        focus = self.window.focusWidget()
        for i, panel in enumerate(panels):
            if focus is not None and (focus is panel or panel.isAncestorOf(focus)):
                return i
        return -1

    def move(self, step: int) -> QWidget | None:
        panels = self.visible()
        if not panels:
            return None
        at = self.current(panels)
        target = panels[(at + step) % len(panels)] if at >= 0 else panels[0 if step > 0 else -1]
        focus_into(target)
        return target


def focus_into(panel: QWidget) -> None:
    """Give the focus to the panel's first control that takes it."""
    if panel.focusPolicy() & Qt.TabFocus:
        panel.setFocus(Qt.TabFocusReason)
        return
    for child in panel.findChildren(QWidget):
        if child.isVisible() and child.isEnabled() and child.focusPolicy() & Qt.TabFocus:
            child.setFocus(Qt.TabFocusReason)
            return
    panel.setFocus(Qt.TabFocusReason)


def tab_leaves_tables(root: QWidget) -> None:
    """Tab and Shift+Tab move on to the next control instead of the next cell."""
    for view in root.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)


class _CtrlEnter(QObject):
    """Ctrl+Enter accepts the dialog from any of its controls, a text box included
    (a text box would otherwise take the key as a new line)."""

    def eventFilter(self, obj, event) -> bool:
        if (
            event.type() == QEvent.KeyPress
            and event.key() in (Qt.Key_Return, Qt.Key_Enter)
            and event.modifiers() & Qt.ControlModifier
        ):
            self.parent().accept()
            return True
        return False


def accept_with_ctrl_enter(dialog: QDialog) -> None:
    catcher = _CtrlEnter(dialog)
    dialog.installEventFilter(catcher)
    for child in dialog.findChildren(QWidget):
        child.installEventFilter(catcher)


class NoteDialog(QDialog):
    """A note of several lines: Enter starts a new line, Ctrl+Enter saves."""

    def __init__(self, parent=None, title: str = "Note", label: str = "Note:", text: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label))
        self.edit = QPlainTextEdit(text)
        self.edit.setAccessibleName(label.rstrip(":"))
        self.edit.setTabChangesFocus(True)
        self.edit.moveCursor(QTextCursor.End)  # an existing note is added to, not typed over
        layout.addWidget(self.edit)
        hint = QLabel("Ctrl+Enter saves; Esc cancels.")
        hint.setEnabled(False)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        accept_with_ctrl_enter(self)
        self.resize(460, 240)

    def text(self) -> str:
        return self.edit.toPlainText()


def ask_note(parent, title: str = "Note", label: str = "Note for this passage:", text: str = ""):
    """(note, ok) as QInputDialog.getMultiLineText gives, but Ctrl+Enter accepts."""
    dialog = NoteDialog(parent, title, label, text)
    ok = dialog.exec() == QDialog.Accepted
    return dialog.text(), ok


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(what it does, keys) for every action of the window that has a shortcut."""
    rows: dict[str, str] = {}
    for action in window.findChildren(QAction):
        keys = ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts() if not s.isEmpty())
        text, _tab, named_keys = action.text().partition("\t")  # keys a widget handles, named in the menu
        keys = keys or named_keys
        name = text.replace("&", "").rstrip("…").strip()
        if keys and name and name not in rows:
            rows[name] = keys
    rows.setdefault("Next panel, previous panel", "F6, Shift+F6")
    rows.setdefault("Follow a reference in a note", "Ctrl+click")
    rows.setdefault("Open a reference or a passage link in the other side", "Shift+click")
    return sorted(rows.items(), key=lambda r: r[0].lower())


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: every shortcut the window has, read from its actions."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        for r, (name, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(name))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.resizeColumnToContents(1)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 560)
