"""File > Export: choose passages and layout, see what it yields, write in the background."""

import os

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.library import documents

from annotator.core.evidence import themes
from annotator.core.store import settings
from annotator.core.util.errors import AnnotatorError
from annotator.core.export import Selection, count, default_name, export
from annotator.gui.errors import show_error
from annotator.gui.tasks import Latest, run_with_progress


def _labels(key: str) -> dict[str, str]:
    """A setting's choices as the dialog shows them (declared in core/store/settings.py)."""
    s = settings.info(key)
    return {c: s.choice_label(c) for c in s.choices}


ORDER_LABELS = _labels("export_order")
NUMBER_LABELS = _labels("export_numbering")
FORMAT_LABELS = _labels("export_format")


def _checklist(entries: list[tuple[str, object]], checked: set) -> QListWidget:
    box = QListWidget()
    box.setTextElideMode(Qt.ElideMiddle)
    for text, data in entries:
        item = QListWidgetItem(text)
        item.setToolTip(text)
        item.setData(Qt.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked if data in checked else Qt.Unchecked)
        box.addItem(item)
    box.setMaximumHeight(130)
    return box


def _checked(box: QListWidget) -> list:
    return [
        box.item(i).data(Qt.UserRole) for i in range(box.count()) if box.item(i).checkState() == Qt.Checked
    ]


class ExportDialog(QDialog):
    export_started = Signal(object)  # the export's Job: finished(report) or failed(error) follow

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ws = window.ctx.ws
        self.setWindowTitle("Export bundle")
        self.resize(760, 640)
        last = self.ws.get("last_export") or {}
        sel = Selection.from_dict(last.get("selection"))
        # the shape of the bundle starts from the defaults in Edit > Settings; what was
        # picked (themes, documents, folder) from the last export
        sel.order, sel.numbering = self.ws.get("export_order"), self.ws.get("export_numbering")
        sel.notes, sel.source_pages = self.ws.get("export_notes"), self.ws.get("export_source_pages")
        ts = themes.listed(self.ws)
        by_id = {t.id: t for t in ts}
        order = themes.tree_order(ts)  # parents first, as in the Themes panel
        theme_rows = [
            (themes.path_name(t, by_id), t.id) for t in sorted(ts, key=lambda t: order.get(t.id, 0))
        ]
        docs = documents.listed(self.ws)
        self.themes = _checklist(theme_rows, set(sel.themes))
        self.docs = _checklist(
            [(d.title + (f"  ({d.urn})" if d.urn else ""), d.id) for d in docs], set(sel.documents)
        )
        witnesses = sorted({d.witness for d in docs if d.witness}, key=str.lower)
        self.witnesses = _checklist([(w, w) for w in witnesses], set(sel.witnesses))
        self.any_ = QRadioButton("any of them")
        self.all_ = QRadioButton("all of them")
        (self.all_ if sel.theme_mode == "all" else self.any_).setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.any_)
        group.addButton(self.all_)
        self.day_from, self.day_to = QSpinBox(), QSpinBox()
        for box, value in ((self.day_from, sel.day_from), (self.day_to, sel.day_to)):
            box.setRange(0, 9999)
            box.setSpecialValueText("any")
            box.setValue(value or 0)
        self.date_from, self.date_to = QLineEdit(sel.date_from), QLineEdit(sel.date_to)
        for box in (self.date_from, self.date_to):
            box.setPlaceholderText("YYYY-MM-DD")
        self.important = QCheckBox("Only passages marked important")
        self.important.setChecked(sel.important_only)
        self.notes = QCheckBox("Include notes and their authors")
        self.notes.setChecked(sel.notes)
        self.sources = QCheckBox("Include the source pages, passages highlighted")
        self.sources.setChecked(sel.source_pages)
        self.order = self._combo(ORDER_LABELS, sel.order)
        self.numbering = self._combo(NUMBER_LABELS, sel.numbering)
        self.format = self._combo(FORMAT_LABELS, self.ws.get("export_format"))
        self.title_edit = QLineEdit(sel.title or self.ws.get("title") or "")
        self.letter = QLineEdit(sel.letter)
        self.letter.setMaxLength(4)
        self.letter.setMaximumWidth(70)
        folder = last.get("folder") or os.path.dirname(self.ws.path)
        self.folder = QLineEdit(folder if os.path.isdir(folder) else os.path.dirname(self.ws.path))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_folder)
        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setObjectName("exportSummary")
        self.summary.setStyleSheet("font-weight: bold;")
        self._layout(browse)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)
        self.counts = Latest(window.ctx.tasks)  # the summary is counted in the background
        window.ctx.workspace_closing.connect(self.stop_counting)
        for w in (self.themes, self.docs, self.witnesses):
            w.itemChanged.connect(self._later)
        for w in (self.any_, self.all_, self.important, self.notes, self.sources):
            w.toggled.connect(self._later)
        for w in (self.day_from, self.day_to):
            w.valueChanged.connect(self._later)
        for w in (self.date_from, self.date_to, self.title_edit, self.letter, self.folder):
            w.textChanged.connect(self._later)
        for w in (self.order, self.numbering, self.format):
            w.currentIndexChanged.connect(self._later)
        self.refresh()

    def _combo(self, labels: dict, current: str) -> QComboBox:
        box = QComboBox()
        for key, text in labels.items():
            box.addItem(text, key)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _layout(self, browse) -> None:
        pick = QGroupBox("Passages")
        grid = QGridLayout(pick)
        row = QHBoxLayout()
        row.addWidget(QLabel("Themes (none ticked: all) — match"))
        row.addWidget(self.any_)
        row.addWidget(self.all_)
        row.addStretch(1)
        grid.addLayout(row, 0, 0, 1, 3)
        grid.addWidget(self.themes, 1, 0, 1, 3)
        grid.addWidget(QLabel("Documents (none ticked: all)"), 2, 0, 1, 2)
        grid.addWidget(QLabel("Witnesses"), 2, 2)
        grid.addWidget(self.docs, 3, 0, 1, 2)
        grid.addWidget(self.witnesses, 3, 2)
        days = QHBoxLayout()
        for text, w in (
            ("Hearing days", self.day_from),
            ("to", self.day_to),
            ("  Dates", self.date_from),
            ("to", self.date_to),
        ):
            days.addWidget(QLabel(text))
            days.addWidget(w)
        days.addStretch(1)
        grid.addLayout(days, 4, 0, 1, 3)
        grid.addWidget(self.important, 5, 0, 1, 3)
        shape = QGroupBox("Bundle")
        form = QFormLayout(shape)
        form.addRow("Title", self.title_edit)
        form.addRow("Bundle letter", self.letter)
        form.addRow("Order", self.order)
        form.addRow("Page numbers", self.numbering)
        form.addRow("", self.notes)
        form.addRow("", self.sources)
        out = QGroupBox("Output")
        oform = QFormLayout(out)
        oform.addRow("Format", self.format)
        folder_row = QWidget()
        fl = QHBoxLayout(folder_row)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.folder, 1)
        fl.addWidget(browse)
        oform.addRow("Folder", folder_row)
        oform.addRow("File name", self.file_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        self.export_button.setDefault(True)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(pick)
        both = QHBoxLayout()
        both.addWidget(shape, 1)
        both.addWidget(out, 1)
        lay.addLayout(both)
        lay.addWidget(self.summary)
        lay.addWidget(buttons)

    def _later(self, *_a) -> None:
        self._timer.start()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def selection(self) -> Selection:
        return Selection(
            themes=_checked(self.themes),
            theme_mode="all" if self.all_.isChecked() else "any",
            documents=_checked(self.docs),
            witnesses=_checked(self.witnesses),
            day_from=self.day_from.value() or None,
            day_to=self.day_to.value() or None,
            date_from=self.date_from.text().strip(),
            date_to=self.date_to.text().strip(),
            important_only=self.important.isChecked(),
            notes=self.notes.isChecked(),
            source_pages=self.sources.isChecked(),
            order=self.order.currentData(),
            title=self.title_edit.text().strip(),
            letter=self.letter.text().strip(),
            numbering=self.numbering.currentData(),
        )

    def fmt(self) -> str:
        return self.format.currentData()

    def target(self) -> str:
        return os.path.join(self.folder.text().strip(), default_name(self.ws, self.selection(), self.fmt()))

    def refresh(self) -> None:
        if self.ws.engine is None:  # the workspace was closed while a recount was pending
            return
        self.counts.drop()  # any count still under way is now out of date
        try:
            sel = self.selection().check()
        except AnnotatorError as err:
            self.summary.setText(str(err))
            self.export_button.setEnabled(False)
            return
        fmt = self.fmt()
        self.file_label.setText(os.path.basename(self.target()))
        for w in (self.notes, self.sources, self.numbering, self.order):
            w.setEnabled(fmt != "json")
        self.sources.setEnabled(fmt == "pdf")
        self.numbering.setEnabled(fmt == "pdf")
        # Counted in the background: at inquiry scale a count reads 100,000 passages.
        ws = self.ws
        self.counts.start(
            lambda _job: count(ws, sel),
            lambda result: self._counted(sel, fmt, result),
            lambda err: self.summary.setText(str(err)),
        )

    def _counted(self, sel: Selection, fmt: str, result) -> None:
        n, pages = result
        src = f", {pages} source page{'s' if pages != 1 else ''}" if sel.source_pages and fmt == "pdf" else ""
        self.summary.setText(f"This choice yields {n} passage{'s' if n != 1 else ''}{src}.")
        self.export_button.setEnabled(n > 0 or fmt == "json")

    def stop_counting(self) -> None:
        """Drop counts under way (the workspace is about to close, or the dialog); the task
        manager waits for them before the workspace closes."""
        self._timer.stop()  # a pending recount must not run after the window closed the workspace
        self.counts.drop()

    def done(self, result: int) -> None:
        self.stop_counting()
        super().done(result)

    def remember(self) -> None:
        if self.ws.readonly:
            return
        try:
            self.ws.set(
                "last_export",
                {
                    "selection": self.selection().as_dict(),
                    "format": self.fmt(),
                    "folder": self.folder.text().strip(),
                },
            )
        except AnnotatorError:
            pass  # remembering the choice is a convenience; the export itself goes ahead

    def start(self) -> None:
        try:
            sel = self.selection().check()
        except AnnotatorError as err:
            show_error(self, err)
            return
        path, fmt = self.target(), self.fmt()
        if not os.path.isdir(os.path.dirname(path)):
            show_error(self, AnnotatorError(f"The folder {os.path.dirname(path)} does not exist."))
            return
        overwrite = False
        if os.path.exists(path):
            answer = QMessageBox.question(
                self, "Replace file?", f"{os.path.basename(path)} already exists. Replace it?"
            )
            if answer != QMessageBox.Yes:
                return
            overwrite = True
        self.remember()
        self.accept()
        self.export_started.emit(start_export(self.window_, self.ws, sel, path, fmt, overwrite))


def start_export(window, ws, sel: Selection, path: str, fmt: str, overwrite: bool):
    """Run the export in the background; report to the user when it ends."""

    def work(progress, cancelled):
        return export(ws, sel, path, fmt, progress=progress, cancelled=cancelled, overwrite=overwrite)

    return run_with_progress(
        window, "Exporting…", work, lambda report: show_report(window, report), lane="pdf"
    )  # PyMuPDF: its one lane


def show_report(window, report) -> QMessageBox:
    what = f"{report.pages} pages, " if report.pages else ""
    box = QMessageBox(window)
    box.setWindowTitle("Export finished")
    box.setIcon(QMessageBox.Warning if report.unresolved else QMessageBox.Information)
    text = f"Wrote {os.path.basename(report.path)} ({what}{report.passages} passages)."
    if report.changes:  # a re-issue
        c = report.changes
        text += (
            f"\n\nEdition {report.edition or c['previous_edition'] + 1}: {len(c['added'])} added, "
            f"{len(c['withdrawn'])} withdrawn, {len(c['changed'])} changed since edition "
            f"{c['previous_edition']}; new pages: {', '.join(c['inserted_pages']) or 'none'}."
        )
    for note in report.notices:
        text += f"\n\n{note}"
    if report.unresolved:
        text += (
            f"\n\n{len(report.unresolved)} cross-reference(s) point outside the bundle. "
            "Their references are still printed; see the details."
        )
        lines = []
        for u in report.unresolved:
            a, b = (u["passage"], u["other"]) if u["direction"] == "out" else (u["other"], u["passage"])
            lines.append(f"{a} {u['relation']} {b}: {u['reason']}")
        box.setDetailedText("\n".join(lines))
    box.setText(text)
    open_folder = box.addButton("Open folder", QMessageBox.ActionRole)
    box.addButton(QMessageBox.Close)
    folder = os.path.dirname(report.path)
    open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder)))
    box.open()
    window.dialog_opened.emit(box)
    return box


def open_export_dialog(window) -> ExportDialog | None:
    if window.ctx.ws is None:
        QMessageBox.information(window, "Export", "Open a workspace first (File > Open).")
        return None
    dialog = ExportDialog(window)
    dialog.open()
    window.dialog_opened.emit(dialog)
    return dialog
