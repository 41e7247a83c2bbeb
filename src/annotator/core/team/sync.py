"""`sync`: push this laptop's changes, then pull everyone else's.

Order of one sync: (1) records for changed rows go to the outbox (local
transaction); (2) the outbox goes to the server in one transaction; (3) the
server's answer is written back (local transaction); (4) rows changed on the
server since the last pull are applied (one local transaction). A kill at
any point leaves either the outbox to re-send (a no-op on the server when it
already took it) or a pull to repeat: nothing lost, nothing doubled.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from annotator.core.store.models import now
from annotator.core.team import local, outbox, pull
from annotator.core.team.server import connect, content, push, schema
from annotator.core.team.lock import SyncLock


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # time in each phase (for the bench)

    @contextmanager
    def timed(self, phase: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - t

    def as_dict(self) -> dict:
        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": self.conflicts}


def _state(ws, key: str, default: str | None = None) -> str | None:
    raw = ws.engine.raw_connection()
    try:
        return local.get(raw.driver_connection, key, default)
    finally:
        raw.close()


def open_server(ws, password: str | None = None):
    """A connection to this replica's server, its schema checked; failures in one sentence."""
    url = _state(ws, "url")
    if url is None:
        raise connect.TeamError(
            f"{ws.path} is not a team workspace; use 'annotator team join' or 'team publish'."
        )
    try:
        conn = connect.connect(url, _state(ws, "user"), password)
    except connect.Unreachable as err:
        last = _state(ws, "last_sync")
        since = f"the last successful sync was at {last}" if last else "it has never synced"
        raise connect.Unreachable(f"{err}; your work is kept on this laptop and {since}.") from err
    try:
        with conn.cursor() as cur:
            schema.check(cur, connect.where(url))
        conn.commit()
    except BaseException:
        conn.close()
        raise
    return conn


def sync(ws, password: str | None = None, rounds: int = 3) -> SyncResult:
    """Push, then pull. Failures raise one sentence (connect.TeamError, DiskFull) and are
    remembered for the status line; the replica is left as it was."""
    with SyncLock(ws.path):
        try:
            result = _sync(ws, password, rounds)
        except connect.TeamError as err:
            _remember(ws, str(err))
            raise
        _remember(ws, None)
        return result


def _remember(ws, error: str | None) -> None:
    with local.transaction(ws) as raw:
        if not local.is_replica(raw):
            return
        local.put(raw, "last_attempt", now())
        local.put(raw, "last_error", error)


def _sync(ws, password: str | None, rounds: int) -> SyncResult:
    import psycopg

    result = SyncResult()
    conn = open_server(ws, password)
    try:
        device = _state(ws, "device") or ""
        for _ in range(rounds):  # a row edited while its record was out goes in the next round
            with result.timed("prepare"), local.transaction(ws) as raw:
                todo = outbox.prepare(raw)
            if not todo:
                break
            with result.timed("push"), conn.transaction(), conn.cursor() as cur:
                answers = push.run(cur, todo, device)
                rawc = ws.engine.raw_connection()
                try:
                    docs = outbox.new_content(rawc.driver_connection, todo, answers)
                    content.send(cur, rawc.driver_connection, docs, outbox.version_files(todo))
                finally:
                    rawc.close()
            with result.timed("write-back"), local.transaction(ws, quiet=True) as raw:
                result.conflicts += outbox.acknowledge(raw, answers, ws.author)
            result.pushed += sum(1 for a in answers if a.status not in ("duplicate", "stale", "hidden"))
        with result.timed("pull"):
            result.pulled = pull_now(ws, conn)
    except psycopg.OperationalError as err:
        raise connect.Unreachable(
            "The team server stopped answering during the sync; nothing was lost, and the next sync "
            "carries on where this one stopped."
        ) from err
    finally:
        conn.close()
    return result


def pull_now(ws, conn, everything: bool = False) -> int:
    since = int(_state(ws, "last_seq", "0") or 0)
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with local.transaction(
            ws,
            quiet=True,
            full_message="The disk filled up during the pull: nothing from the server was saved and the "
            "workspace is unchanged; free some space and sync again.",
        ) as raw:
            applied, _top = pull.apply(cur, raw, since, everything)
            local.put(raw, "last_sync", now())
    return applied
