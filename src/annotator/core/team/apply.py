"""Writing server records into the replica (pulls, push results, resolutions).

Runs inside a quiet transaction (team.local.transaction(quiet=True)): the
change triggers stay still, so rows written here are not sent back. The
full-text index follows through its own triggers, so search stays local.
"""

import sqlite3

from annotator.core.team import local
from annotator.core.team.tables import SPECS


class Applier:
    """Writes records of one pull (or push result) into the replica; caches uid -> id maps."""

    def __init__(self, raw: sqlite3.Connection):
        self.raw = raw
        self.ids: dict[str, dict[str, int]] = {}
        self.inserted: dict[str, list[str]] = {}  # table -> uids created locally

    def _ids(self, tbl: str) -> dict[str, int]:
        if tbl not in self.ids:
            self.ids[tbl] = local.local_ids(self.raw, tbl)
        return self.ids[tbl]

    def local_id(self, tbl: str, uid: str | None) -> int | None:
        return None if uid is None else self._ids(tbl).get(uid)

    def set_base(self, tbl: str, uid: str, version: int, rec: dict | None) -> None:
        self.raw.execute(
            "INSERT OR REPLACE INTO sync_base(uid, tbl, version, data) VALUES (?, ?, ?, ?)",
            (uid, tbl, version, local.dumps(rec)),
        )

    def put(self, tbl: str, uid: str, rec: dict | None) -> bool:
        """Make the local row match `rec` (None: remove it). False when it cannot be
        placed (what it points to is not on this replica, e.g. a private passage)."""
        spec = SPECS[tbl]
        if tbl == "setting":
            if rec is not None:
                self.raw.execute(
                    "INSERT OR REPLACE INTO setting(key, value) VALUES (?, ?)", (rec["key"], rec["value"])
                )
            return True
        lid = self.local_id(tbl, uid)
        if rec is None:
            if lid is not None:
                self._remove(tbl, lid)
                del self._ids(tbl)[uid]
                self.raw.execute("DELETE FROM sync_map WHERE tbl = ? AND local_id = ?", (tbl, lid))
            return True
        values = {}
        for c in spec.columns:
            v = rec.get(c)
            if c in spec.refs:
                v = self.local_id(spec.refs[c], v)
                if v is None and rec.get(c) is not None and c != "parent_id":
                    return False
            values[c] = v
        cols = list(values)
        if lid is None:
            marks = ", ".join("?" * len(cols))
            names = ", ".join('"' + c + '"' for c in cols)
            cur = self.raw.execute(
                f"INSERT INTO {tbl} ({names}) VALUES ({marks})",
                [values[c] for c in cols],
            )
            lid = cur.lastrowid
            self.raw.execute("INSERT INTO sync_map(tbl, local_id, uid) VALUES (?, ?, ?)", (tbl, lid, uid))
            self._ids(tbl)[uid] = lid
            self.inserted.setdefault(tbl, []).append(uid)
            if tbl == "theme":
                self._relink(uid, lid)
        elif not spec.insert_only:
            sets = ", ".join(f'"{c}" = ?' for c in cols)
            self.raw.execute(f"UPDATE {tbl} SET {sets} WHERE id = ?", [values[c] for c in cols] + [lid])
        if tbl == "passage":
            self._passage_extras(lid, rec)
        return True

    def _relink(self, uid: str, tid: int) -> None:
        """A theme back on this laptop (a conflict kept it) goes back on the passages the server gives it to."""
        for puid, data in self.raw.execute(
            "SELECT uid, data FROM sync_base WHERE tbl = 'passage' AND instr(data, ?) > 0", (uid,)
        ).fetchall():
            pid = self.local_id("passage", puid)
            if pid is not None and uid in (local.loads(data) or {}).get("themes", []):
                self.raw.execute(
                    "INSERT OR IGNORE INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", (pid, tid)
                )

    def _passage_extras(self, pid: int, rec: dict) -> None:
        want = {self.local_id("theme", t) for t in rec.get("themes") or []} - {None}
        have = {
            r[0] for r in self.raw.execute("SELECT theme_id FROM passage_theme WHERE passage_id = ?", (pid,))
        }
        for tid in have - want:
            self.raw.execute("DELETE FROM passage_theme WHERE passage_id = ? AND theme_id = ?", (pid, tid))
        for tid in want - have:
            self.raw.execute("INSERT INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", (pid, tid))
        audience = rec.get("audience") or "workspace"
        self.raw.execute(
            "INSERT OR REPLACE INTO team_audience(passage_id, audience) VALUES (?, ?)", (pid, audience)
        )

    def _remove(self, tbl: str, lid: int) -> None:
        raw = self.raw
        if tbl == "theme":
            parent = raw.execute("SELECT parent_id FROM theme WHERE id = ?", (lid,)).fetchone()[0]
            raw.execute("UPDATE theme SET parent_id = ? WHERE parent_id = ?", (parent, lid))
            raw.execute("DELETE FROM passage_theme WHERE theme_id = ?", (lid,))
        elif tbl == "passage":
            raw.execute(
                "DELETE FROM sync_map WHERE tbl = 'link' AND local_id IN "
                "(SELECT id FROM link WHERE source_id = ? OR target_id = ?)",
                (lid, lid),
            )
            raw.execute("DELETE FROM link WHERE source_id = ? OR target_id = ?", (lid, lid))
            raw.execute("DELETE FROM passage_theme WHERE passage_id = ?", (lid,))
            raw.execute("DELETE FROM team_audience WHERE passage_id = ?", (lid,))
        elif tbl == "document":
            for (pid,) in raw.execute("SELECT id FROM passage WHERE document_id = ?", (lid,)).fetchall():
                self._remove("passage", pid)
                raw.execute("DELETE FROM sync_map WHERE tbl = 'passage' AND local_id = ?", (pid,))
            raw.execute("DELETE FROM line WHERE document_id = ?", (lid,))
            raw.execute("DELETE FROM page WHERE document_id = ?", (lid,))
        elif tbl == "audit":
            return  # the audit log is append-only: an entry is never taken back
        raw.execute(f"DELETE FROM {tbl} WHERE id = ?", (lid,))
