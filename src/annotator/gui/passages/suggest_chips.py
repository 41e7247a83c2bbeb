"""Suggested themes as one-click chips, for the passage shown or the reader's selection.

Suggestions come from core.similar.suggest on the read lane (the newest answer
wins). A chip does nothing until it is clicked: then it adds the theme to the
passage, or tags the selection with it. With too few tagged passages the row
says so instead of guessing.
"""

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.core.similar.suggest import suggest
from annotator.gui.tasks import Latest

CHIPS = 3
PER_ROW = 1  # one under another: the Passage panel is narrow
CHIP_STYLE = (
    "QPushButton { border: 1px solid palette(mid); border-radius: 10px; padding: 2px 10px; }"
    "QPushButton:hover { background: palette(midlight); }"
)


class SuggestChips(QWidget):
    shown = Signal(object)  # the Suggestions on screen (used by tests)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.latest = Latest(ctx.tasks, "read")
        self.on_pick: Callable[[int], None] | None = None
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: palette(placeholder-text)")
        self.row = QGridLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setColumnStretch(PER_ROW, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self.row)
        lay.addWidget(self.message)
        self.chips: list[QPushButton] = []
        self.clear()

    def clear(self, text: str = "Select text or a passage for suggestions.") -> None:
        self.latest.drop()
        for chip in self.chips:
            self.row.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        self.message.setText(text)

    def for_passage(self, pid: int, has: set[int], pick: Callable[[int], None]) -> None:
        self._ask(dict(passage_id=pid), has, pick, "the passage")

    def for_text(self, text: str, pick: Callable[[int], None]) -> None:
        self._ask(dict(text=text), set(), pick, "the selection")

    def _ask(self, what: dict, has: set[int], pick: Callable[[int], None], label: str) -> None:
        ws = self.ctx.ws
        if ws is None:
            return
        self.clear("Suggesting themes…")
        self.on_pick = pick

        def work(job):
            return suggest(ws, limit=CHIPS + len(has), refresh=False, cancelled=job.cancelled, **what)

        self.latest.start(work, lambda got: self._show(got, has, label), self._failed, name="suggest themes")

    def _failed(self, err) -> None:
        self.clear(str(err))

    def _show(self, got, has: set[int], label: str) -> None:
        self.clear(got.message)
        if got.enough:
            picks = [t for t in got.themes if t["theme_id"] not in has][:CHIPS]
            for t in picks:
                chip = QPushButton(f"+ {t['theme']} {round(100 * t['score'])}%")
                chip.setStyleSheet(CHIP_STYLE)
                chip.setToolTip(f"Tag {label} with {t['theme']} (share of the likeness: {t['score']:.2f})")
                chip.clicked.connect(lambda _=False, tid=t["theme_id"]: self._pick(tid))
                self.row.addWidget(chip, len(self.chips) // PER_ROW, len(self.chips) % PER_ROW)
                self.chips.append(chip)
            self.message.setText(
                f"For {label}; tagged only when you click. {got.message}"
                if picks
                else f"No other theme to suggest. {got.message}"
            )
        self.shown.emit(got)

    def _pick(self, tid: int) -> None:
        if self.on_pick is not None:
            self.on_pick(tid)
