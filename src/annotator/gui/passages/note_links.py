"""References in a note being edited: underlined as links, followed by Ctrl+click.

A plain click in the note places the caret (it is a text box); Ctrl+click
follows the reference under the mouse, Ctrl+Shift+click opens it in the
other side, and Go > Follow reference does it from the keyboard at the caret.
"""

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from annotator.gui.reader.links import FOLLOW_KEY


def linked_html(text: str, found: list) -> str:
    """`text` as rich text with each found reference an <a href="ref:k"> link."""
    out, at = [], 0
    for k, f in enumerate(found):
        out.append(html.escape(text[at : f.start]))
        out.append(f'<a href="ref:{k}">{html.escape(f.text)}</a>')
        at = f.end
    out.append(html.escape(text[at:]))
    return "".join(out)


class _Underline(QSyntaxHighlighter):
    def __init__(self, owner: "NoteReferences"):
        super().__init__(owner.edit.document())
        self.owner = owner

    def highlightBlock(self, text: str) -> None:
        if self.owner.links is None:
            return
        fmt = QTextCharFormat()
        fmt.setFontUnderline(True)
        fmt.setForeground(self.owner.edit.palette().color(QPalette.Link))
        for f in self.owner.links.find(text):
            self.setFormat(f.start, f.end - f.start, fmt)


class NoteReferences(QObject):
    activated = Signal(object, bool)  # the Found reference, open in the other side

    def __init__(self, edit: QPlainTextEdit):
        super().__init__(edit)
        self.edit = edit
        self.links = None
        self._underline = _Underline(self)
        edit.viewport().installEventFilter(self)
        edit.viewport().setMouseTracking(True)

    def set_links(self, links) -> None:
        self.links = links
        links.finder_changed.connect(self._underline.rehighlight)
        self._underline.rehighlight()

    def _found_at(self, cursor: QTextCursor):
        if self.links is None:
            return None
        block = cursor.block()
        return self.links.at(block.text(), cursor.positionInBlock())

    def at_caret(self):
        return self._found_at(self.edit.textCursor())

    def _under_mouse(self, pos):
        cursor = self.edit.cursorForPosition(pos)
        found = self._found_at(cursor)
        # cursorForPosition snaps to the nearest gap: the mouse must be on the words themselves
        if found is None or not self.edit.cursorRect(cursor).adjusted(-8, -2, 8, 2).contains(pos):
            return None
        return found

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            found = self._under_mouse(event.position().toPoint())
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            self.edit.viewport().setCursor(
                Qt.CursorShape.PointingHandCursor if found and ctrl else Qt.CursorShape.IBeamCursor
            )
            if found is not None:
                QToolTip.showText(
                    event.globalPosition().toPoint(),
                    f"{found.text}: Ctrl+click to follow, Ctrl+Shift+click for the other side "
                    f"({FOLLOW_KEY} at the caret)",
                    self.edit.viewport(),
                )
        elif kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                found = self._under_mouse(event.position().toPoint())
                if found is not None:
                    self.activated.emit(found, bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
                    return True
        return False
