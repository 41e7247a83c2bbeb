"""A workspace open read-only stays current: about once a second a cheap question on
the task manager's read lane (core/store/watch.py) asks whether the writer has
committed; if so every list reloads, and the status bar says when it last did
("Read-only · updated 15:49")."""

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.core.evidence.changes import Change
from annotator.core.store.watch import CommitWatch
from annotator.core.util.dates import readable

EVERY_MS = 1000


class ReadOnlyWatch(QObject):
    reloaded = Signal()  # the writer's new work has been announced to every panel

    def __init__(self, window):
        super().__init__(window)
        self.ctx = window.ctx
        self.label = QLabel()
        self.label.setObjectName("readOnlyStatus")
        self.label.setAccessibleName("Read-only status")
        self.label.hide()
        window.statusBar().addPermanentWidget(self.label)
        self.watch: CommitWatch | None = None
        self.job = None
        self.updated: datetime | None = None
        self.timer = QTimer(self, interval=EVERY_MS)
        self.timer.timeout.connect(self.tick)
        self.ctx.workspace_changed.connect(self._opened)

    def _opened(self) -> None:
        if self.watch is not None:
            self.watch.close()  # set_workspace drained the read lane: no look is running
            self.watch = None
        ws = self.ctx.ws
        if ws is None or not ws.readonly:
            self.timer.stop()
            self.label.hide()
            return
        self.watch = CommitWatch(ws.path)
        self.watch.changed()  # takes note of where the file is now
        self._stamp()
        self.label.show()
        self.timer.start()

    def tick(self) -> None:
        if self.watch is None or self.job is not None:
            return
        watch = self.watch
        self.job = self.ctx.tasks.submit("read", lambda _job: watch.changed(), "read-only watch")
        self.job.finished.connect(lambda changed: self._answered(watch, changed))
        self.job.ended.connect(self._ended)

    def _answered(self, watch: CommitWatch, changed: bool) -> None:
        if changed and watch is self.watch:  # not one of a workspace closed since
            self._reload()

    def _ended(self) -> None:
        self.job = None

    def _reload(self) -> None:
        self.ctx.announce(Change("Updated by the writer", themes=True, documents=True, links=True))
        self._stamp()
        self.reloaded.emit()

    def _stamp(self) -> None:
        self.updated = datetime.now()
        clock = readable(self.updated)
        self.label.setText(f"Read-only · updated {clock.split(', ')[-1]}")
        self.label.setToolTip(f"Read-only: the writer's changes appear within a second; last looked {clock}.")
