"""File > Re-issue bundle…: a new edition of a bundle this workspace exported, keeping its page numbers."""

import os

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.export import export
from annotator.core.export.editions import find
from annotator.core.export.naming import bundle_name
from annotator.gui.dialogs.export_dialog import show_report
from annotator.gui.errors import show_error
from annotator.gui.tasks import run_with_progress


def reissue_bundle(window, previous: str | None = None):
    """Ask for the previous edition's PDF (unless given), confirm, and write the next edition
    beside it in the background. Returns the task, or None when nothing was started."""
    ws = window.ctx.ws
    if ws is None:
        QMessageBox.information(window, "Re-issue bundle", "Open a workspace first (File > Open).")
        return None
    if previous is None:
        folder = (ws.get("last_export") or {}).get("folder") or os.path.dirname(ws.path)
        previous, _filter = QFileDialog.getOpenFileName(
            window, "Re-issue bundle: choose the edition to re-issue", folder, "PDF bundles (*.pdf)"
        )
        if not previous:
            return None
    try:
        prev = find(ws, previous)  # reads and hashes the file: a refusal is one sentence
    except AnnotatorError as err:
        show_error(window, err)
        return None
    sel = prev.selection
    name = bundle_name(
        ws.get("inquiry") or "", sel.title or ws.get("title") or "", sel.letter, "pdf", prev.number + 1
    )
    path = os.path.join(os.path.dirname(os.path.abspath(previous)), name)
    text = (
        f"{os.path.basename(previous)} is Edition {prev.number} (exported {prev.created_at[:10]}).\n\n"
        f"Edition {prev.number + 1} will hold the passages its selection yields today. Every page keeps "
        "its number; new extracts go on pages inserted after the page they follow (45A, 45B …), "
        "withdrawn ones leave a notice, and a changes page follows the cover.\n\n"
        f"It will be written as {name}."
    )
    overwrite = os.path.exists(path)
    if overwrite:
        text += "\n\nA file of that name exists and will be replaced."
    answer = QMessageBox.question(window, "Re-issue bundle", text, QMessageBox.Ok | QMessageBox.Cancel)
    if answer != QMessageBox.Ok:
        return None

    def work(progress, cancelled):
        return export(ws, None, path, "pdf", progress, cancelled, overwrite, reissue=previous)

    def done(report) -> None:
        window.last_export_report = report
        show_report(window, report)

    def failed(err) -> None:
        window.last_export_report = err
        show_error(window, err)

    return run_with_progress(window, "Re-issuing…", work, done, failed)
