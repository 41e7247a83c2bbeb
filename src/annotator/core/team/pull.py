"""Pulling: every row changed on the server since the last pull (by seq), applied
to the replica in one transaction; the cursor moves with it."""

import sqlite3

from annotator.core.team import local
from annotator.core.team.server import content
from annotator.core.team.apply import Applier
from annotator.core.team.server.push import _record
from annotator.core.team.server.schema import q
from annotator.core.team.tables import ORDER, SPECS


def fetch(cur, since: int, known: dict[str, int]) -> dict[str, list[tuple]]:
    """table -> [(uid, version, record or None)], in seq order, for rows
    changed after `since` that this replica does not have at that version yet (`known`:
    uid -> version). Versions are read first, so rows this laptop sent itself do not travel back."""
    out = {}
    for tbl in ORDER:
        spec = SPECS[tbl]
        changed = cur.execute(f"SELECT uid, version FROM {q(tbl)} WHERE seq > %s", (since,)).fetchall()
        want = [u for u, v in changed if known.get(u, 0) < v]
        if not want:
            out[tbl] = []
            continue
        cols = ", ".join(q(f) for f in spec.fields)
        rows = cur.execute(
            f"SELECT uid, version, deleted, {cols} FROM {q(tbl)} WHERE uid = ANY(%s) ORDER BY seq", (want,)
        ).fetchall()
        out[tbl] = [(r[0], r[1], None if r[2] else _record(spec, r[3:])) for r in rows]
    return out


def _top(cur, since: int) -> int:
    """The highest seq this snapshot can see (of rows this login may read)."""
    return max(
        [
            cur.execute(f"SELECT coalesce(max(seq), 0) FROM {q(t)}").fetchone()[0]
            for t in (*ORDER, "sync_narrowed")
        ]
        + [since]
    )


def hidden(cur, since: int) -> list[tuple[str, str]]:
    """(table, uid) of rows whose audience changed after `since` and that this login can no
    longer read (row-level security hides them): the replica drops its copies."""
    out = []
    for (tbl,) in cur.execute("SELECT DISTINCT tbl FROM sync_narrowed WHERE seq > %s", (since,)).fetchall():
        if tbl in SPECS:
            out += cur.execute(
                f"SELECT DISTINCT %s, n.uid FROM sync_narrowed n WHERE n.seq > %s AND n.tbl = %s "
                f"AND NOT EXISTS (SELECT 1 FROM {q(tbl)} t WHERE t.uid = n.uid)",
                (tbl, since, tbl),
            ).fetchall()
    return out


def _held(raw: sqlite3.Connection) -> set[str]:
    """Rows with changes of this laptop not yet answered: a pull leaves them to the next push,
    whose merge against the server's row finds any conflict."""
    held = {r[0] for r in raw.execute("SELECT uid FROM sync_outbox")}
    held |= {r[0] for r in raw.execute("SELECT uid FROM sync_gone")}
    held |= {
        r[0]
        for r in raw.execute(
            "SELECT m.uid FROM sync_dirty d JOIN sync_map m ON m.tbl = d.tbl AND m.local_id = d.key"
        )
    }
    held |= {f"setting:{r[0]}" for r in raw.execute("SELECT key FROM sync_dirty WHERE tbl = 'setting'")}
    return held


def _parents_first(rows: list[tuple]) -> list[tuple]:
    by_uid = {r[0]: r for r in rows}
    out, seen = [], set()

    def visit(r):
        if r[0] in seen:
            return
        seen.add(r[0])
        parent = (r[2] or {}).get("parent_id")
        if parent in by_uid:
            visit(by_uid[parent])
        out.append(r)

    for r in rows:
        visit(r)
    return out


def _replaced(raw: sqlite3.Connection, ap: Applier, rows: list[tuple], held: set, bases: dict) -> dict:
    """Documents here that the pull gives another file (a new version made elsewhere): uid -> local id."""
    out = {}
    for uid, version, rec in rows:
        lid = ap.local_id("document", uid)
        if rec is None or lid is None or uid in held or bases.get(uid, 0) >= version:
            continue
        here = raw.execute("SELECT sha256 FROM document WHERE id = ?", (lid,)).fetchone()
        if here is not None and here[0] != rec["sha256"]:
            out[uid] = lid
    return out


def apply(cur, raw: sqlite3.Connection, since: int, everything: bool = False) -> tuple[int, int]:
    """Apply rows changed after `since`; returns (rows applied, new cursor)."""
    bases = dict(raw.execute("SELECT uid, version FROM sync_base"))
    got = fetch(cur, since, bases)
    top = _top(cur, since)
    held = _held(raw)
    ap = Applier(raw)
    applied = 0
    for tbl, uid in hidden(cur, since):
        if uid not in held:  # one with edits here waits for the push, which keeps them as a conflict
            applied += ap.retract(tbl, uid)
    replaced = _replaced(raw, ap, got["document"], held, bases)
    files = {r[2]["sha256"] for r in got["document"] + got["document_version"] if r[2] is not None}
    content.fetch_blobs(cur, raw, files)
    with ap.deferred_index():
        for tbl in ORDER:
            rows = _parents_first(got[tbl]) if tbl == "theme" else got[tbl]
            fresh = []  # rows this replica has never had: written in bulk
            for item in rows:
                uid, version, rec = item
                if uid in held or bases.get(uid, 0) >= version:
                    continue
                if tbl != "setting" and rec is not None and ap.local_id(tbl, uid) is None:
                    fresh.append(item)
                elif ap.put(tbl, uid, rec):
                    ap.set_base(tbl, uid, version, rec)
                    applied += 1
            applied += len(ap.insert_many(tbl, fresh)) if fresh else 0
            if tbl == "document":
                new = {u: ap.local_id("document", u) for u in ap.inserted.get("document", [])}
                for lid in replaced.values():  # a new version: its pages and lines replace the old
                    raw.execute("DELETE FROM line WHERE document_id = ?", (lid,))
                    raw.execute("DELETE FROM page WHERE document_id = ?", (lid,))
                content.fetch(cur, raw, None if everything else {**new, **replaced})
    local.put(raw, "last_seq", str(top))
    return applied, top
