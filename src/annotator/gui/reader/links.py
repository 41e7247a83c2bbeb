"""References as links: found in text (core.library.references) and followed.

One of these per window. Views ask it for the references in a line or a
note (`find`), and hand it the one a person clicked (`follow`): the
document opens at that page or line, in this side or the other, or the
status bar says in one sentence why it cannot.
"""

from PySide6.QtCore import QEvent, QObject, Qt, Signal

from annotator.core.library import references
from annotator.core.util.errors import AnnotatorError

FOLLOW_KEY = "Ctrl+Return"
FOLLOW_ASIDE_KEY = "Ctrl+Shift+Return"
HINT = "Click to follow; Shift+click to open it in the other side."


class ReferenceLinks(QObject):
    said = Signal(str)  # the sentence shown when a reference leads nowhere
    finder_changed = Signal()  # views drop the references they found before

    def __init__(self, reading):
        super().__init__(reading)
        self.reading = reading
        self.ctx = reading.ctx
        self._finder: references.Finder | None = None
        self.ctx.workspace_changed.connect(self._forget)
        # titles, URNs, days and the URN pattern come with `documents` changes (settings too)
        self.ctx.changed.connect(lambda change: change.documents and self._forget())

    def _forget(self) -> None:
        if self._finder is not None:
            self._finder = None
            self.finder_changed.emit()

    def finder(self) -> references.Finder:
        if self._finder is None:
            ws = self.ctx.ws
            self._finder = references.finder(ws) if ws is not None else references.Finder()
        return self._finder

    def find(self, text: str) -> list[references.Found]:
        return self.finder().find(text)

    def at(self, text: str, pos: int) -> references.Found | None:
        return self.finder().at(text, pos)

    def follow(
        self, ref: "references.Found | str", current_doc: int | None = None, other_side: bool = False
    ) -> bool:
        """Open the place a reference points to; False (and the sentence why) if it cannot."""
        if self.ctx.ws is None:
            return False
        try:
            place = references.place_of(self.ctx.ws, ref, current_doc)
        except AnnotatorError as err:
            self.say(str(err))
            return False
        self.reading.open_document(
            place.document_id, place.page, place.start, place.end, other_side=other_side
        )
        text = ref.text if isinstance(ref, references.Found) else ref
        where = " in the other side" if other_side else ""
        self.reading.win.statusBar().showMessage(f"Opened {text}{where}; Back (Alt+Left) returns.", 8000)
        return True

    def say(self, sentence: str) -> None:
        self.reading.win.statusBar().showMessage(sentence, 15000)
        self.said.emit(sentence)


class PressModifiers(QObject):
    """The keys held at the last mouse press on a widget: Shift opens in the other side.
    (A QLabel link or a list item click does not carry them.)"""

    def __init__(self, widget):
        super().__init__(widget)
        self.held = Qt.KeyboardModifier.NoModifier
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            self.held = event.modifiers()
        elif event.type() == QEvent.Type.KeyPress:
            self.held = Qt.KeyboardModifier.NoModifier  # a link taken with the keyboard
        return False

    @property
    def shift(self) -> bool:
        return bool(self.held & Qt.KeyboardModifier.ShiftModifier)
