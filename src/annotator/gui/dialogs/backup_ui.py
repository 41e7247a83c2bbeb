"""Backups in the window: on open, every few minutes after changes, and File > Restore.

Backups run on the task manager's write lane (a copy of a large workspace takes
a few seconds); the timer itself only asks a cheap question on the GUI thread.
"""

import os

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.core.store import backups
from annotator.core.util.errors import AnnotatorError
from annotator.gui.errors import show_error
from annotator.core.util.dates import readable
from annotator.gui.tasks import Job

CHECK_EVERY_MS = 60_000


class BackupService(QObject):
    """Makes the automatic backups of the open workspace."""

    message = Signal(str)  # one line for the status bar
    made = Signal(object)  # BackupInfo

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.schedule: backups.Schedule | None = None
        self.task: Job | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        ctx.workspace_changed.connect(self._opened)

    def _opened(self) -> None:
        ws = self.ctx.ws
        self.schedule = None
        if ws is None or ws.readonly:
            return
        self.schedule = backups.Schedule(ws)
        self._start(lambda: backups.on_open(ws))

    def tick(self) -> None:
        sched = self.schedule
        if sched is None or self.task is not None or sched.ws is not self.ctx.ws:
            return
        try:
            due = sched.due()
        except Exception:  # the workspace is closing; the next tick will see
            return
        if due:
            self._start(sched.run)

    def _start(self, fn) -> None:
        if self.task is not None:
            return
        self.task = self.ctx.tasks.submit("write", lambda _job: fn(), "backup")
        self.task.finished.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.ended.connect(self._ended)  # also when cancelled before it ran

    def wait(self) -> None:
        """Block until a running backup ends and its answer is in (before a restore)."""
        if self.task is not None:
            self.ctx.tasks.wait(self.task)

    def _ended(self) -> None:
        self.task = None

    def _done(self, info) -> None:
        if info is not None:
            self.made.emit(info)
            self.message.emit(f"Backed up ({info.when:%H:%M})")

    def _failed(self, err) -> None:
        text = str(err) if isinstance(err, AnnotatorError) else f"{type(err).__name__}: {err}"
        self.message.emit(f"Backup failed: {text}")
        if not isinstance(err, AnnotatorError):
            from annotator.core.util.logs import log_exception

            log_exception(err)


class RestoreDialog(QDialog):
    """The workspace's backups with dates and counts; Restore asks once more."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Restore from backup")
        self.resize(760, 380)
        self.found = backups.list_backups(ctx.ws.path)
        layout = QVBoxLayout(self)
        where = backups.folder(ctx.ws.path)
        layout.addWidget(
            QLabel(
                f"Backups of {os.path.basename(ctx.ws.path)}, newest first "
                f"(kept in {where}). The current state is backed up before a restore."
            )
        )
        self.table = QTableWidget(len(self.found), 5)
        self.table.setHorizontalHeaderLabels(["When", "Made", "Documents", "Passages", "Size"])
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setSelectionMode(QTableWidget.SingleSelection)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, info in enumerate(self.found):
            cells = [
                readable(info.when, seconds=True),
                backups.REASONS.get(info.reason, info.reason),
                "?" if info.documents is None else str(info.documents),
                "?" if info.passages is None else str(info.passages),
                _size(info.size),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        if self.found:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.restore_button = buttons.addButton("Restore…", QDialogButtonBox.AcceptRole)
        self.restore_button.setEnabled(bool(self.found))
        self.restore_button.clicked.disconnect()
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if not self.found:
            layout.addWidget(
                QLabel(
                    "No backups yet: one is made when a workspace is opened "
                    "and every few minutes while you work."
                )
            )

    def selected(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows else None

    def restore_selected(self) -> bool:
        info = self.selected()
        if info is None:
            return False
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace the workspace with the backup from {readable(info.when, seconds=True)} "
            f"({info.documents} documents, {info.passages} passages)?\n\n"
            "The current state is backed up first, so this can itself be undone by restoring that.",
        )
        if answer != QMessageBox.Yes:
            return False
        self.ctx.undo.clear()  # undo steps refer to the state being replaced
        try:
            ws, before = backups.restore(self.ctx.ws, info.path)
        except AnnotatorError as err:
            show_error(self, err)
            if self.ctx.ws.engine is None:  # closed by a failed restore: reopen what is there
                self._reopen()
            return False
        self.ctx.set_workspace(ws)
        self.before = before
        self.accept()
        return True

    def _reopen(self) -> None:
        from annotator.core.store.workspace import Workspace

        self.ctx.set_workspace(Workspace.open(self.ctx.ws.path))


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)
