"""Edit a document's details (title, kind, URN, witness, date, hearing day), or remove it.

Both go through ctx.run (documents.update_metadata, documents.remove), so
Edit > Undo puts them back."""

import json

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
)

from annotator.core.library import documents
from annotator.core.util.errors import AnnotatorError
from annotator.gui.errors import problem_label, show_error


class DocumentDetails(QDialog):
    def __init__(self, ctx, document_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.document_id = document_id
        doc = documents.get(ctx.ws, document_id)
        self.before = {k: getattr(doc, k) for k in documents.EDITABLE}
        info = (
            doc.filename,
            doc.page_count,
            doc.sha256,
            json.loads(doc.flags or "[]"),
            doc.source_format,
            json.loads(doc.exhibits or "[]"),
        )
        self.pattern = ctx.ws.get("urn_pattern")
        self.setWindowTitle("Document details")
        self.title = QLineEdit(self.before["title"])
        self.kind = QComboBox()
        self.kind.addItems(documents.KINDS)
        self.kind.setCurrentText(self.before["kind"])
        self.urn = QLineEdit(self.before["urn"])
        self.urn.setPlaceholderText(f"pattern {self.pattern}")
        self.witness = QLineEdit(self.before["witness"])
        self.date = QLineEdit(self.before["date"])
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.day = QSpinBox()
        self.day.setRange(0, 9999)
        self.day.setSpecialValueText("none")
        self.day.setValue(self.before["day"] or 0)
        self.problem = problem_label()
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Kind", self.kind)
        form.addRow("&URN", self.urn)
        form.addRow("&Witness", self.witness)
        form.addRow("D&ate", self.date)
        form.addRow("Hearing &day", self.day)
        filename, pages, sha, flags, fmt, exhibits = info
        about = f"{filename} · {fmt.upper()} · {pages} pages"
        if "no-text-layer" in flags:
            about += " · no text layer — not searchable"
        if "tool-numbered" in flags:
            about += " · no printed pages: paragraphs numbered by Annotator"
        if exhibits:
            about += "\nExhibits: " + ", ".join(exhibits)
        facts = QLabel(f"{about}\nSHA-256 {sha}")
        facts.setWordWrap(True)
        facts.setStyleSheet("color: palette(mid)")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(facts)
        lay.addWidget(self.problem)
        lay.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def changes(self) -> dict:
        now = {
            "title": self.title.text().strip(),
            "kind": self.kind.currentText(),
            "urn": self.urn.text().strip(),
            "witness": self.witness.text().strip(),
            "date": self.date.text().strip(),
            "day": self.day.value() or None,
        }
        return {k: v for k, v in now.items() if v != self.before[k]}

    def check(self, fields: dict) -> str:
        """What is wrong with the details, as core checks them; a URN off the
        workspace's pattern is only a warning (OK again keeps it)."""
        try:
            documents.check_fields(fields)
        except AnnotatorError as err:
            return str(err)
        warning = documents.urn_warning(self.pattern, fields.get("urn", ""))
        return f"{warning} Press OK again to keep it anyway." if warning else ""

    def accept(self) -> None:
        fields = self.changes()
        problem = self.check(fields)
        if problem:
            warned_already = "anyway" in problem and problem == self.problem.text()
            if not warned_already:  # a URN off-pattern is allowed on the second OK
                self.problem.setText(problem)
                return
        if fields:
            try:
                self.ctx.run(documents.update_metadata, self.document_id, **fields)
            except Exception as err:
                show_error(self, err)
                return
        super().accept()


def edit_details(window, document_id: int) -> None:
    if window.ctx.ws is None:
        return
    if window.ctx.ws.readonly:
        QMessageBox.information(
            window, "Document details", "This workspace is open read-only, so details cannot be changed."
        )
        return
    dialog = DocumentDetails(window.ctx, document_id, window)  # the window owns it while open
    dialog.open()
    window.dialog_opened.emit(dialog)


def remove_document(window, document_id: int) -> bool:
    """Ask, then remove a document imported by mistake (Edit > Undo brings it back).
    A document with passages tagged on it is refused with the reason."""
    ctx = window.ctx
    if ctx.ws is None:
        return False
    try:
        doc = documents.get(ctx.ws, document_id)
    except documents.NotFound:
        return False
    title, pages = doc.title, doc.page_count
    answer = QMessageBox.question(
        window,
        "Remove document",
        f"Remove “{title}” ({pages} page{'s' if pages != 1 else ''}) from this workspace?\n\n"
        "Its pages leave the reader and the search. Edit > Undo brings it back.",
    )
    if answer != QMessageBox.Yes:
        return False
    try:
        ctx.run(documents.remove, document_id)
    except Exception as err:
        show_error(window, err)
        return False
    window.statusBar().showMessage(f"Removed {title} (Edit > Undo brings it back)", 10000)
    return True
