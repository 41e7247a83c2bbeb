"""Conflicts: both versions kept until someone chooses (mine, theirs or both).

The server keeps the version that reached it first ("theirs"); the replica
shows it and keeps "mine" in the conflict record. Keeping mine (or both)
writes it locally as a new edit, which the next sync sends.
"""

import json
import uuid

from annotator.core.evidence.changes import Change
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import now
from annotator.core.team import local
from annotator.core.team.apply import Applier
from annotator.core.team.tables import SPECS

KEEP = ("mine", "theirs", "both")
HIDDEN = "hidden there"  # its owner narrowed who sees a row I had edited
_COLS = "id, tbl, uid, kind, fields, mine, theirs, mine_author, mine_at, theirs_author, theirs_at, found_at, resolved_at, resolution"


def _label(tbl: str, rec: dict | None) -> str:
    if rec is None:
        return ""
    for key in ("quote", "name", "title", "key", "relation"):
        if rec.get(key):
            return str(rec[key])[:80]
    return ""


def _view(row, raw) -> dict:
    cid, tbl, uid, kind, fields, mine, theirs, ma, mt, ta, tt, found, resolved, resolution = row
    mine, theirs, fields = local.loads(mine), local.loads(theirs), json.loads(fields)
    spec = SPECS[tbl]
    if "deleted" in fields:  # edit against deletion: show everything that differs
        names = [
            f for f in spec.fields if f not in spec.latest and (mine or {}).get(f) != (theirs or {}).get(f)
        ]
    else:
        names = [f for f in spec.fields if spec.group_of(f) in fields]
    pick = lambda rec: None if rec is None else {f: rec.get(f) for f in names}  # noqa: E731
    lid = raw.execute("SELECT local_id FROM sync_map WHERE uid = ?", (uid,)).fetchone()
    return {
        "id": cid,
        "table": tbl,
        "local_id": lid[0] if lid else None,
        "uid": uid,
        "kind": kind,
        "fields": fields,
        "what": _label(tbl, mine or theirs),
        "mine": pick(mine),
        "theirs": pick(theirs),
        "mine_author": ma,
        "mine_at": mt,
        "theirs_author": ta,
        "theirs_at": tt,
        "found_at": found,
        "resolved_at": resolved,
        "resolution": resolution,
    }


def listing(ws, include_resolved: bool = False) -> list[dict]:
    """Conflicts of this replica, oldest first (open ones only unless asked)."""
    raw_conn = ws.engine.raw_connection()
    try:
        raw = raw_conn.driver_connection
        if raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_conflict'").fetchone() is None:
            return []
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        rows = raw.execute(f"SELECT {_COLS} FROM sync_conflict {where} ORDER BY id").fetchall()
        return [_view(r, raw) for r in rows]
    finally:
        raw_conn.close()


def _both(spec, cur: dict, mine: dict, theirs: dict | None, fields: list[str]) -> tuple[dict, dict | None]:
    """Keep both: notes joined, themes united, a second passage for my range; a deleted
    side gives way to the edited one. Returns (the row, an extra new row or None)."""
    new, extra = dict(cur), None
    for g in fields:
        if g == "note":
            a, b = (theirs or {}).get("note") or "", mine.get("note") or ""
            new["note"] = a if b in a else (b if a in b else f"{a}\n\n{b}")
        elif g == "themes":
            new["themes"] = sorted(set((theirs or {}).get("themes") or []) | set(mine.get("themes") or []))
        elif g == "range":
            extra = dict(cur)
            for f in spec.groups["range"]:
                extra[f] = mine.get(f)
        elif g == "deleted":
            new = dict(mine if (mine is not None and not mine.get("deleted_at")) else cur)
            if spec.soft_delete:
                new["deleted_at"] = None
        else:
            raise InvalidInput(f"Both versions of '{g}' cannot be kept together; choose mine or theirs.")
    return new, extra


def resolve(ws, conflict_id: int, keep: str) -> Change:
    if keep not in KEEP:
        raise InvalidInput("Keep 'mine', 'theirs' or 'both'.")
    with local.transaction(ws, quiet=True) as raw:
        row = raw.execute(f"SELECT {_COLS} FROM sync_conflict WHERE id = ?", (conflict_id,)).fetchone()
        if row is None:
            raise NotFound(f"No conflict {conflict_id}.")
        if row[12] is not None:
            raise InvalidInput(f"Conflict {conflict_id} was already settled ({row[13]}).")
        tbl, uid, fields = row[1], row[2], json.loads(row[4])
        mine, theirs = local.loads(row[5]), local.loads(row[6])
        spec, ap = SPECS[tbl], Applier(raw)
        lid = ap.local_id(tbl, uid) if tbl != "setting" else uid.split(":", 1)[1]
        cur = local.read_records(raw, tbl, [lid]).get(uid) if lid is not None else None
        if keep != "theirs" and row[3] == HIDDEN:
            # its owner narrowed who sees it: my version lives on as my own private passage
            _write_as_edit(raw, ap, tbl, uuid.uuid4().hex, {**mine, "audience": "me"})
        elif keep != "theirs":
            if keep == "mine" and (mine is None or "deleted" in fields):
                new, extra = mine, None
            elif keep == "mine":
                new, extra = dict(cur or theirs), None
                for f in spec.fields:
                    if spec.group_of(f) in fields:
                        new[f] = mine.get(f)
            else:
                new, extra = _both(spec, cur or theirs or mine, mine or {}, theirs, fields)
            if new is not None and "modified_at" in new:
                new["modified_at"] = now()
            _write_as_edit(raw, ap, tbl, uid, new)
            if extra is not None:
                extra["created_at"] = extra["modified_at"] = now()
                _write_as_edit(raw, ap, tbl, uuid.uuid4().hex, extra)
        raw.execute(
            "UPDATE sync_conflict SET resolved_at = ?, resolution = ? WHERE id = ?",
            (now(), keep, conflict_id),
        )
    with ws.write("resolve conflict", {"conflict": conflict_id, "table": tbl, "keep": keep}):
        pass
    return Change(
        f"Resolve conflict {conflict_id}", passages=set(), themes=tbl == "theme", links=tbl == "link"
    )


def _write_as_edit(raw, ap: Applier, tbl: str, uid: str, rec: dict | None) -> None:
    """Write a row as this laptop's own edit: the next sync sends it."""
    ap.put(tbl, uid, rec)
    if rec is None:
        raw.execute("INSERT OR IGNORE INTO sync_gone(uid, tbl) VALUES (?, ?)", (uid, tbl))
        return
    key = rec["key"] if tbl == "setting" else ap.local_id(tbl, uid)
    raw.execute("INSERT OR IGNORE INTO sync_dirty(tbl, key) VALUES (?, ?)", (tbl, key))
