"""File > Re-issue bundle…: a new edition of a bundle this workspace exported, keeping its page numbers.

The chosen file is checked (read and hashed) on a read lane, the new edition is
written on the PyMuPDF lane, both through the window's task manager."""

import os

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.export import export
from annotator.core.export.editions import find
from annotator.core.export.naming import bundle_name
from annotator.gui.dialogs.export_dialog import show_report
from annotator.gui.errors import show_error
from annotator.core.util.dates import readable
from annotator.gui.tasks import run_with_progress


def reissue_bundle(window, previous: str | None = None):
    """Ask for the previous edition's PDF (unless given) and check it in the background;
    confirm() follows. Returns the checking job, or None when nothing was started."""
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
    job = window.ctx.tasks.submit("read", lambda _job: find(ws, previous), "check the bundle to re-issue")
    job.finished.connect(lambda prev: confirm(window, ws, previous, prev))
    job.failed.connect(lambda err: show_error(window, err))  # refused: one sentence
    return job


def confirm(window, ws, previous: str, prev) -> None:
    """Say what the new edition will be; write it (beside the previous one) on OK."""
    if window.ctx.ws is not ws:
        return  # the workspace was closed meanwhile
    sel = prev.selection
    name = bundle_name(
        ws.get("inquiry") or "", sel.title or ws.get("title") or "", sel.letter, "pdf", prev.number + 1
    )
    path = os.path.join(os.path.dirname(os.path.abspath(previous)), name)
    text = (
        f"{os.path.basename(previous)} is Edition {prev.number} (exported {readable(prev.created_at)}).\n\n"
        f"Edition {prev.number + 1} will hold the passages its selection yields today. Every page keeps "
        "its number; new extracts go on pages inserted after the page they follow (45A, 45B …), "
        "withdrawn ones leave a notice, and a changes page follows the cover.\n\n"
        f"It will be written as {name}."
    )
    overwrite = os.path.exists(path)
    if overwrite:
        text += "\n\nA file of that name exists and will be replaced."
    if (
        QMessageBox.question(window, "Re-issue bundle", text, QMessageBox.Ok | QMessageBox.Cancel)
        != QMessageBox.Ok
    ):
        return

    def work(progress, cancelled):
        return export(
            ws,
            None,
            path,
            "pdf",
            progress=progress,
            cancelled=cancelled,
            overwrite=overwrite,
            reissue=previous,
        )

    run_with_progress(
        window, "Re-issuing…", work, lambda report: show_report(window, report), lane="pdf"
    )  # PyMuPDF: its one lane
