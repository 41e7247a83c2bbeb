"""Import files and folders from the File menu or by drag and drop.

Files are imported one by one in the background (progress, Cancel; the
window stays responsive). Encrypted PDFs are collected and their passwords
asked for afterwards, then the results are shown file by file.
"""

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from annotator.core.evidence.changes import Change
from annotator.core.util.errors import AnnotatorError
from annotator.core.ingest import expand_paths, import_file
from annotator.gui.tasks import run_with_progress

FILTER = "Documents (*.pdf *.txt *.text *.docx *.rst *.md *.csv *.srt);;All files (*)"


def _start_folder(ws) -> str:
    """Where the file dialogs open: the folder of this workspace's last import, else home."""
    last = ws.get("last_import_folder") or ""
    return last if last and os.path.isdir(last) else os.path.expanduser("~")


def _remember_folder(ws, folder: str) -> None:
    if ws.readonly:
        return
    try:
        ws.set("last_import_folder", folder)
    except AnnotatorError:
        pass  # a convenience: the import itself goes ahead


def choose_and_import(window) -> None:
    ws = window.ctx.ws
    if ws is None:
        QMessageBox.information(window, "Import", "Open or create a workspace first.")
        return
    paths, _ = QFileDialog.getOpenFileNames(window, "Import documents", _start_folder(ws), FILTER)
    if paths:
        _remember_folder(ws, os.path.dirname(paths[0]))
        import_paths(window, paths)


def choose_folder_and_import(window) -> None:
    ws = window.ctx.ws
    if ws is None:
        QMessageBox.information(window, "Import", "Open or create a workspace first.")
        return
    folder = QFileDialog.getExistingDirectory(window, "Import a folder of documents", _start_folder(ws))
    if folder:
        _remember_folder(ws, os.path.dirname(os.path.normpath(folder)) or folder)
        import_paths(window, [folder])


def import_paths(
    window, paths: list[str], passwords: dict[str, str] | None = None, earlier: list | None = None
) -> None:
    """Import in the background; then ask for passwords, then show the results."""
    ws = window.ctx.ws
    if ws is None or ws.readonly:
        QMessageBox.information(window, "Import", "Open a workspace you can change first.")
        return
    files = expand_paths(paths)
    if not files:
        QMessageBox.information(window, "Import", "No files that can be imported were found there.")
        return
    passwords = passwords or {}

    def work(progress, cancelled):
        results = []
        for i, path in enumerate(files):
            if cancelled():
                break
            name = os.path.basename(path)
            label = f"Importing {name} ({i + 1} of {len(files)})"
            progress(i, len(files), label)

            def pages(done, total, label=label, i=i):
                if total:
                    progress(i, len(files), f"{label}: page {done} of {total}")

            results.append(
                import_file(ws, path, password=passwords.get(path), progress=pages, cancelled=cancelled)
            )
        progress(len(files), len(files), "Done")
        return results

    def done(results):
        window.ctx.announce(Change("Import", documents=True))
        if len(results) < len(files):
            from annotator.core.ingest import ImportResult

            results += [ImportResult(p, "failed", "cancelled") for p in files[len(results) :]]
        locked = [r for r in results if r.needs_password]
        retry = ask_passwords(window, locked)
        kept = (earlier or []) + [r for r in results if not (r.needs_password and r.path in retry)]
        if retry:
            import_paths(window, list(retry), retry, kept)
        else:
            show_results(window, kept)
            scans = [r.document_id for r in kept if r.ocr_pages]
            if scans:  # scanned pages are read in the background, straight after their import
                from annotator.gui.documents import ocr_flow

                ocr_flow.start(window, scans, quiet=True)

    run_with_progress(window, "Importing documents", work, done, lane="write")


def ask_passwords(window, locked: list) -> dict[str, str]:
    """Ask for the password of each encrypted PDF; skipped ones are left out."""
    answers = {}
    for r in locked:
        name = os.path.basename(r.path)
        again = "was not accepted" in r.reason
        prompt = (
            f"The password for “{name}” was not accepted. Try again:"
            if again
            else f"“{name}” is encrypted. Enter its password to import it:"
        )
        text, ok = QInputDialog.getText(window, "Password needed", prompt, QLineEdit.Password)
        if ok and text:
            answers[r.path] = text
    return answers


class ImportResults(QDialog):
    """What happened to each file: imported, already there, or why not."""

    def __init__(self, results: list, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import finished")
        self.resize(760, 420)
        ok = [r for r in results if r.status == "imported"]
        dup = [r for r in results if r.status == "duplicate"]
        bad = [r for r in results if r.status == "failed"]
        parts = [f"Imported {len(ok)} of {len(results)} files."]
        if dup:
            parts.append(f"{len(dup)} already in the workspace.")
        if bad:
            parts.append(f"{len(bad)} not imported — the reasons are below.")
        self.summary = QLabel(" ".join(parts))
        self.summary.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setHeaderLabels(["File", "Result", "Details"])
        self.table.setRootIsDecorated(False)
        for r in bad + dup + ok:
            status = {"imported": "Imported", "duplicate": "Already imported", "failed": "Not imported"}[
                r.status
            ]
            size = f"{r.pages} page{'s' if r.pages != 1 else ''}" if r.pages else ""
            detail = r.reason or size
            if r.status == "imported" and r.note:
                detail = f"{size} — {r.note}"
            item = QTreeWidgetItem([os.path.basename(r.path), status, detail])
            item.setToolTip(0, r.path)
            item.setToolTip(2, detail)
            if r.status == "failed":
                item.setForeground(1, Qt.red)
            self.table.addTopLevelItem(item)
        for col in (0, 1):
            self.table.resizeColumnToContents(col)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table)
        lay.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        return [
            tuple(self.table.topLevelItem(i).text(c) for c in range(3))
            for i in range(self.table.topLevelItemCount())
        ]


def show_results(window, results: list) -> None:
    dialog = ImportResults(results, window)  # the window owns it while open
    window.statusBar().showMessage(dialog.summary.text(), 10000)
    dialog.open()
    window.dialog_opened.emit(dialog)
