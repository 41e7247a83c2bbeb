"""Turning the replica's noted changes into outgoing records, and taking back the server's answer."""

import json
import os
import sqlite3

from annotator.core.store.models import now
from annotator.core.team import local
from annotator.core.team.apply import Applier
from annotator.core.team.conflicts import HIDDEN
from annotator.core.team.server.push import Entry, Result
from annotator.core.team.tables import SPECS


def pending(raw: sqlite3.Connection) -> int:
    """Changes not yet on the server (rows noted as changed, deletions, records ready to send)."""
    return sum(
        raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("sync_dirty", "sync_gone", "sync_outbox")
    )


def _bases(raw: sqlite3.Connection, uids: list[str]) -> dict[str, tuple[int, dict | None]]:
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS sync_uids (u TEXT PRIMARY KEY) WITHOUT ROWID")
    raw.execute("DELETE FROM sync_uids")
    raw.executemany("INSERT OR IGNORE INTO sync_uids VALUES (?)", [(u,) for u in uids])
    return {
        u: (v, local.loads(d))
        for u, v, d in raw.execute(
            "SELECT uid, version, data FROM sync_base WHERE uid IN (SELECT u FROM sync_uids)"
        )
    }


def _same_themes(raw: sqlite3.Connection, rec: dict, base: dict | None) -> None:
    """A passage that lost a theme only because the theme was deleted has not changed its themes."""
    if base is None or rec.get("themes") == base.get("themes"):
        return
    live = {r[0] for r in raw.execute("SELECT uid FROM sync_map WHERE tbl = 'theme'")}
    if sorted(t for t in base.get("themes") or [] if t in live) == rec["themes"]:
        rec["themes"] = base["themes"]


def prepare(raw: sqlite3.Connection) -> list[Entry]:
    """What to send: records left in the outbox by an earlier sync that did not hear back,
    then new ones for rows changed since (a row already waiting stays noted until its
    record is answered)."""
    local.adopt_new_tables(raw)
    out = entries(raw)
    busy = {e.uid for e in out}
    at = now()
    by_tbl: dict[str, list] = {}
    for tbl, key in raw.execute("SELECT tbl, key FROM sync_dirty").fetchall():
        by_tbl.setdefault(tbl, []).append(key)
    for tbl, keys in by_tbl.items():
        recs = local.read_records(raw, tbl, keys)
        bases = _bases(raw, list(recs))
        rows = []
        for uid, rec in recs.items():
            if uid in busy:
                continue
            version, base = bases.get(uid, (0, None))
            if tbl == "passage":
                _same_themes(raw, rec, base)
            if base is not None and rec == base:
                continue
            e = Entry(os.urandom(16).hex(), uid, tbl, version, rec, base, at, local.dumps(rec))
            out.append(e)
            rows.append((e.change_id, uid, tbl, version, e.data_json, local.dumps(base), at))
        raw.executemany("INSERT INTO sync_outbox VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        held = [k for k, u in _uids(raw, tbl, keys).items() if u in busy] if busy else []
        raw.execute("DELETE FROM sync_dirty WHERE tbl = ?", (tbl,))
        raw.executemany("INSERT INTO sync_dirty(tbl, key) VALUES (?, ?)", [(tbl, k) for k in held])
    for uid, tbl in raw.execute("SELECT uid, tbl FROM sync_gone").fetchall():
        if uid in busy:
            continue
        version, base = _bases(raw, [uid]).get(uid, (0, None))
        if version:  # the server has it: send the deletion
            e = Entry(os.urandom(16).hex(), uid, tbl, version, None, base, at)
            out.append(e)
            raw.execute(
                "INSERT INTO sync_outbox VALUES (?, ?, ?, ?, NULL, ?, ?)",
                (e.change_id, uid, tbl, version, local.dumps(base), at),
            )
        raw.execute("DELETE FROM sync_gone WHERE uid = ?", (uid,))
    return out


def _uids(raw: sqlite3.Connection, tbl: str, keys: list) -> dict:
    if tbl == "setting":
        return {k: f"setting:{k}" for k in keys}
    found = dict(raw.execute(f"SELECT local_id, uid FROM sync_map WHERE tbl = '{tbl}'"))
    return {k: found.get(k) for k in keys}


def entries(raw: sqlite3.Connection) -> list[Entry]:
    return [
        Entry(c, u, t, v, local.loads(d), local.loads(b), at, d)
        for c, u, t, v, d, b, at in raw.execute(
            "SELECT change_id, uid, tbl, base_version, data, base, at FROM sync_outbox ORDER BY rowid"
        )
    ]


def acknowledge(raw: sqlite3.Connection, results: list[Result], author: str) -> int:
    """Take the server's answer: bases move to the new versions, merged rows and
    conflicts are written locally, conflicts recorded. Returns the conflicts found."""
    ap = Applier(raw)
    with ap.deferred_index():
        return _acknowledge(raw, ap, results, author)


def _acknowledge(raw: sqlite3.Connection, ap: Applier, results: list[Result], author: str) -> int:
    dirty = {(t, k) for t, k in raw.execute("SELECT tbl, key FROM sync_dirty")}
    conflicts = 0
    found = now()
    raw.executemany("DELETE FROM sync_outbox WHERE change_id = ?", [(r.entry.change_id,) for r in results])
    for r in results:
        e = r.entry
        if r.status == "hidden":  # its owner narrowed who sees it: the copy goes, my edit stays listed
            conflicts += 1
            _record_conflict(raw, e, r, HIDDEN, author, found)
            ap.retract(e.tbl, e.uid)
            continue
        if r.status == "conflict":
            conflicts += 1
            _record_conflict(raw, e, r, _kind(e, r), author, found)
        if r.row == e.data:
            ap.set_base(e.tbl, e.uid, r.version, r.row, e.data_json)
            continue
        ap.set_base(e.tbl, e.uid, r.version, r.row)
        lid = ap.local_id(e.tbl, e.uid) if e.tbl != "setting" else e.uid.split(":", 1)[1]
        if (e.tbl, lid) in dirty and r.row is not None and e.data is not None:
            # edited again while this push was out: keep those edits on top of the server's row
            ap.flush()
            now_rec = local.read_records(raw, e.tbl, [lid]).get(e.uid)
            if now_rec is not None:
                ap.put(
                    e.tbl,
                    e.uid,
                    {
                        f: (r.row.get(f) if now_rec.get(f) == e.data.get(f) else now_rec.get(f))
                        for f in now_rec
                    },
                )
            continue
        ap.put(e.tbl, e.uid, r.row)
    return conflicts


def _record_conflict(
    raw: sqlite3.Connection, e: Entry, r: Result, kind: str, author: str, found: str
) -> None:
    mine_at = (e.data or {}).get("modified_at") or e.at
    raw.execute(
        "INSERT INTO sync_conflict(tbl, uid, kind, fields, mine, theirs, base, mine_author, mine_at, "
        "theirs_author, theirs_at, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            e.tbl,
            e.uid,
            kind,
            json.dumps(r.conflict),
            local.dumps(e.data),
            local.dumps(r.row),
            local.dumps(e.base),
            author,
            mine_at,
            r.theirs_by,
            r.theirs_at,
            found,
        ),
    )


def _kind(e: Entry, r: Result) -> str:
    if "deleted" in r.conflict:
        return (
            "deleted there"
            if r.row is None or (SPECS[e.tbl].soft_delete and r.row.get("deleted_at"))
            else "deleted here"
        )
    return "edited on both"


def new_content(raw: sqlite3.Connection, todo: list[Entry], answers: list[Result]) -> dict[str, int]:
    """Documents whose file the server takes from this push (uid -> local id): new ones, and
    ones replaced by a new version here (core/versions); their pages, lines and file go along."""
    taken = {r.entry.change_id for r in answers if r.status in ("applied", "merged")}
    out = {}
    for e in todo:
        if e.tbl != "document" or e.data is None or e.change_id not in taken:
            continue
        if e.base_version == 0 or (e.base or {}).get("sha256") != e.data.get("sha256"):
            row = raw.execute("SELECT local_id FROM sync_map WHERE uid = ?", (e.uid,)).fetchone()
            if row is not None:
                out[e.uid] = row[0]
    return out


def version_files(todo: list[Entry]) -> set[str]:
    """Files (sha256) of document versions in this push: the server keeps them too."""
    return {e.data["sha256"] for e in todo if e.tbl == "document_version" and e.data is not None}
