"""Edit > Settings… (Ctrl+,): every setting a person sets, built from the declarations in
core/store/settings.py, in two groups: this workspace's (stored in it) and yours
(stored in your config folder, for every workspace).

Each field is typed by its declaration (a list of choices, yes/no, a whole
number, text). Values are checked by core: a refused one is named in one
sentence under its field and nothing is saved. Ctrl+Enter accepts. A new URN
pattern offers to re-read the URNs of the documents already in the workspace
(an undoable step)."""

import getpass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.evidence import citations
from annotator.core.evidence.changes import Change
from annotator.core.library import documents
from annotator.core.store import settings, user_config
from annotator.core.util.errors import AnnotatorError
from annotator.gui.errors import problem_label, show_error
from annotator.gui.keyboard import accept_with_ctrl_enter


def _field(s: settings.Setting, value) -> QWidget:
    """The control for one declared setting, showing `value`."""
    kind = type(s.default)
    if s.choices:
        box = QComboBox()
        for choice in s.choices:
            box.addItem(s.choice_label(choice), choice)
        box.setCurrentIndex(max(0, box.findData(value)))
        return box
    if kind is bool:
        check = QCheckBox(s.label)
        check.setChecked(bool(value))
        return check
    if kind is int:
        spin = QSpinBox()
        spin.setRange(s.low if s.low is not None else 0, s.high if s.high is not None else 10**6)
        spin.setValue(int(value))
        return spin
    return QLineEdit(str(value))


def _value(widget: QWidget):
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    assert isinstance(widget, QLineEdit)
    return widget.text().strip()


class SettingsDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        ws = self.ctx.ws
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        # every declared setting, the workspace's with their defaults when none is open
        self.before = {k: settings.current(ws, k) for k, s in settings.SETTINGS.items() if s.shown}
        self.fields: dict[str, QWidget] = {}
        self.problems: dict[str, QLabel] = {}
        editable = ws is not None and not ws.readonly
        if ws is None:
            where = "Open a workspace to change its settings."
        elif ws.readonly:
            where = "This workspace is open read-only, so its settings cannot change."
        else:
            where = f"Stored in {ws.path}; they travel with it."
        self.workspace_box = self._group("This workspace", settings.WORKSPACE, where, editable)
        self.user_box = self._group(
            "Yours, for every workspace", settings.USER, f"Stored in {user_config.path()}.", True
        )
        self._extras(ws)
        inner = QWidget()  # side by side: the whole dialog fits a 1366x768 laptop screen
        columns = QHBoxLayout(inner)
        for box in (self.workspace_box, self.user_box):
            column = QVBoxLayout()
            column.addWidget(box)
            column.addStretch(1)
            columns.addLayout(column, 1)
        scroll = QScrollArea()  # a laptop screen shows it whole; a smaller one scrolls
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setToolTip("Save (Ctrl+Enter)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.buttons)
        accept_with_ctrl_enter(self)
        self.resize(1000, min(680, inner.sizeHint().height() + 110))

    # ---- building ----------------------------------------------------------
    def _group(self, title: str, scope: str, where: str, editable: bool) -> QGroupBox:
        box = QGroupBox(title)
        box.setAccessibleName(title)
        form = QFormLayout(box)
        note = QLabel(where)
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text)")
        form.addRow(note)
        for key, value in self.before.items():
            s = settings.info(key)
            if s.scope != scope:
                continue
            widget = _field(s, value)
            widget.setAccessibleName(s.label)
            widget.setAccessibleDescription(s.help)
            widget.setToolTip(s.help[:1].upper() + s.help[1:] + ".")
            widget.setEnabled(editable)
            problem = problem_label()
            problem.setAccessibleName(f"{s.label}: problem")
            problem.hide()
            cell = QWidget()
            stack = QVBoxLayout(cell)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            stack.addWidget(widget)
            stack.addWidget(problem)
            if s.restart:
                later = QLabel("Applies the next time Annotator starts.")
                later.setStyleSheet("color: palette(placeholder-text)")
                stack.addWidget(later)
            label = "" if isinstance(widget, QCheckBox) else f"{s.label}"
            form.addRow(label, cell)
            buddy = form.labelForField(cell)
            if isinstance(buddy, QLabel):
                buddy.setBuddy(widget)
            self.fields[key], self.problems[key] = widget, problem
            self._clear_problem_on_edit(key, widget)
        box.setEnabled(editable or scope == settings.USER)
        return box

    def _clear_problem_on_edit(self, key: str, widget: QWidget) -> None:
        signal = {
            QLineEdit: "textChanged",
            QComboBox: "currentIndexChanged",
            QCheckBox: "toggled",
            QSpinBox: "valueChanged",
        }[type(widget)]
        getattr(widget, signal).connect(lambda *_a: self.problems[key].hide())

    def _extras(self, ws) -> None:
        """The citation example, and whose name signs when yours is left empty."""
        author = self.fields["author"]
        assert isinstance(author, QLineEdit)
        own = ws.get("author") if ws is not None else ""  # the workspace's own, when it has one
        fallback = (own if own != settings.user_value("author") else "") or getpass.getuser()
        author.setPlaceholderText(f"{fallback} (when left empty)")
        self.example = QLabel()
        self.example.setAccessibleName("Citation example")
        self.example.setStyleSheet("color: palette(placeholder-text)")
        form = self.workspace_box.layout()
        assert isinstance(form, QFormLayout)
        row = list(self.fields).index("cite_transcripts_by") + 2  # after it (the note is row 0)
        form.insertRow(row, "Example", self.example)
        for key in ("citation_style", "cite_transcripts_by"):
            self._combo(key).currentIndexChanged.connect(self._show_example)
        self._show_example()

    def _combo(self, key: str) -> QComboBox:
        box = self.fields[key]
        assert isinstance(box, QComboBox)
        return box

    def _show_example(self) -> None:
        style = citations.Style(
            self._combo("citation_style").currentData(), self._combo("cite_transcripts_by").currentData()
        )
        day = citations.cite(citations.Source("transcript", day=45), (12, 3), (12, 9), style)
        named = citations.Source("transcript", title="Deposition of John McCaffrey", witness="John McCaffrey")
        doc = citations.cite(citations.Source("exhibit", urn="INQ000123456"), "4", "6", style)
        self.example.setText(f"{day}\n{citations.cite(named, (12, 3), (12, 5), style)}\n{doc}")

    # ---- saving --------------------------------------------------------------
    def values(self) -> dict:
        """What changed: each field whose value differs from when the dialog opened."""
        now = {key: _value(w) for key, w in self.fields.items() if w.isEnabled()}
        return {k: v for k, v in now.items() if v != self.before[k]}

    def accept(self) -> None:
        values = self.values()
        refused = []
        for key, value in values.items():
            try:
                settings.info(key).coerce(value)
            except AnnotatorError as err:
                self.problems[key].setText(str(err))
                self.problems[key].show()
                refused.append(key)
        if refused:
            self.fields[refused[0]].setFocus()
            return
        try:
            settings.apply(self.ctx.ws, values)
        except AnnotatorError as err:
            show_error(self, err)
            return
        self._take_effect(values)
        super().accept()

    def _take_effect(self, values: dict) -> None:
        if "appearance" in values:
            self.window_.set_appearance(values["appearance"])  # View > Appearance follows
        if "urn_pattern" in values:
            self._offer_reread(values["urn_pattern"])
        if any(settings.info(k).scope == settings.WORKSPACE for k in values):
            self.ctx.announce(Change("Settings", documents=True))  # lists show new citations
        if values:
            self.window_.statusBar().showMessage("Settings saved", 5000)

    def _offer_reread(self, pattern: str) -> None:
        found = documents.urns_to_reread(self.ctx.ws, pattern)
        if not found:
            return
        shown = "\n".join(f"{p['title']}: {p['old'] or '(none)'} → {p['new']}" for p in found[:12])
        more = f"\n… and {len(found) - 12} more" if len(found) > 12 else ""
        answer = QMessageBox.question(
            self,
            "Re-read URNs",
            f"With the new pattern, {len(found)} document{'s' if len(found) != 1 else ''} would get "
            f"another URN (from the file name, else the first page):\n\n{shown}{more}\n\n"
            "Re-read them now? Edit > Undo puts the old ones back.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self.ctx.run(documents.reread_urns, pattern)
            except Exception as err:
                show_error(self, err)


def open_dialog(window) -> SettingsDialog:
    dialog = SettingsDialog(window)
    window.dialog_opened.emit(dialog)
    dialog.open()
    return dialog
