"""Bring the workspace's embeddings up to date with its text.

Each document is embedded and saved in its own short transaction, so a crash
or a cancel leaves the finished documents done and the next run starts where
this one stopped. A document whose file changed (a new version) or a passage
whose words changed is embedded again; rows of deleted passages and removed
documents are dropped.
"""

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.similar import model, store

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

PASSAGE_BATCH = 32  # the theme model takes some tens of milliseconds a passage

Report = Callable[[int, int, str], None]


@dataclass
class Progress:
    done: int = 0
    total: int = 0
    lines: int = 0  # lines embedded (in windows)
    windows: int = 0
    passages: int = 0
    seconds: float = 0.0
    finished: bool = False  # nothing left to do

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@contextmanager
def connection(ws: "Workspace") -> Iterator[sqlite3.Connection]:
    fairy = ws.engine.raw_connection()
    con = fairy.driver_connection
    assert con is not None
    try:
        yield con
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")
        fairy.close()


@contextmanager
def _writing(con: sqlite3.Connection) -> Iterator[None]:
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def counts(ws: "Workspace") -> tuple[int, int]:
    """(items waiting, items in all): documents plus passages."""
    with connection(ws) as con:
        todo = store.pending(con).total
        total = con.execute(
            "SELECT (SELECT count(*) FROM document) + (SELECT count(*) FROM passage WHERE deleted_at IS NULL)"
        ).fetchone()[0]
    return todo, int(total)


def refresh(
    ws: "Workspace",
    report: Report | None = None,
    cancelled: Callable[[], bool] | None = None,
    budget: float | None = None,
) -> Progress:
    """Embed what is missing or stale. Stops early when `cancelled()` turns true or
    after `budget` seconds (`finished` tells whether anything is left)."""
    started = time.monotonic()
    prog = Progress()
    if ws.readonly:
        return prog
    emb = model.get()
    with connection(ws) as con:
        work = store.pending(con)
        prog.total = work.total
        if work.gone:
            with _writing(con):
                store.drop_gone(con)

        def stop() -> bool:
            over = budget is not None and time.monotonic() - started > budget
            return over or (cancelled is not None and cancelled())

        def tell() -> None:
            if report:
                report(prog.done, prog.total, f"Embedding {prog.done:,} of {prog.total:,}")

        tell()
        for i in range(0, len(work.passages), PASSAGE_BATCH):
            if stop():
                break
            batch = work.passages[i : i + PASSAGE_BATCH]
            quotes = [q for _, q in batch]
            vecs, theme_vecs = emb.embed(quotes), model.embed_for_themes(quotes)
            with _writing(con):
                store.save_passages(con, batch, vecs, theme_vecs)
            prog.done += len(batch)
            prog.passages += len(batch)
            tell()
        for doc_id, sha in work.documents:
            if stop():
                break
            rows = store.document_lines(con, doc_id)
            wins = store.windows(rows)
            vecs = emb.embed([w.text for w in wins])
            with _writing(con):
                store.save_document(con, doc_id, sha, wins, vecs)
            prog.done += 1
            prog.windows += len(wins)
            prog.lines += len(rows)
            tell()
        prog.finished = prog.done >= prog.total
    prog.seconds = time.monotonic() - started
    return prog
