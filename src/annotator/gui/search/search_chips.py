"""Filter chips: pick a theme, document, witness or day from a menu; click a chip to drop it.

The chips add filters to the typed query (theme:"Safety" and so on), so
what the chips do is exactly what typing the filter would do.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QMenu, QToolButton, QWidget

from annotator.core.evidence import themes
from annotator.core.search import filters

KEYS = (("theme", "Theme"), ("doc", "Document"), ("witness", "Witness"), ("day", "Day"))
MENU_MAX = 300  # longer menus run off the screen; the rest are one item away


def quoted(value: str) -> str:
    return '"' + value.replace('"', " ") + '"'


class FilterChips(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.chips: list[tuple[str, str, str]] = []  # (key, value, label)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(4)
        self.pickers = {}
        for key, label in KEYS:
            btn = QToolButton(text=f"{label} ▾", toolTip=f"Limit the search to a {label.lower()}")
            btn.setPopupMode(QToolButton.InstantPopup)
            menu = QMenu(btn)
            menu.aboutToShow.connect(lambda k=key, m=menu: self._fill(k, m))
            btn.setMenu(menu)
            self.row.addWidget(btn)
            self.pickers[key] = btn
        self.chip_area = QHBoxLayout()
        self.row.addLayout(self.chip_area)
        self.row.addStretch(1)

    # ---- menus ---------------------------------------------------------
    def _choices(self, key: str) -> list[tuple[str, str]]:
        """(label, filter value) pairs for a menu."""
        ws = self.ctx.ws
        if ws is None:
            return []
        if key == "theme":
            by_id = {t.id: t for t in themes.listed(ws)}
            return [(themes.path_name(t, by_id), t.name) for t in by_id.values()]
        return filters.choices(ws, key)

    def _fill(self, key: str, menu: QMenu) -> None:
        menu.clear()
        choices = self._choices(key)
        for label, value in choices[:MENU_MAX]:
            menu.addAction(label, lambda v=value, lab=label: self.add(key, v, lab))
        if len(choices) > MENU_MAX:  # an inquiry has thousands of documents: pick from all of them
            menu.addSeparator()
            menu.addAction(f"All {len(choices):,}…", lambda: self._pick(key, choices))
        if key == "day":
            menu.addSeparator()
            menu.addAction("Range of days…", self._ask_days)
        if not menu.actions():
            menu.addAction("(none in this workspace)").setEnabled(False)

    def _pick(self, key: str, choices: list[tuple[str, str]]) -> None:
        """Every choice in a list one can type into (it completes as one types)."""
        labels = [label for label, _value in choices]
        name = dict(KEYS)[key]
        label, ok = QInputDialog.getItem(self, name, f"{name} (type to find it):", labels, 0, True)
        values = dict(choices)
        if ok and label in values:
            self.add(key, values[label], label)

    def _ask_days(self) -> None:
        value, ok = QInputDialog.getText(self, "Days", "Days, e.g. 40-50:")
        if ok and value.strip():
            self.add("day", value.strip(), f"Days {value.strip()}")

    # ---- chips ---------------------------------------------------------
    def add(self, key: str, value: str, label: str | None = None) -> None:
        if any(c[0] == key and c[1] == value for c in self.chips):
            return
        self.chips.append((key, value, label or value))
        self._redraw()
        self.changed.emit()

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.chips):
            del self.chips[index]
            self._redraw()
            self.changed.emit()

    def clear(self) -> None:
        if self.chips:
            self.chips = []
            self._redraw()
            self.changed.emit()

    def _redraw(self) -> None:
        while self.chip_area.count():
            w = self.chip_area.takeAt(0).widget()
            if w:
                w.deleteLater()
        names = dict(KEYS)
        for i, (key, _value, label) in enumerate(self.chips):
            chip = QToolButton(text=f"{names[key]}: {label}  ✕", toolTip="Click to remove this filter")
            chip.setObjectName("chip")
            chip.setStyleSheet(
                "QToolButton#chip { border: 1px solid palette(mid); border-radius: 9px; "
                "padding: 1px 8px; background: palette(alternate-base); }"
            )
            chip.clicked.connect(lambda _=False, n=i: self.remove(n))
            self.chip_area.addWidget(chip)

    def query_text(self) -> str:
        return " ".join(f"{key}:{quoted(value)}" for key, value, _ in self.chips)
