"""Keeps a team replica in step with its server while the window is open.

- Sync now (menu, toolbar, F9, a click on the status indicator);
- automatic sync every half-minute while the server answers, and a push a moment
  after each local change;
- a listener on the server's notifications that pulls as soon as someone else syncs;
- the conflict list, refreshed after every sync, settled from the review list.

All network work runs on the app's task manager, so the window never waits: syncs and
conflict settling on its "write" lane (they write the replica, one after another
with imports and backups), the listener on its "net" lane. Every use of the task
manager is in `_submit` and `_start_listener`; every call into the core team API is
in `backend`.
"""

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.evidence.changes import Change
from annotator.gui.team import backend
from annotator.gui.team.sync_status import SyncState

AUTO_SYNC_MS = 30_000  # while reachable (the listener makes it live between ticks)
RETRY_MS = 60_000  # while the server cannot be reached
PUSH_AFTER_CHANGE_MS = 1_500  # a change is sent a moment after it is made
PULL_AFTER_NOTIFY_MS = 200  # gathers a burst of notifications into one pull


class SyncService(QObject):
    state_changed = Signal(object)  # SyncState
    conflicts_changed = Signal(list)  # [Conflict]
    message = Signal(str)  # one sentence for the status bar
    synced = Signal(object)  # backend.SyncResult, after each successful sync
    idle = Signal()  # no sync or settling left to run

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.state = SyncState()
        self.conflicts: list = []
        self.jobs: dict = {}  # Job -> "sync" | "resolve", until it ends
        self.listener = None  # the Job waiting on the server's notifications
        self.ws = None  # the workspace being kept in step (None once it closes)
        self.automatic = False  # timers and listener on (off after stop(): Sync now only)
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
        ctx.workspace_closing.connect(self._closing)
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
        self.ws = ws
        self.automatic = True
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
        if self.automatic and self.state.mode in ("live", "online"):
            self.after_change.start()

    def _count_pending(self) -> None:
        ws = self.ws
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
        ws = self.ws
        if ws is None or not self.is_team():
            return
        if "sync" in self.jobs.values():
            self._again = True
            return
        self._again = False
        self._set(mode="syncing")
        password = self.passwords.get(ws.path, "")
        self._submit(
            "sync",
            lambda: backend.sync(ws, password),
            lambda r: self._synced(ws, r),
            lambda e: self._failed(ws, e),
        )

    def _submit(self, name: str, fn, on_done, on_error) -> None:
        job = self.ctx.tasks.submit("write", lambda _job: fn(), f"team {name}")
        self.jobs[job] = name

        def over() -> bool:
            """The job leaves the list before its answer is handled (which may ask for
            the next sync); True the first time."""
            return self.jobs.pop(job, None) is not None

        def answer(callback, value) -> None:
            over()
            callback(value)
            if not self.jobs:
                self.idle.emit()

        job.finished.connect(lambda result: answer(on_done, result))
        job.failed.connect(lambda err: answer(on_error, err))
        job.ended.connect(lambda: over() and not self.jobs and self.idle.emit())  # cancelled unstarted

    def set_password(self, path: str, password: str) -> None:
        """Kept in memory for this session only (the replica never stores it)."""
        self.passwords[path] = password
        if self.state.mode == "problem" and self.problem_kind == "password":
            self._set(mode="offline")

    def _synced(self, ws, result) -> None:
        if ws is not self.ws:
            return
        self.auto.setInterval(AUTO_SYNC_MS)
        if self.automatic:
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
        if ws is not self.ws:
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
        self._stop_listener(wait=False)  # it ends by itself; the window does not wait for it
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
        ws = self.ws
        if ws is None:
            return

        def done(result) -> None:
            if ws is not self.ws:
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

        self._submit("resolve", lambda: backend.resolve(ws, conflict_id, keep), done, failed)

    # ---- live: the server says someone synced --------------------------
    def _start_listener(self, ws) -> None:
        if self.listener is not None:
            return
        password = self.passwords.get(ws.path, "")
        job = self.listener = self.ctx.tasks.submit(
            "net", lambda j: backend.listen(ws, password, lambda: j.send(1), j.cancelled), "team listener"
        )
        job.sent.connect(lambda _v: self.after_notify.start())

        def ended() -> None:  # the server went away, or the workspace is closing
            if self.listener is job:
                self.listener = None
                if self.state.mode == "live":
                    self._set(mode="online")

        job.ended.connect(ended)

    def _stop_listener(self, wait: bool = True) -> None:
        job, self.listener = self.listener, None
        if job is not None:
            job.cancel()
            if wait:
                self.ctx.tasks.wait(job)  # returns within half a second of the cancel

    def _closing(self) -> None:
        self.ws = None  # answers still on their way are for a workspace no longer kept
        self.stop()

    def stop(self) -> None:
        """No automatic sync from now on (Sync now still works), no listener, no job of
        ours left running; restart() starts again."""
        self.automatic = False
        self.auto.stop()
        self.after_change.stop()
        self.after_notify.stop()
        self._stop_listener()
        for job in list(self.jobs):
            job.cancel()  # a sync not started yet never runs; one running finishes
            self.ctx.tasks.wait(job)
