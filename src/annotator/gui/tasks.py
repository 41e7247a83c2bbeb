"""The one place the GUI runs work off its thread: a task manager with four lanes.

- "write": one thread, so background writes to the workspace (import, backup)
  happen one after another, never two at once.
- "read": a small pool for queries (search, passage lists, counts).
- "pdf": one thread for the whole app. MuPDF is not thread-safe, so every
  PyMuPDF call of the GUI (page pixels, word boxes, export) runs here, and the
  objects it opens never leave this thread.
- "net": one thread that waits on the team server's notifications (LISTEN), so a
  long wait never holds a thread the other lanes need.

A job's work function gets its `Job` and calls `job.report(done, total, text)`,
`job.cancelled()` and `job.send(value)` (a part-result, e.g. one rendered page);
it must not touch widgets. Every signal of a job arrives on the GUI thread:
`progress`, `sent`, then exactly one of `finished(result)` / `failed(error)`, then
`ended`. A job cancelled before it started never runs and only emits `ended`.

`drain()` (before a workspace closes) cancels every job and waits for those
running; `shutdown()` (the app quits) also stops the threads. No other GUI
module starts a thread (a test greps for it).
"""

import threading
import traceback
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog

READ_THREADS = 2


class Job(QObject):
    progress = Signal(int, int, str)
    sent = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    ended = Signal()
    # emitted on the lane, relayed to the public signals above on the GUI thread
    _progress_raw = Signal(int, int, str)
    _sent_raw = Signal(object)
    _outcome_ready = Signal(object)

    def __init__(self, lane: str, fn: Callable, name: str, urgent: bool, always: bool):
        super().__init__()
        self.lane, self.fn, self.name = lane, fn, name
        self.urgent = urgent  # runs before the lane's other waiting jobs
        self.always = always  # runs even when cancelled (closing what an earlier job opened)
        self._cancel = threading.Event()
        self._done = threading.Event()
        self.started = False
        self.outcome: tuple[str, object] | None = None  # ("finished"|"failed", value)
        self.delivered = False
        self._progress_raw.connect(self.progress)  # receiver lives on the GUI thread: queued
        self._sent_raw.connect(self.sent)

    # ---- called from the work function (any thread) ----
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done, total, text: str = "") -> None:
        self._progress_raw.emit(int(done), int(total), str(text))
        yielding = _lane_of_thread()
        if yielding is not None:
            yielding.run_urgent()  # a long job lets quick ones (a page on screen) through

    def send(self, value) -> None:
        self._sent_raw.emit(value)

    # ---- called on the GUI thread ----
    def cancel(self) -> None:
        self._cancel.set()

    def is_done(self) -> bool:
        return self._done.is_set()


class _Lane:
    """Threads taking jobs from one queue; urgent jobs jump it."""

    def __init__(self, name: str, threads: int):
        self.name = name
        self.size = threads
        self.cond = threading.Condition()
        self.queue: deque[Job] = deque()
        self.threads: list[threading.Thread] = []
        self.stopping = False

    def put(self, job: Job) -> None:
        with self.cond:
            if self.stopping:
                raise RuntimeError("the application is closing")
            (self.queue.appendleft if job.urgent else self.queue.append)(job)
            if len(self.threads) < self.size and len(self.queue) > self._idle():
                self._spawn()
            self.cond.notify()

    def _idle(self) -> int:
        return sum(1 for t in self.threads if getattr(t, "idle", False))

    def _spawn(self) -> None:
        t = threading.Thread(target=self._loop, name=f"annotator-{self.name}", daemon=True)
        t.idle = False
        t.lane = self
        self.threads.append(t)
        t.start()

    def _next(self, urgent_only: bool = False) -> Job | None:
        with self.cond:
            while True:
                if urgent_only:
                    return self.queue.popleft() if self.queue and self.queue[0].urgent else None
                if self.queue:
                    return self.queue.popleft()
                if self.stopping:
                    return None
                threading.current_thread().idle = True
                self.cond.wait()
                threading.current_thread().idle = False

    def _loop(self) -> None:
        while (job := self._next()) is not None:
            _run(job)

    def run_urgent(self) -> None:
        while (job := self._next(urgent_only=True)) is not None:
            _run(job)

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        for t in self.threads:
            t.join()
        self.threads.clear()


def _lane_of_thread() -> _Lane | None:
    return getattr(threading.current_thread(), "lane", None)


def _run(job: Job) -> None:
    if job.cancelled() and not job.always:
        job._done.set()
        job._outcome_ready.emit(job)
        return
    job.started = True
    try:
        job.outcome = ("finished", job.fn(job))
    except BaseException as err:  # reported on the GUI thread
        err.details = traceback.format_exc()
        job.outcome = ("failed", err)
    job._done.set()
    job._outcome_ready.emit(job)


class TaskManager(QObject):
    """Owns every background job of the GUI (one per AppContext)."""

    job_started = Signal(object)
    job_ended = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lanes = {"write": _Lane("write", 1), "read": _Lane("read", READ_THREADS), "pdf": _Lane("pdf", 1)}
        self.lanes["net"] = _Lane("net", 1)
        self.jobs: set[Job] = set()  # submitted and not yet ended

    def submit(
        self,
        lane: str,
        fn: Callable[[Job], object],
        name: str = "",
        urgent: bool = False,
        always: bool = False,
    ) -> Job:
        """Queue fn(job) on a lane; connect to the job's signals before control returns to Qt."""
        job = Job(lane, fn, name or getattr(fn, "__name__", "job"), urgent, always)
        job._outcome_ready.connect(self._deliver)  # a slot of the manager: runs on the GUI thread
        self.lanes[lane].put(job)  # raises once the manager has shut down
        self.jobs.add(job)
        self.job_started.emit(job)
        return job

    def _deliver(self, job: Job) -> None:
        """On the GUI thread: the job's answer, then `ended`. Idempotent."""
        if job.delivered or not job.is_done():
            return
        job.delivered = True
        self.jobs.discard(job)
        if job.outcome is not None:
            kind, value = job.outcome
            (job.finished if kind == "finished" else job.failed).emit(value)
        job.ended.emit()
        self.job_ended.emit(job)
        job.deleteLater()

    def wait(self, job: Job) -> None:
        """Block until the job has run (or been skipped), then deliver its answer now."""
        if job.lane == _lane_name(_lane_of_thread(), self):
            raise RuntimeError("a job cannot wait for its own lane")
        job._done.wait()
        self._deliver(job)

    def drain(self) -> None:
        """Cancel every job and wait for the ones running (their workspace is about to close)."""
        for job in list(self.jobs):
            job.cancel()
        for job in list(self.jobs):
            self.wait(job)

    def shutdown(self) -> None:
        self.drain()
        for lane in self.lanes.values():
            lane.stop()

    def running(self) -> list[Job]:
        return [j for j in self.jobs if j.started and not j.is_done()]

    def threads(self) -> list[threading.Thread]:
        return [t for lane in self.lanes.values() for t in lane.threads]


def _lane_name(lane: _Lane | None, manager: TaskManager) -> str | None:
    for name, candidate in manager.lanes.items():
        if candidate is lane:
            return name
    return None


def run_with_progress(
    parent, title: str, fn, on_done, on_error=None, lane: str = "read", tasks: TaskManager | None = None
) -> Job:
    """Run fn(progress, cancelled) on a lane under a progress dialog with Cancel."""
    tasks = tasks or parent.ctx.tasks
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = tasks.submit(lane, lambda j: fn(j.report, j.cancelled), title)

    def progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    def fail(err) -> None:
        if job.cancelled():  # Cancel was pressed, or the workspace is closing: nothing to report
            return
        if on_error:
            on_error(err)
        else:
            from annotator.gui.errors import show_error

            show_error(parent, err)

    dialog.canceled.connect(job.cancel)
    job.progress.connect(progress)
    job.finished.connect(on_done)
    job.failed.connect(fail)
    job.ended.connect(dialog.close)
    job.ended.connect(dialog.deleteLater)
    return job


class Latest:
    """Work of which only the newest answer matters (a list that reloads as you type, a
    count to show): each start() cancels the work before it and drops its answer. The task
    manager waits for cancelled work before the workspace closes."""

    def __init__(self, tasks: TaskManager, lane: str = "read"):
        self.tasks = tasks
        self.lane = lane
        self.running: set[Job] = set()
        self.pending = False  # the newest work has not answered yet
        self._newest: Job | None = None

    def start(self, fn, on_done, on_error=None, name: str = "") -> Job:
        """Run fn(job) off the GUI thread; on_done(result) or on_error(err) on it, if no
        newer work has started meanwhile."""
        self.drop()
        job = self.tasks.submit(self.lane, fn, name)
        self._newest = job
        self.pending = True

        def answer(callback, value) -> None:
            if job is self._newest:
                self.pending = False
                self._newest = None
                if callback:
                    callback(value)

        job.finished.connect(lambda result: answer(on_done, result))
        job.failed.connect(lambda err: answer(on_error, err))
        job.ended.connect(lambda: self._ended(job))
        self.running.add(job)
        return job

    def _ended(self, job: Job) -> None:
        self.running.discard(job)
        if job is self._newest:  # cancelled before it ran (the workspace closed): no answer comes
            self._newest = None
            self.pending = False

    def drop(self) -> None:
        """Ignore (and cancel) the work under way."""
        for job in self.running:
            job.cancel()
        self._newest = None
        self.pending = False
