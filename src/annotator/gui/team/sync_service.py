"""Keeps a team replica in step with its server while the window is open.

- Sync now (menu, toolbar, F9, a click on the status indicator);
- automatic sync every half-minute while the server answers, and a push a moment
  after each local change;
- a listener on the server's notifications that pulls as soon as someone else syncs;
- the conflict list, refreshed after every sync, settled from the review list.

All network work runs in the background, one job at a time (a serial lane), so the
window never waits; results come back on the GUI thread. Every use of the task
machinery is in `_Lane` and `_start_listener`, and every call into the core team
API is in `backend`.
"""

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.changes import Change
from annotator.gui.tasks import Task
from annotator.gui.team import backend
from annotator.gui.team.sync_status import SyncState

AUTO_SYNC_MS = 30_000  # while reachable (the listener makes it live between ticks)
RETRY_MS = 60_000  # while the server cannot be reached
PUSH_AFTER_CHANGE_MS = 1_500  # a change is sent a moment after it is made
PULL_AFTER_NOTIFY_MS = 200  # gathers a burst of notifications into one pull


class _Lane(QObject):
    """One background job at a time, in order; each job's answer on the GUI thread."""

    idle = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.task: Task | None = None
        self.queue: list[tuple[str, Callable, Callable, Callable]] = []

    def busy_with(self, name: str) -> bool:
        return any(job[0] == name for job in self.queue) or (self.task is not None and self._name == name)

    def add(self, name: str, fn: Callable, on_done: Callable, on_error: Callable) -> None:
        self.queue.append((name, fn, on_done, on_error))
        self._next()

    def _next(self) -> None:
        if self.task is not None:
            return
        if not self.queue:
            self.idle.emit()
            return
        self._name, fn, on_done, on_error = self.queue.pop(0)
        task = self.task = Task(lambda _progress, _cancelled: fn(), self)

        def answer(callback, value) -> None:
            self.task = None
            task.deleteLater()
            try:
                callback(value)
            finally:
                self._next()

        task.finished.connect(lambda result: answer(on_done, result))
        task.failed.connect(lambda err: answer(on_error, err))
        task.start()

    def drain(self) -> None:
        """Drop queued jobs and wait for the running one (before its workspace closes)."""
        self.queue.clear()
        if self.task is not None:
            task, self.task = self.task, None
            task._stop()  # its answer, queued behind us, finds no task and is ignored
            task.finished.disconnect()
            task.failed.disconnect()
            task.deleteLater()


class SyncService(QObject):
    state_changed = Signal(object)  # SyncState
    conflicts_changed = Signal(list)  # [Conflict]
    message = Signal(str)  # one sentence for the status bar
    synced = Signal(object)  # backend.SyncResult, after each successful sync

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.state = SyncState()
        self.conflicts: list = []
        self.lane = _Lane(self)
        self.listener: Task | None = None
        self._again = False  # another sync was asked for while one ran
        self.passwords: dict[str, str] = {}  # workspace path -> password typed this session
        self.problem_kind = ""  # of the last failure: offline | password | stopped | busy
        self.auto = QTimer(self, interval=AUTO_SYNC_MS)
        self.auto.timeout.connect(self._tick)
        self.after_change = QTimer(self, singleShot=True, interval=PUSH_AFTER_CHANGE_MS)
        self.after_change.timeout.connect(self._tick)
        self.after_notify = QTimer(self, singleShot=True, interval=PULL_AFTER_NOTIFY_MS)
        self.after_notify.timeout.connect(self.sync_now)
        ctx.workspace_changed.connect(self.restart)
        ctx.workspace_closing.connect(self.stop)
        ctx.changed.connect(self._local_change)

    # ---- state ---------------------------------------------------------
    def _set(self, **changes) -> None:
        self.state = self.state.but(**changes)
        self.state_changed.emit(self.state)

    def is_team(self) -> bool:
        return self.state.mode != "off"

    def restart(self) -> None:
        """Start over for the open workspace (opened, or just published)."""
        self.stop()
        ws = self.ctx.ws
        self.conflicts = []
        self.conflicts_changed.emit([])
        info = backend.status(ws) if ws is not None and not ws.readonly else None
        if info is None:
            self.state = SyncState()
            self.state_changed.emit(self.state)
            return
        self.state = SyncState(
            mode="offline", last_ok=info.last_ok, pending=info.pending, conflicts=info.conflicts
        )
        self.state_changed.emit(self.state)
        if info.conflicts:
            self._show_conflicts(backend.conflict_rows(ws))
        self.auto.setInterval(AUTO_SYNC_MS)
        self.auto.start()
        self.sync_now()

    def _local_change(self, change: Change) -> None:
        if not self.is_team() or change.summary == backend.PULLED:
            return
        self._count_pending()
        if self.state.mode in ("live", "online"):
            self.after_change.start()

    def _count_pending(self) -> None:
        ws = self.ctx.ws
        if ws is not None:
            info = backend.status(ws)
            if info is not None:
                self._set(pending=info.pending, conflicts=info.conflicts)

    def _tick(self) -> None:
        """Automatic sync: skipped after a refusal the user must fix (password, schema)."""
        if self.state.mode != "problem":
            self.sync_now()

    # ---- sync ----------------------------------------------------------
    def sync_now(self) -> None:
        ws = self.ctx.ws
        if ws is None or not self.is_team():
            return
        if self.lane.busy_with("sync"):
            self._again = True
            return
        self._again = False
        self._set(mode="syncing")
        password = self.passwords.get(ws.path, "")
        self.lane.add(
            "sync",
            lambda: backend.sync(ws, password),
            lambda r: self._synced(ws, r),
            lambda e: self._failed(ws, e),
        )

    def set_password(self, path: str, password: str) -> None:
        """Kept in memory for this session only (the replica never stores it)."""
        self.passwords[path] = password
        if self.state.mode == "problem" and self.problem_kind == "password":
            self._set(mode="offline")

    def _synced(self, ws, result) -> None:
        if ws is not self.ctx.ws:
            return
        self.auto.setInterval(AUTO_SYNC_MS)
        self._start_listener(ws)
        self._set(
            mode="live" if self.listener is not None else "online",
            last_ok=result.when or datetime.now(),
            pending=result.pending,
            conflicts=len(result.conflicts),
            problem="",
        )
        self.problem_kind = ""
        self._show_conflicts(result.conflicts)
        if result.changed is not None:
            self.ctx.announce(result.changed)  # the open views refresh
        self.synced.emit(result)
        if result.pulled:
            self.message.emit(f"Updated with the team's changes ({datetime.now():%H:%M}).")
        if result.new_conflicts:
            n = result.new_conflicts
            self.message.emit(
                f"Sync found {n} conflict{'s' if n != 1 else ''}: review {'them' if n != 1 else 'it'} "
                "in the Conflicts list (File > Team > Review conflicts)."
            )
        if self._again:
            self.sync_now()

    def _failed(self, ws, err) -> None:
        if ws is not self.ctx.ws:
            return
        sentence, kind = backend.explain(err)
        self.problem_kind = kind
        if kind == "offline":
            sentence = backend.offline_sentence(ws)
        elif kind == "password":
            sentence += " Sync now (F9) asks for it."
        if kind == "busy":  # another sync of this file is finishing: the next tick tries again
            self._set(mode="live" if self.listener is not None else "online")
            return
        self._stop_listener()
        if kind == "offline":
            self.auto.setInterval(RETRY_MS)
        self._again = False
        info = backend.status(ws)
        self._set(
            mode="offline" if kind == "offline" else "problem",
            problem=sentence,
            last_ok=info.last_ok if info else self.state.last_ok,
        )
        self.message.emit(sentence)

    def _show_conflicts(self, rows: list) -> None:
        self.conflicts = rows
        self.conflicts_changed.emit(rows)

    def resolve(self, conflict_id: int, keep: str) -> None:
        """Settle one conflict locally (in the background), then sync so the others see it."""
        ws = self.ctx.ws
        if ws is None:
            return

        def done(result) -> None:
            if ws is not self.ctx.ws:
                return
            self._show_conflicts(result.conflicts)
            self._set(conflicts=len(result.conflicts), pending=result.pending)
            self.ctx.announce(result.changed)
            self.message.emit(result.summary)
            if self.state.mode in ("live", "online"):
                self.sync_now()

        def failed(err) -> None:
            sentence, _kind = backend.explain(err)
            self.message.emit(sentence)

        self.lane.add("resolve", lambda: backend.resolve(ws, conflict_id, keep), done, failed)

    # ---- live: the server says someone synced --------------------------
    def _start_listener(self, ws) -> None:
        if self.listener is not None:
            return
        password = self.passwords.get(ws.path, "")
        task = self.listener = Task(
            lambda progress, cancelled: backend.listen(ws, password, lambda: progress(1, 0), cancelled), self
        )
        task.progress.connect(lambda *_: self.after_notify.start())

        def ended(_value) -> None:
            if self.listener is task:
                self.listener = None
                if self.state.mode == "live":
                    self._set(mode="online")
            task.deleteLater()

        task.finished.connect(ended)
        task.failed.connect(ended)
        task.start()

    def _stop_listener(self) -> None:
        task, self.listener = self.listener, None
        if task is not None:
            task.cancel()
            task._stop()

    def stop(self) -> None:
        """Before the workspace closes: no timer, no listener, no job left running."""
        self.auto.stop()
        self.after_change.stop()
        self.after_notify.stop()
        self._stop_listener()
        self.lane.drain()

    def wait_idle(self) -> None:
        """Block until the lane is empty (tests, closing)."""
        from PySide6.QtCore import QEventLoop
        from PySide6.QtGui import QGuiApplication

        while self.lane.task is not None or self.lane.queue:
            QGuiApplication.processEvents(QEventLoop.AllEvents, 50)
