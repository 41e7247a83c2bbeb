"""Edit > Workspace settings…: the URN pattern, the citation style and the author.

Values are checked by core (settings.apply). A new URN pattern offers to
re-read the URNs of the documents already in the workspace (an undoable
step, Edit > Undo puts the old ones back)."""

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
)

from annotator.core.evidence import citations

from annotator.core.library import documents

from annotator.core.store import settings
from annotator.core.evidence.changes import Change
from annotator.core.util.errors import AnnotatorError
from annotator.gui.errors import problem_label, show_error

STYLE_LABELS = {
    "short": "Short: Day 45/12:3-9, {INQ000123456/4}",
    "long": "Long: Day 45, page 12, lines 3 to 9",
}
NAME_LABELS = {
    "witness": "The witness's surname: McCaffrey 12:3-5",
    "title": "The document's short title",
}


def _combo(labels: dict, current: str) -> QComboBox:
    box = QComboBox()
    for key, text in labels.items():
        box.addItem(text, key)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class WorkspaceSettings(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Workspace settings")
        ws = ctx.ws
        self.before = {
            k: ws.get(k) for k in ("urn_pattern", "citation_style", "cite_transcripts_by", "author")
        }
        self.pattern = QLineEdit(self.before["urn_pattern"])
        self.pattern.setToolTip(
            "A regular expression for the inquiry's document references. The default reads three "
            f"or four capitals then 7 to 9 digits ({settings.DEFAULT_URN_PATTERN})."
        )
        self.citation_style = _combo(STYLE_LABELS, self.before["citation_style"])
        self.name_by = _combo(NAME_LABELS, self.before["cite_transcripts_by"])
        self.author = QLineEdit(self.before["author"])
        self.author.setPlaceholderText(ws.user)
        self.example = QLabel()
        self.example.setStyleSheet("color: palette(mid)")
        self.problem = problem_label()
        form = QFormLayout()
        form.addRow("&URN pattern", self.pattern)
        form.addRow("&Citations", self.citation_style)
        form.addRow("Transcripts &without a day", self.name_by)
        form.addRow("&Author", self.author)
        form.addRow("Example", self.example)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)
        for box in (self.citation_style, self.name_by):
            box.currentIndexChanged.connect(self._show_example)
        self.pattern.textChanged.connect(lambda _t: self.problem.clear())
        self._show_example()
        self.resize(560, self.sizeHint().height())

    def values(self) -> dict:
        now = {
            "urn_pattern": self.pattern.text().strip(),
            "citation_style": self.citation_style.currentData(),
            "cite_transcripts_by": self.name_by.currentData(),
            "author": self.author.text().strip(),
        }
        return {k: v for k, v in now.items() if v != self.before[k]}

    def _show_example(self) -> None:
        style = citations.Style(self.citation_style.currentData(), self.name_by.currentData())
        day = citations.cite(citations.Source("transcript", day=45), (12, 3), (12, 9), style)
        named = citations.Source("transcript", title="Deposition of John McCaffrey", witness="John McCaffrey")
        doc = citations.cite(citations.Source("exhibit", urn="INQ000123456"), "4", "6", style)
        self.example.setText(f"{day}\n{citations.cite(named, (12, 3), (12, 5), style)}\n{doc}")

    def accept(self) -> None:
        values = self.values()
        try:
            settings.apply(self.ctx.ws, values)
        except AnnotatorError as err:
            self.problem.setText(str(err))
            return
        if "urn_pattern" in values:
            self._offer_reread(values["urn_pattern"])
        if values:
            self.ctx.announce(Change("Workspace settings", documents=True))  # lists show new citations
        super().accept()

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
        if answer == QMessageBox.Yes:
            try:
                self.ctx.run(documents.reread_urns, pattern)
            except Exception as err:
                show_error(self, err)


def open_dialog(window) -> None:
    ctx = window.ctx
    if ctx.ws is None:
        return
    if ctx.ws.readonly:
        QMessageBox.information(
            window, "Workspace settings", "This workspace is open read-only, so its settings cannot change."
        )
        return
    dialog = WorkspaceSettings(ctx, window)
    dialog.open()
