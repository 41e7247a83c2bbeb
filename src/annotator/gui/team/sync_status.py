"""The status-bar indicator: live / online / offline / syncing, when sync last succeeded,
changes waiting to be sent, conflicts to review. Clicking it syncs now."""

from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.gui.team.when import when_text

# mode -> (dot colour, word)
MODES = {
    "live": ("#1E8E3E", "Live"),
    "online": ("#1E8E3E", "Online"),
    "syncing": ("#1A73E8", "Syncing…"),
    "offline": ("#9AA0A6", "Offline"),
    "problem": ("#D93025", "Sync stopped"),  # followed by the reason
}


@dataclass(frozen=True)
class SyncState:
    mode: str = "off"  # "off" (not a team workspace) or one of MODES
    last_ok: datetime | None = None
    pending: int = 0
    conflicts: int = 0
    problem: str = ""  # one sentence when offline or stopped

    def but(self, **changes) -> "SyncState":
        return replace(self, **changes)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def describe(state: SyncState, now: datetime | None = None) -> tuple[str, str]:
    """(short line for the status bar, full sentence for its tooltip)."""
    if state.mode == "off":
        return "", ""
    colour, word = MODES[state.mode]
    parts = [f"{word}: {state.problem}" if state.mode == "problem" and state.problem else word]
    if state.mode != "syncing" or state.last_ok is not None:
        parts.append(f"synced {when_text(state.last_ok, now)}")
    if state.pending:
        parts.append(f"{_plural(state.pending, 'change')} to send")
    if state.conflicts:
        parts.append(_plural(state.conflicts, "conflict"))
    short = " · ".join(parts)
    if state.mode == "live":
        tip = "Connected to the team server: changes from others appear within seconds."
    elif state.mode == "online":
        tip = "Connected to the team server; syncing every half-minute."
    elif state.mode == "syncing":
        tip = "Sending your changes and fetching everyone else's."
    else:
        tip = state.problem or "The team server cannot be reached."
        tip += " Changes made here are kept and sent at the next successful sync."
    if state.mode == "offline" and state.problem:
        pass  # its sentence already says when sync last worked
    elif state.last_ok is None:
        tip += " This replica has not synced yet."
    else:
        tip += f" Last successful sync: {when_text(state.last_ok, now)}."
    tip += " Click to sync now (F9)."
    return f'<span style="color:{colour}">●</span> {short}', tip


class SyncIndicator(QLabel):
    clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setTextFormat(Qt.RichText)
        self.setCursor(Qt.PointingHandCursor)
        self.state = SyncState()
        # "2 minutes ago" must keep counting while nothing else happens
        self._tick = QTimer(self, interval=30_000)
        self._tick.timeout.connect(self._render)
        self._tick.start()
        self._render()

    def show_state(self, state: SyncState) -> None:
        self.state = state
        self._render()

    def plain_text(self) -> str:
        """The line without markup (tests, accessibility)."""
        return describe(self.state)[0].split("</span> ", 1)[-1]

    def _render(self) -> None:
        short, tip = describe(self.state)
        self.setVisible(bool(short))
        self.setText(short)
        self.setToolTip(tip)
        self.setAccessibleName(self.plain_text())

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)
