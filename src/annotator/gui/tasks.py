"""Background work with progress and cancel; results come back on the GUI thread.

The work function receives `progress(done, total, text)` and `cancelled()`
and must not touch widgets. PyMuPDF objects it opens stay in its thread.
"""

import threading
import traceback

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog


class _Worker(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            result = self.fn(
                lambda d, t, text="": self.progress.emit(int(d), int(t), str(text)), self.cancel_event.is_set
            )
        except BaseException as err:  # reported on the GUI thread
            err.details = traceback.format_exc()
            self.failed.emit(err)
            return
        self.done.emit(result)


class Task(QObject):
    """One piece of background work. Keep a reference until `finished`."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn, parent=None):
        super().__init__(parent)
        self.thread = QThread()
        self.worker = _Worker(fn)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self.progress)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)

    def start(self) -> "Task":
        self.thread.start()
        return self

    def cancel(self) -> None:
        self.worker.cancel_event.set()

    def _stop(self) -> None:
        self.thread.quit()
        self.thread.wait()

    def _done(self, result) -> None:
        self._stop()
        self.finished.emit(result)

    def _failed(self, err) -> None:
        self._stop()
        self.failed.emit(err)


def run_with_progress(parent, title: str, fn, on_done, on_error=None) -> Task:
    """Start `fn` in the background under a progress dialog with Cancel."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = Task(fn, parent)
    parent._tasks = getattr(parent, "_tasks", set())
    parent._tasks.add(task)

    def progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    def finish(result) -> None:
        dialog.close()
        parent._tasks.discard(task)
        on_done(result)

    def fail(err) -> None:
        dialog.close()
        parent._tasks.discard(task)
        if on_error:
            on_error(err)
        else:
            from annotator.gui.errors import show_error

            show_error(parent, err)

    dialog.canceled.connect(task.cancel)
    task.progress.connect(progress)
    task.finished.connect(finish)
    task.failed.connect(fail)
    return task.start()


class Latest:
    """Background work of which only the newest answer matters (a list to reload, a
    count to show): each start() supersedes the work before it, whose answers are
    dropped; stop() waits for everything still running (before its workspace closes)."""

    def __init__(self, parent: QObject):
        self.parent = parent
        self.running: set[Task] = set()
        self.pending = False  # the newest work has not answered yet
        self._generation = 0

    def start(self, fn, on_done, on_error=None) -> None:
        """Run fn() off the GUI thread; on_done(result) or on_error(err) on it, if no
        newer work has started meanwhile."""
        self._generation += 1
        gen = self._generation
        task = Task(lambda _progress, _cancelled: fn(), self.parent)

        def answer(callback, value) -> None:
            self.running.discard(task)
            if gen == self._generation:
                self.pending = False
                if callback:
                    callback(value)

        task.finished.connect(lambda result: answer(on_done, result))
        task.failed.connect(lambda err: answer(on_error, err))
        for signal in (task.finished, task.failed):
            signal.connect(task.deleteLater)
        self.running.add(task)
        self.pending = True
        task.start()

    def drop(self) -> None:
        """Ignore the answers of work under way."""
        self._generation += 1
        self.pending = False

    def stop(self) -> None:
        self.drop()
        for task in list(self.running):
            task._stop()
        self.running.clear()
