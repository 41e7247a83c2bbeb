"""What an operation changed, and the command that can undo and redo it.

Every user action is a Command (in the manner of git-cola): a typed object
holding its parameters. `do()` runs the action once and keeps, as explicit
undo data, every row it changed as it was before and after. `undo()` writes
the "before" rows back and `redo()` the "after" rows: both are exact (same
ids, same timestamps) and neither re-runs the action's logic, so a redo can
never do something else than the first time (a merge redone is the same
merge, never a delete).

A command names the rows it may touch with `scope()`, read before and after
the action: before, it must name every existing row the action may change;
rows it names only afterwards must be ones the action created.
"""

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from sqlmodel import Session

from annotator.core.store import index
from annotator.core.store.workspace import sqlite_of

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

# Tables a command may change, parents first: rows go back in this order and
# are removed in the reverse one. Each with its primary key columns.
TABLES: dict[str, tuple[str, ...]] = {
    "blob": ("sha256",),
    "document": ("id",),
    "document_version": ("id",),
    "page": ("id",),
    "line": ("id",),
    "ocr_page": ("document_id", "page_index"),
    "ocr_word": ("id",),
    "theme": ("id",),
    "passage": ("id",),
    "passage_theme": ("passage_id", "theme_id"),
    "link": ("id",),
    "saved_search": ("id",),
    "team_audience": ("passage_id",),
}

# (table, SQL condition) pairs; conditions hold only numbers (see `ints`).
Scope = list[tuple[str, str]]
# A row as SQLite gives it, and its primary key's values.
SqlRow = tuple[Any, ...]
Key = tuple[Any, ...]
# Rows a scope names, by table: (the table's columns, {key: row}).
Image = dict[str, tuple[list[str], dict[Key, SqlRow]]]


@dataclass
class Change:
    summary: str
    passages: set[int] = field(default_factory=set)
    themes: bool = False
    documents: bool = False
    links: bool = False
    result: Any = None  # e.g. the new passage id
    command: "Command | None" = None  # what undoes and redoes it


def ints(values: Iterable[int | str]) -> str:
    """A list of ids as SQL text (ints only, so nothing can be injected)."""
    return ",".join(str(int(v)) for v in values) or "NULL"


def raw(s: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session, inside its transaction."""
    return sqlite_of(s)


@dataclass
class Rows:
    """Undo data for one table: each changed row before and after (None: absent)."""

    table: str
    cols: list[str]
    rows: dict[Key, tuple[SqlRow | None, SqlRow | None]]


class Command:
    """One undoable action. Subclasses are dataclasses holding the parameters
    and define `action` (the audit log's name), `scope()` and `apply()`."""

    action: ClassVar[str] = ""
    # set by do(); plain annotations, not dataclass fields (this base is no dataclass)
    _undo: list[Rows] | None
    _change: Change

    def details(self) -> dict[str, object]:
        """What the audit log keeps about the action."""
        return {}

    def scope(self, s: Session) -> Scope:
        raise NotImplementedError

    def apply(self, ws: "Workspace", s: Session) -> Change:
        """The action itself, inside the write transaction; raises on bad input."""
        raise NotImplementedError

    # ---- do, undo, redo ------------------------------------------------
    def do(self, ws: "Workspace") -> Change:
        if getattr(self, "_undo", None) is not None:
            raise RuntimeError("A command is done once; use redo() after undo().")
        with ws.write(self.action, self.details()) as s:
            conn = raw(s)
            scope = self.scope(s)
            before = _read(conn, scope)
            change = self.apply(ws, s)
            s.flush()
            # the scope as it was and as it is now: a deleted theme no longer names its
            # heir, and a new row is only known after the action
            after = _read(conn, scope + self.scope(s), also=before)
        self._undo = _diff(before, after)
        change.command = self
        self._change = change
        return change

    def undo(self, ws: "Workspace") -> Change:
        return self._put(ws, 0, "undo")

    def redo(self, ws: "Workspace") -> Change:
        return self._put(ws, 1, "redo")

    def _put(self, ws: "Workspace", side: int, verb: str) -> Change:
        data = getattr(self, "_undo", None)
        if data is None:
            raise RuntimeError(f"Nothing to {verb}: the command was never done.")
        with ws.write(f"{verb} {self.action}", {"summary": self._change.summary}) as s:
            _write(raw(s), data, side)
        return replace(
            self._change,
            summary=f"{verb.title()} {self._change.summary[:1].lower()}{self._change.summary[1:]}",
        )


# ---- row images ------------------------------------------------------------
def _cols(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _read(conn: sqlite3.Connection, scope: Scope, also: Image | None = None) -> Image:
    """{table: (columns, {key: row})} for the rows the scope names now, plus
    (by key) the rows `also` held, wherever they went."""
    out: Image = {}
    for table, where in scope:
        cols, rows = out.get(table) or (_cols(conn, table), {})
        pk = [cols.index(c) for c in TABLES[table]]
        for row in conn.execute(f'SELECT * FROM "{table}" WHERE {where}'):
            rows[tuple(row[i] for i in pk)] = row
        out[table] = (cols, rows)
    for table, (cols, old) in (also or {}).items():
        got = out.setdefault(table, (cols, {}))[1]
        missing = [k for k in old if k not in got]
        names = ", ".join(TABLES[table])
        pk = [cols.index(c) for c in TABLES[table]]
        for i in range(0, len(missing), 500):
            part = missing[i : i + 500]
            marks = ", ".join("(" + ", ".join("?" * len(k)) + ")" for k in part)
            flat = [v for k in part for v in k]
            for row in conn.execute(f'SELECT * FROM "{table}" WHERE ({names}) IN (VALUES {marks})', flat):
                got[tuple(row[j] for j in pk)] = row
    return out


def _diff(before: Image, after: Image) -> list[Rows]:
    out: list[Rows] = []
    for table in TABLES:
        if table not in before and table not in after:
            continue
        cols, b = before.get(table) or (after[table][0], {})
        a = after.get(table, (cols, {}))[1]
        changed = {k: (b.get(k), a.get(k)) for k in b.keys() | a.keys() if b.get(k) != a.get(k)}
        if changed:
            out.append(Rows(table, cols, changed))
    return out


def _write(conn: sqlite3.Connection, data: list[Rows], side: int) -> None:
    """Make every row of `data` what it was on `side` (0 before, 1 after).
    Foreign keys are checked at commit, so the order of rows within a table
    does not matter (a theme and its sub-themes come back together)."""
    conn.execute("PRAGMA defer_foreign_keys = ON")
    lines = next((r for r in data if r.table == "line"), None)
    if lines is not None:  # index lines in bulk, not by a trigger per line
        _index_lines(conn, lines, side, drop=True)
    for rows in reversed(data):  # removals, children first
        where = " AND ".join(f'"{c}" = ?' for c in TABLES[rows.table])
        gone = [k for k, pair in rows.rows.items() if pair[side] is None]
        if gone:
            conn.executemany(f'DELETE FROM "{rows.table}" WHERE {where}', gone)
    for rows in data:  # the rest, parents first
        where = " AND ".join(f'"{c}" = ?' for c in TABLES[rows.table])
        names = ", ".join(f'"{c}"' for c in rows.cols)
        marks = ", ".join("?" * len(rows.cols))
        new = [
            row for pair in rows.rows.values() if (row := pair[side]) is not None and pair[1 - side] is None
        ]
        if new:
            conn.executemany(f'INSERT INTO "{rows.table}" ({names}) VALUES ({marks})', new)
        for key, pair in rows.rows.items():
            now, want = pair[1 - side], pair[side]
            if now is None or want is None:
                continue
            # only the columns that differ, so e.g. the full-text index is
            # touched only when the text itself changes
            diff = [i for i, (x, y) in enumerate(zip(now, want, strict=True)) if x != y]
            sets = ", ".join(f'"{rows.cols[i]}" = ?' for i in diff)
            conn.execute(
                f'UPDATE "{rows.table}" SET {sets} WHERE {where}', [want[i] for i in diff] + list(key)
            )
    if lines is not None:
        _index_lines(conn, lines, side, drop=False)


_LINE_TRIGGERS = ("line_fts_ai", "line_fts_ad", "line_fts_au")
_BATCH = 10_000


def _index_lines(conn: sqlite3.Connection, rows: Rows, side: int, drop: bool) -> None:
    """Before the writes (drop=True): take the old texts out of the line index
    and the triggers off; after them: put the new texts in and the triggers back."""
    text = rows.cols.index("text")
    # only rows that come, go or change their text (a new day leaves the index alone)
    moved = [
        (key[0], pair)
        for key, pair in rows.rows.items()
        if pair[0] is None or pair[1] is None or pair[0][text] != pair[1][text]
    ]
    if drop:
        old = [lid for lid, pair in moved if pair[1 - side] is not None]
        for i in range(0, len(old), _BATCH):
            conn.execute(
                "INSERT INTO line_fts(line_fts, rowid, text) SELECT 'delete', id, text FROM line "
                f"WHERE id IN ({ints(old[i : i + _BATCH])})"
            )
        for name in _LINE_TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    new = [lid for lid, pair in moved if pair[side] is not None]
    for i in range(0, len(new), _BATCH):  # a statement per batch: 5 times faster than per row
        conn.execute(
            f"INSERT INTO line_fts(rowid, text) SELECT id, text FROM line WHERE id IN ({ints(new[i : i + _BATCH])})"
        )
    for name in _LINE_TRIGGERS:
        conn.execute(index.trigger(name))
