"""Documents > Recognise text (OCR): scanned pages read in the background.

The work runs on the task manager's write lane (it stores each few pages as
they are read); the window shows it in the status bar with a Cancel button
and stays usable meanwhile. Pages done stay done: a cancel, a quit or a
crash loses at most the last few, and the next run goes on from there.
"""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QToolButton, QWidget

from annotator.core.evidence.changes import Change
from annotator.core.ocr import engine, run


class OcrProgress(QWidget):
    """The status bar's entry for OCR under way: what, how far, Cancel."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("Recognising text (OCR)")
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(True)
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.setToolTip("Stop recognising text; pages done so far are kept")
        for w in (self.label, self.bar, self.cancel):
            lay.addWidget(w)

    def show_progress(self, done: int, total: int, text: str) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(min(done, total))
        self.bar.setFormat(f"{done} of {total} pages")
        if text:
            self.label.setText(text)


def start(window, document_ids: list[int] | None = None, quiet: bool = False) -> object | None:
    """Recognise the scanned pages of these documents (default: every one that needs it).
    `quiet`: after an import, say nothing when no page needs it."""
    ws = window.ctx.ws
    if ws is None or ws.readonly:
        if not quiet:
            QMessageBox.information(window, "Recognise text", "Open a workspace you can change first.")
        return None
    try:
        run.check(ws)
    except engine.OcrUnavailable as err:
        window.statusBar().showMessage(str(err), 20000)
        if not quiet:
            QMessageBox.information(window, "Recognise text (OCR)", str(err))
        return None
    running = getattr(window, "ocr_job", None)
    if running is not None:
        if not quiet:
            window.statusBar().showMessage("Text recognition is already under way.", 5000)
        return running
    entry = OcrProgress()
    window.statusBar().addWidget(entry)
    job = window.ctx.tasks.submit(
        "write", lambda j: run.run(ws, document_ids, None, j.report, j.cancelled), "OCR"
    )
    window.ocr_job = job
    entry.cancel.clicked.connect(job.cancel)
    job.progress.connect(entry.show_progress)

    def done(result) -> None:
        touched = [d["document"] for d in result.documents]
        if touched:
            window.ctx.announce(Change("Recognise text", documents=True))
            window.reading.reopen(touched)
        pages = sum(d["done"] for d in result.documents)
        failed = sum(d["failed"] for d in result.documents)
        if result.cancelled:
            text = f"Text recognition stopped: {pages} pages read; choose Recognise text again to go on."
        elif touched:
            text = f"Text recognised on {pages} scanned pages" + (
                f"; {failed} could not be read." if failed else "."
            )
        else:
            text = "No scanned pages need text recognition."
        if touched or not quiet:
            window.statusBar().showMessage(text, 15000)

    def failed(err) -> None:
        if not job.cancelled():
            from annotator.gui.errors import show_error

            show_error(window, err)

    def ended() -> None:
        window.ocr_job = None
        window.statusBar().removeWidget(entry)
        entry.deleteLater()

    job.finished.connect(done)
    job.failed.connect(failed)
    job.ended.connect(ended)
    return job
