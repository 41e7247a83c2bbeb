"""Helpers for the team tests."""

from annotator.core.store import index

from annotator.core.evidence import tagging
from annotator.core.team.dump import canonical
from annotator.core.team.sync import sync

PW = "admin-secret"  # LocalServer's default superuser password


def tag(ws, at: int, note: str = "", themes=(1,)) -> int:
    """Tag 12 characters of the first page from `at` (moved past blank stretches)."""
    with ws.engine.connect() as conn:
        text = conn.exec_driver_sql('SELECT text FROM page WHERE document_id = 1 AND "index" = 0').scalar()
    at = at % (len(text) - 20)
    while not text[at : at + 12].strip():
        at = (at + 12) % (len(text) - 20)
    return tagging.tag(ws, 1, start=(0, at), end=(0, at + 12), theme_ids=list(themes), note=note).result


def sync_all(*replicas, password: str = PW) -> None:
    """Every replica syncs, then again: everyone has everyone's changes."""
    for _ in range(2):
        for ws in replicas:
            sync(ws, password)


def same(*replicas) -> dict:
    """Canonical dumps of the replicas, all equal (the first differing rows are shown)."""
    dumps = [canonical(ws) for ws in replicas]
    for d in dumps[1:]:
        for t in d:
            wrong = [k for k in set(d[t]) | set(dumps[0][t]) if d[t].get(k) != dumps[0][t].get(k)]
            assert not wrong, (t, [(d[t].get(k), dumps[0][t].get(k)) for k in wrong[:2]])
    return dumps[0]


def passage_id(ws, uid: str) -> int:
    with ws.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT local_id FROM sync_map WHERE uid = ?", (uid,)).scalar()


def uid_of(ws, tbl: str, local_id: int) -> str:
    with ws.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT uid FROM sync_map WHERE tbl = ? AND local_id = ?", (tbl, local_id)
        ).scalar()


def index_ok(ws) -> None:
    with ws.engine.connect() as conn:
        assert index.differences(conn) == []


def found(ws, word: str) -> set[int]:
    with ws.engine.connect() as conn:
        return {
            r[0]
            for r in conn.exec_driver_sql("SELECT rowid FROM passage_fts WHERE passage_fts MATCH ?", (word,))
        }
