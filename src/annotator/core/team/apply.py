"""Writing server records into the replica (pulls, push results, resolutions).

Runs inside a quiet transaction (team.local.transaction(quiet=True)): the
change triggers stay still, so rows written here are not sent back. The
full-text index follows through its own triggers, so search stays local.
"""

import sqlite3
from operator import itemgetter
from collections.abc import Iterator
from contextlib import contextmanager

from annotator.core.store import index
from annotator.core.team import local
from annotator.core.team.tables import SPECS


class Applier:
    """Writes records of one pull (or push result) into the replica; caches uid -> id maps."""

    def __init__(self, raw: sqlite3.Connection):
        self.raw = raw
        self.ids: dict[str, dict[str, int]] = {}
        self.inserted: dict[str, list[str]] = {}  # table -> uids created locally
        self.bases: list[tuple] = []  # written by flush()
        self.touched: set[int] = set()  # passages whose full-text entry must be refreshed

    def _ids(self, tbl: str) -> dict[str, int]:
        if tbl not in self.ids:
            self.ids[tbl] = local.local_ids(self.raw, tbl)
        return self.ids[tbl]

    def local_id(self, tbl: str, uid: str | None) -> int | None:
        return None if uid is None else self._ids(tbl).get(uid)

    def set_base(self, tbl: str, uid: str, version: int, rec: dict | None, text: str | None = None) -> None:
        """The state last agreed with the server (`text`: `rec` already in JSON). Rows
        never edited after their insert (the audit log) keep only the version."""
        if SPECS[tbl].insert_only:
            text, rec = None, None
        self.bases.append((uid, tbl, version, text if text is not None else local.dumps(rec)))
        if len(self.bases) >= 5000:
            self.flush()

    def flush(self) -> None:
        self.raw.executemany(
            "INSERT OR REPLACE INTO sync_base(uid, tbl, version, data) VALUES (?, ?, ?, ?)", self.bases
        )
        self.bases = []

    def insert_many(self, tbl: str, items: list[tuple]) -> list[tuple]:
        """Rows new to this replica, (uid, version, record, record's JSON or None) each, written
        in bulk with ids chosen here; returns those placed (a row whose references are missing
        is left out)."""
        spec = SPECS[tbl]
        ids = self._ids(tbl)
        next_id = self.raw.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {tbl}").fetchone()[0]
        for uid, *_rest in items:  # ids first: a theme's parent may come in the same batch
            ids[uid], next_id = next_id, next_id + 1
        rows, placed = [], []
        get = itemgetter(*spec.columns)
        refs = [(i, c, self._ids(spec.refs[c])) for i, c in enumerate(spec.columns) if c in spec.refs]
        for item in items:
            uid, rec = item[0], item[2]
            try:
                values = list(get(rec))
            except KeyError:  # a record from an older replica may lack a newer field
                values = [rec.get(c) for c in spec.columns]
            for i, c, id_of in refs:
                if values[i] is not None:
                    values[i] = id_of.get(values[i])
                    if values[i] is None and c != "parent_id":  # what it points to is not here
                        del ids[uid]
                        break
            else:
                rows.append([ids[uid], *values])
                placed.append(item)
        names = ", ".join(['"id"'] + ['"' + c + '"' for c in spec.columns])
        marks = ", ".join("?" * (len(spec.columns) + 1))
        self.raw.executemany(f"INSERT INTO {tbl} ({names}) VALUES ({marks})", rows)
        self.raw.executemany(
            "INSERT INTO sync_map(tbl, local_id, uid) VALUES (?, ?, ?)",
            [(tbl, ids[u], u) for u, *_rest in placed],
        )
        self.inserted.setdefault(tbl, []).extend(u for u, *_rest in placed)
        if tbl == "passage":
            themes, audiences = [], []
            for uid, _v, rec, *_text in placed:
                pid = ids[uid]
                self.touched.add(pid)
                themes += [
                    (pid, t) for t in {self.local_id("theme", x) for x in rec.get("themes") or []} if t
                ]
                if (rec.get("audience") or "workspace") != "workspace":
                    audiences.append((pid, rec["audience"]))
            self.raw.executemany("INSERT INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", themes)
            self.raw.executemany("INSERT INTO team_audience(passage_id, audience) VALUES (?, ?)", audiences)
        if tbl == "theme":
            for uid, *_rest in placed:
                self._relink(uid, ids[uid])
        for uid, version, rec, *text in placed:
            self.set_base(tbl, uid, version, rec, text[0] if text else None)
        return placed

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
        created = lid is None
        if created:
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
            self._passage_extras(lid, rec, new=created)
            self.touched.add(lid)
        return True

    def retract(self, tbl: str, uid: str) -> bool:
        """Drop the copy of a row this login may no longer read (no deletion is sent for it)."""
        self.flush()
        here = self.local_id(tbl, uid) is not None
        if here:
            self.put(tbl, uid, None)
        self.raw.execute("DELETE FROM sync_base WHERE uid = ?", (uid,))
        return here

    @contextmanager
    def deferred_index(self) -> Iterator[None]:
        """Many rows at once: the passages' full-text entries are written once at the end
        rather than by a trigger per row (twice per passage with themes)."""
        for name in index.PASSAGE_TRIGGERS:
            self.raw.execute(f"DROP TRIGGER IF EXISTS {name}")
        yield
        self.flush()
        index.refresh_passages(self.raw, self.touched)
        for name in index.PASSAGE_TRIGGERS:
            self.raw.execute(index.trigger(name))

    def _relink(self, uid: str, tid: int) -> None:
        """A theme back on this laptop (a conflict kept it) goes back on the passages the server gives it to."""
        self.flush()
        for puid, data in self.raw.execute(
            "SELECT uid, data FROM sync_base WHERE tbl = 'passage' AND instr(data, ?) > 0", (uid,)
        ).fetchall():
            pid = self.local_id("passage", puid)
            if pid is not None and uid in (local.loads(data) or {}).get("themes", []):
                self.raw.execute(
                    "INSERT OR IGNORE INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", (pid, tid)
                )

    def _passage_extras(self, pid: int, rec: dict, new: bool) -> None:
        want = {self.local_id("theme", t) for t in rec.get("themes") or []} - {None}
        have = set()
        if not new:
            have = {
                r[0]
                for r in self.raw.execute("SELECT theme_id FROM passage_theme WHERE passage_id = ?", (pid,))
            }
        for tid in have - want:
            self.raw.execute("DELETE FROM passage_theme WHERE passage_id = ? AND theme_id = ?", (pid, tid))
        for tid in want - have:
            self.raw.execute("INSERT INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", (pid, tid))
        audience = rec.get("audience") or "workspace"
        if not new or audience != "workspace":  # no row means the whole workspace
            self.raw.execute(
                "INSERT OR REPLACE INTO team_audience(passage_id, audience) VALUES (?, ?)", (pid, audience)
            )

    def _remove(self, tbl: str, lid: int) -> None:
        raw = self.raw
        if tbl == "theme":
            parent = raw.execute("SELECT parent_id FROM theme WHERE id = ?", (lid,)).fetchone()[0]
            raw.execute("UPDATE theme SET parent_id = ? WHERE parent_id = ?", (parent, lid))
            self.touched |= {
                r[0] for r in raw.execute("SELECT passage_id FROM passage_theme WHERE theme_id = ?", (lid,))
            }
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
            for table in ("line", "page", "ocr_word", "ocr_page"):
                raw.execute(f"DELETE FROM {table} WHERE document_id = ?", (lid,))
        elif tbl == "audit":
            return  # the audit log is append-only: an entry is never taken back
        raw.execute(f"DELETE FROM {tbl} WHERE id = ?", (lid,))
