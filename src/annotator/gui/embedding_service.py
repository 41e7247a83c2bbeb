"""Keeps the open workspace's embeddings current, in the background, with a progress entry.

After a workspace opens and after changes (an import, a new version, a tagged
passage) the service runs core.similar.embedding.refresh on the write lane in
slices of about a second, so other writes (backups, tagging from the team)
get their turn in between. The status bar shows "Embedding N of M" with a
Cancel button while there is work; a cancel stops until the next change.
"""

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from annotator.core.similar import embedding, similar

SLICE_SECONDS = 1.0
AFTER_CHANGE_MS = 1500  # let a burst of changes settle first


class EmbeddingService(QObject):
    progress = Signal(int, int, str)
    idle = Signal()  # nothing left to embed (or stopped)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.job = None
        self.stopped = False
        self.base = 0  # items done by earlier slices of this run
        self.total = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AFTER_CHANGE_MS)
        self.timer.timeout.connect(self.start)
        ctx.workspace_changed.connect(self._opened)
        ctx.changed.connect(self._changed)

    def _opened(self) -> None:
        self.stopped = False
        self.base = self.total = 0
        self.timer.start()

    def _changed(self, change) -> None:
        if change.documents or change.passages:
            self.stopped = False
            self.timer.start()

    def start(self) -> None:
        ws = self.ctx.ws
        if ws is None or ws.readonly or self.job is not None or self.stopped:
            return

        def work(job):
            return embedding.refresh(ws, report=job.report, cancelled=job.cancelled, budget=SLICE_SECONDS)

        self.job = self.ctx.tasks.submit("write", work, "embedding")
        self.job.progress.connect(self._progress)
        self.job.finished.connect(self._sliced)
        self.job.failed.connect(lambda _err: self._finish())
        self.job.ended.connect(self._ended)

    def cancel(self) -> None:
        self.stopped = True
        if self.job is not None:
            self.job.cancel()
        self._finish()

    def _progress(self, done: int, total: int, _text: str) -> None:
        if not self.total:
            self.total = total
        if not total and not self.base:
            return
        n = self.base + done
        self.progress.emit(n, max(self.total, n), f"Embedding {n:,} of {max(self.total, n):,}")

    def _sliced(self, prog) -> None:
        self.base += prog.done
        if prog.finished or self.stopped or self.ctx.ws is None:
            self._finish()
        else:
            QTimer.singleShot(0, self.start)  # the next slice, after the lane's other work

    def _ended(self) -> None:
        self.job = None

    def _finish(self) -> None:
        self.base = self.total = 0
        ws = self.ctx.ws
        if ws is not None and not self.stopped:  # the first Find similar need not wait for the read
            self.ctx.tasks.submit("read", lambda _job: similar.warm(ws), "read the vectors")
        self.idle.emit()


class EmbeddingProgress(QWidget):
    """The status bar's entry: 'Embedding N of M' and a Cancel button, hidden when idle."""

    def __init__(self, service: EmbeddingService, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        # a link, not a button: a button would make the status bar taller
        self.cancel = QLabel('<a href="cancel">Cancel</a>')
        self.cancel.setToolTip("Stop embedding until the next change (Find similar and Suggest see less)")
        self.cancel.linkActivated.connect(lambda _link: service.cancel())
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.cancel)
        service.progress.connect(self._show)
        service.idle.connect(self.hide)
        self.hide()

    def _show(self, done: int, total: int, text: str) -> None:
        self.label.setText(text)
        self.setVisible(done < total)
