"""Documents > Replace with new version…, and the re-anchoring report.

The new file is read and every passage placed in the background (progress,
Cancel); the change itself is one undoable command. The report lists the
passages whose words changed or that could not be found, each with its old
citation and words and the best candidate; an orphan is placed from here at
its candidate or at the text selected in the reader.
"""

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from annotator.core.library import documents

from annotator.core import versions
from annotator.core.util.errors import AnnotatorError, InvalidInput
from annotator.gui.dialogs.import_flow import FILTER, _start_folder
from annotator.gui.errors import show_error
from annotator.gui.tasks import run_with_progress


def current_document(window) -> int | None:
    """The document in the front reader, else the one chosen in the Documents list."""
    reader = window.reading.current_reader()
    if reader is not None:
        return reader.document_id
    return window.documents.current_id()


def replace_document(window, document_id: int | None = None, path: str | None = None) -> None:
    ctx = window.ctx
    if ctx.ws is None or ctx.ws.readonly:
        QMessageBox.information(window, "Replace", "Open a workspace you can change first.")
        return
    document_id = document_id if document_id is not None else current_document(window)
    if document_id is None:
        QMessageBox.information(window, "Replace", "Open or choose the document to replace first.")
        return
    title = documents.get(ctx.ws, document_id).title
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            window, f"New version of {title}", _start_folder(ctx.ws), FILTER
        )
        if not path:
            return
    ws = ctx.ws

    def work(progress, cancelled):
        return versions.prepare(ws, document_id, path, progress, cancelled)

    def done(rep) -> None:
        try:
            change = ctx.run(versions.apply, rep)
        except AnnotatorError as err:
            show_error(window, err)
            return
        window.statusBar().showMessage(
            f"{title}: now {os.path.basename(path)} (Edit > Undo puts the old one back)", 10000
        )
        show_report(window, change.result)

    def failed(err) -> None:
        if not isinstance(err, InterruptedError):
            show_error(window, err)

    run_with_progress(window, f"Reading the new version of {title}…", work, done, failed)


def show_latest_report(window, document_id: int | None = None) -> None:
    ctx = window.ctx
    document_id = document_id if document_id is not None else current_document(window)
    if ctx.ws is None or document_id is None:
        QMessageBox.information(window, "Re-anchoring report", "Open or choose a document first.")
        return
    report = versions.report_of(ctx.ws, document_id)
    if not report:
        QMessageBox.information(
            window, "Re-anchoring report", "This document has not been replaced by a new version."
        )
        return
    show_report(window, report)


def show_report(window, report: dict) -> "ReportDialog":
    dialog = ReportDialog(window, report)  # the window owns it while open
    dialog.show()
    window.dialog_opened.emit(dialog)
    return dialog


class ReportDialog(QDialog):
    """Counts per status, then each changed or orphaned passage: old and new place and words."""

    COLUMNS = ["Passage", "Status", "Was", "Old words", "Now / best candidate", "New words"]

    def __init__(self, window, report: dict):
        super().__init__(window)
        self.window_ = window
        self.report = report
        self.setWindowTitle(f"Re-anchoring report — {report['title']}")
        self.resize(1000, 480)
        c = report["counts"]
        self.summary = QLabel(
            f"<b>{report['title']}</b> is now <b>{report['filename']}</b> ({report['pages']} pages).<br>"
            f"Passages: {c['exact']} exact, {c['moved']} moved, {c['changed']} changed (new words kept, "
            f"old ones shown), <b>{c['orphaned']} orphaned</b> (not found: place them below)."
        )
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(self.COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        for e in report["passages"]:
            cand = e["candidate"] or {}
            now_cite = e["citation"] or cand.get("citation", "")
            now_words = e["quote"] or cand.get("quote", "")
            item = QTreeWidgetItem(
                [
                    str(e["passage"]),
                    e["status"],
                    e["old_citation"],
                    _short(e["old_quote"]),
                    now_cite + (" (candidate)" if cand else ""),
                    _short(now_words),
                ]
            )
            item.setData(0, Qt.UserRole, e)
            item.setToolTip(3, e["old_quote"])
            item.setToolTip(5, now_words)
            self.tree.addTopLevelItem(item)
        for col in (0, 1, 2, 4):
            self.tree.resizeColumnToContents(col)
        self.tree.setColumnWidth(3, 280)
        self.show_btn = QPushButton("Show")
        self.candidate_btn = QPushButton("Place at candidate")
        self.selection_btn = QPushButton("Place at selected text")
        self.show_btn.setToolTip("Open the document at the passage, or at an orphan's candidate")
        self.selection_btn.setToolTip("Select the right words in the reader first")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        for b in (self.show_btn, self.candidate_btn, self.selection_btn):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)
        self.show_btn.clicked.connect(self.show_current)
        self.candidate_btn.clicked.connect(self.place_at_candidate)
        self.selection_btn.clicked.connect(self.place_at_selection)
        self.tree.itemActivated.connect(lambda *_: self.show_current())
        self.tree.currentItemChanged.connect(lambda *_: self._buttons())
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._buttons()

    def _entry(self) -> dict | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item else None

    def _buttons(self) -> None:
        e = self._entry()
        self.show_btn.setEnabled(e is not None)
        self.candidate_btn.setEnabled(bool(e and e["status"] == "orphaned" and e["candidate"]))
        self.selection_btn.setEnabled(e is not None)

    def show_current(self) -> None:
        e = self._entry()
        if e is None:
            return
        win = self.window_
        if e["status"] == "orphaned" and e["candidate"]:
            (sp, sc), (_ep, ec) = e["candidate"]["start"], e["candidate"]["end"]
            win.open_document(self.report["document"], sp, sc, ec if _ep == sp else None)
        else:
            win.reading.show_passage(e["passage"])

    def _place(self, **where) -> None:
        e = self._entry()
        try:
            self.window_.ctx.run(versions.place, e["passage"], None, **where)
        except AnnotatorError as err:
            show_error(self, err)
            return
        item = self.tree.currentItem()
        item.setText(1, "placed by hand")
        self.window_.reading.show_passage(e["passage"])

    def place_at_candidate(self) -> None:
        e = self._entry()
        if e and e["candidate"]:
            self._place(start=tuple(e["candidate"]["start"]), end=tuple(e["candidate"]["end"]))

    def place_at_selection(self) -> None:
        reader = self.window_.reading.current_reader()
        sel = reader.model.selection if reader is not None else None
        if reader is None or reader.document_id != self.report["document"] or not sel:
            show_error(
                self, InvalidInput("Select the passage's words in the new version in the reader first.")
            )
            return
        self._place(start=tuple(sel[0]), end=tuple(sel[1]))


def _short(text: str, n: int = 90) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"
