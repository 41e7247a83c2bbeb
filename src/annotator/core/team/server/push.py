"""The server side of a push: one transaction, one pusher at a time.

Each outgoing change carries a change id; the server's change log remembers
every id it took, so a push re-sent after a kill changes nothing and the
laptop simply learns the result. Rows pushed against an older version are
merged field by field (team/merge.py).
"""

from dataclasses import dataclass, field
from operator import itemgetter

from annotator.core.team import merge
from annotator.core.team.server.schema import q, stage_ddl
from annotator.core.team.tables import SPECS

PUSH_LOCK = 7_461_001  # pg_advisory_xact_lock key: pushes take turns, so seq order is commit order


@dataclass
class Entry:
    change_id: str
    uid: str
    tbl: str
    base_version: int
    data: dict | None  # None: deleted
    base: dict | None
    at: str
    data_json: str | None = None  # `data` as the outbox keeps it (the base when the server takes it as is)


@dataclass
class Result:
    entry: Entry
    status: str  # applied | merged | conflict | duplicate | unchanged | stale | hidden
    version: int = 0
    row: dict | None = None  # the server's state after the push
    conflict: list[str] = field(default_factory=list)
    theirs_by: str = ""
    theirs_at: str = ""


def _server_rows(cur, tbl: str, uids: list[str]) -> dict[str, tuple]:
    """uid -> (record or None when deleted, version, seq, changed_by, changed_at, owner, device)."""
    spec = SPECS[tbl]
    cols = ", ".join(q(f) for f in spec.fields)
    out = {}
    for row in cur.execute(
        f"SELECT uid, version, seq, deleted, changed_by, changed_at, owner, device, {cols} FROM {q(tbl)} "
        "WHERE uid = ANY(%s) FOR UPDATE",
        (uids,),
    ):
        rec = None if row[3] else _record(spec, row[8:])
        out[row[0]] = (rec, row[1], row[2], row[4], row[5], row[6], row[7])
    return out


def _owner_only(out: merge.Outcome, srv: tuple | None, login: str) -> None:
    """Only a passage's owner may change who sees it: anyone else's change of audience
    becomes a conflict that keeps the owner's choice (the server would refuse the row)."""
    if srv is None or srv[0] is None or out.row is None or srv[5] == login:
        return
    if out.row.get("audience", "workspace") != srv[0].get("audience", "workspace"):
        out.row = {**out.row, "audience": srv[0].get("audience", "workspace")}
        out.conflict = sorted({*out.conflict, "audience"})
        out.write = out.row != srv[0]


def _record(spec, values) -> dict:
    rec = dict(zip(spec.fields, values, strict=True))
    if "themes" in rec:
        rec["themes"] = sorted(rec["themes"] or [])
    return rec


def run(cur, entries: list[Entry], device: str) -> list[Result]:
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK,))
    login = cur.execute("SELECT current_user").fetchone()[0]
    done = {
        r[0]: r[1]
        for r in cur.execute(
            "SELECT change_id, version FROM sync_change WHERE change_id = ANY(%s)",
            ([e.change_id for e in entries],),
        )
    }
    by_tbl: dict[str, list[Entry]] = {}
    for e in entries:
        by_tbl.setdefault(e.tbl, []).append(e)
    results: list[Result] = []
    for tbl, group in by_tbl.items():
        spec = SPECS[tbl]
        current = _server_rows(cur, tbl, [e.uid for e in group])
        values = _values(spec)
        staged = []  # (op, change id, uid, fields..., version, deleted, device, at); op "-": log only
        for e in group:
            srv = current.get(e.uid)
            if e.change_id in done:
                results.append(Result(e, "duplicate", srv[1] if srv else 0, srv[0] if srv else None))
                continue
            if srv is None and e.base_version > 0:
                # the server has it (rows are never removed there) but no longer lets this login
                # read it: its owner narrowed who sees it. Nothing is written; the laptop keeps
                # its edit as a conflict.
                mine = sorted(merge.changed(spec, e.base, e.data)) if e.base is not None else []
                results.append(Result(e, "hidden", 0, None, mine or ["audience"]))
                continue
            if srv is None and e.base_version == 0:  # a new row: nothing to merge with
                out = merge.Outcome(e.data, e.data is not None)
            elif srv is not None and srv[1] == e.base_version:  # nobody else changed it: take it as it is
                out = merge.Outcome(e.data, True)
            elif srv is not None and srv[6] == device and srv[1] > e.base_version:
                # this laptop already sent a newer state: it was restored from an older backup,
                # and its older edit must not go over its own newer one
                results.append(Result(e, "stale", srv[1], srv[0]))
                staged.append(("-", e.change_id, e.uid, *spec.blank, srv[1], None, device, e.at))
                continue
            else:
                out = merge.merge(spec, e.base, e.data, srv[0] if srv else None, exists=srv is not None)
            if "audience" in spec.fields:
                _owner_only(out, srv, login)
            version = (srv[1] if srv else 0) + (1 if out.write else 0)
            res = Result(e, "applied", version, out.row, out.conflict)
            if out.conflict:
                res.status, res.theirs_by, res.theirs_at = "conflict", srv[3], srv[4]
            elif srv is not None and srv[1] != e.base_version:
                res.status = "merged" if out.write else "unchanged"
            if out.write:
                kept = out.row if out.row is not None else srv[0]  # a tombstone keeps what was deleted
                op = "i" if srv is None else "u"
                staged.append((op, e.change_id, e.uid, *values(kept), version, out.row is None, device, e.at))
            else:
                staged.append(("-", e.change_id, e.uid, *spec.blank, version, None, device, e.at))
            results.append(res)
        _write(cur, spec, staged)
    cur.execute("SELECT pg_notify('changes', %s)", (device,))  # listeners skip their own pushes
    return results


def _values(spec):
    """A record's field values in the table's order, as COPY takes them (this runs for every
    row pushed: itemgetter, and arrays as text literals, ~20x cheaper than psycopg's list dumper)."""
    get = itemgetter(*spec.fields)
    arrays = [i for i, f in enumerate(spec.fields) if f == "themes"]

    def values(rec: dict) -> tuple:
        try:
            out = get(rec)
        except KeyError:  # a record from an older replica may lack a newer field
            out = tuple(rec.get(f) for f in spec.fields)
        if arrays:
            out = list(out)
            for i in arrays:
                out[i] = pg_array(out[i] or ())
        return out

    return values if len(spec.fields) > 1 else (lambda rec: (rec.get(spec.fields[0]),))


def pg_array(items) -> str:
    """A text[] literal."""
    return "{" + ",".join('"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"' for x in items) + "}"


def _write(cur, spec, staged: list) -> None:
    """COPY the rows into a staging table, then one INSERT, one UPDATE and the change log
    from it (row-level security checks every row; COPY straight into such a table is not
    allowed). Rows marked "-" were not written and only go to the log."""
    if not staged:
        return
    tbl, fields = q(spec.name), [q(f) for f in spec.fields]
    names = ", ".join(["uid", *fields, "version", "deleted", "device", "changed_at"])
    cur.execute(stage_ddl(spec.name))
    with cur.copy(f"COPY stage_{spec.name} (op, change_id, {names}) FROM STDIN") as copy:
        for row in staged:
            copy.write_row(row)
    cur.execute(
        f"INSERT INTO {tbl} ({names}) SELECT {names} FROM stage_{spec.name} WHERE op = 'i' ORDER BY ord"
    )
    sets = ", ".join(f"{f} = s.{f}" for f in [*fields, "version", "deleted", "device", "changed_at"])
    cur.execute(
        f"UPDATE {tbl} t SET {sets}, seq = nextval('change_seq'), changed_by = current_user "
        f"FROM stage_{spec.name} s WHERE s.op = 'u' AND t.uid = s.uid"
    )
    cur.execute(
        "INSERT INTO sync_change (change_id, uid, tbl, version, device, at) "
        f"SELECT change_id, uid, %s, version, device, changed_at FROM stage_{spec.name} ORDER BY ord",
        (spec.name,),
    )
