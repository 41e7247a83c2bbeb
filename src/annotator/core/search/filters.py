"""Filters (theme:, doc:, witness:, day:, kind:, tagged:, note:, author:, ocr:low) to SQL scope.

Document filters are resolved in Python against the document table (small:
one row per document) into a set of ids, so the big queries only ever test
indexed integer columns. The same key given twice means either value;
different keys must all hold.
"""

from typing import TYPE_CHECKING, Any
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field

from annotator.core.library.documents import KINDS
from annotator.core.search.parser import Term, _note, has_word

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

_DAYS = re.compile(r"^\s*(\d{1,5})\s*(?:(?:-|–|\.\.|to)\s*(\d{1,5}))?\s*$", re.IGNORECASE)
_YES = {"yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off"}


@dataclass
class Scope:
    doc_ids: set[int] | None = None  # None: every document
    theme_ids: set[int] | None = None  # passages having any of these
    tagged: bool | None = None
    columns: list[tuple[str, Term]] = field(default_factory=list)  # note/author matches
    empty: bool = False  # a filter matched nothing
    ocr_low: bool = False  # only lines holding a word OCR was unsure of (ocr:low)

    @property
    def lines(self) -> bool:
        """Line hits are possible (passage-only filters exclude them)."""
        return not self.empty and self.theme_ids is None and self.tagged is not True and not self.columns

    @property
    def passages(self) -> bool:
        return not self.empty and self.tagged is not False and not self.ocr_low


def fold(value: str) -> str:
    """Lower case without accents, for matching names typed loosely."""
    norm = unicodedata.normalize("NFKD", value or "")
    return "".join(ch for ch in norm if not unicodedata.combining(ch)).casefold()


def _docs_matching(docs: list[tuple[Any, ...]], key: str, value: str, notices: list[str]) -> set[int] | None:
    """Ids of documents for one filter value; None when the value is not understood."""
    v = fold(value)
    if key == "doc":
        exact = {d[0] for d in docs if v in (str(d[0]), fold(d[1]), fold(d[2]), fold(d[3]))}
        if exact:
            return exact
        return {d[0] for d in docs if (d[1] and fold(d[1]).startswith(v)) or v in fold(d[2])}
    if key == "witness":
        return {d[0] for d in docs if v and v in fold(d[4])}
    if key == "kind":
        kinds = {k for k in KINDS if k.startswith(v)}
        if not kinds:
            _note(notices, f"kind:{value} is not a kind; use one of: {', '.join(KINDS)}.")
            return None
        return {d[0] for d in docs if d[5] in kinds}
    if key == "day":
        m = _DAYS.match(value)
        if not m:
            _note(notices, f"day:{value} was not understood; use day:45 or day:40-50.")
            return None
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        lo, hi = min(lo, hi), max(lo, hi)
        return {d[0] for d in docs if d[6] is not None and lo <= d[6] <= hi}
    return None


def _theme_ids(conn: sqlite3.Connection, value: str, notices: list[str]) -> set[int]:
    rows = conn.execute("SELECT id, name, parent_id FROM theme").fetchall()
    v = fold(value)
    found = {r[0] for r in rows if fold(r[1]) == v} or {r[0] for r in rows if fold(r[1]).startswith(v)}
    if not found:
        _note(notices, f"No theme called '{value}'.")
        return set()
    # nested themes: a parent includes its children
    children: dict[int, list[int]] = {}
    for r in rows:
        if r[2] is not None:
            children.setdefault(r[2], []).append(r[0])
    todo, out = list(found), set()
    while todo:
        tid = todo.pop()
        if tid not in out:
            out.add(tid)
            todo.extend(children.get(tid, []))
    return out


def resolve(conn: sqlite3.Connection, filters: list[tuple[str, str]], notices: list[str]) -> Scope:
    scope = Scope()
    by_key: dict[str, list[str]] = {}
    for key, value in filters:
        by_key.setdefault(key, []).append(value)
    doc_keys = [k for k in ("doc", "witness", "kind", "day") if k in by_key]
    if doc_keys:
        docs = conn.execute("SELECT id, urn, title, filename, witness, kind, day FROM document").fetchall()
        for key in doc_keys:
            ids: set[int] = set()
            understood = False
            for value in by_key[key]:
                got = _docs_matching(docs, key, value, notices)
                if got is not None:
                    understood = True
                    ids |= got
                    if not got:
                        _note(notices, f"No document matches {key}:{value}.")
            if understood:
                scope.doc_ids = ids if scope.doc_ids is None else scope.doc_ids & ids
    if "theme" in by_key:
        scope.theme_ids = set()
        for value in by_key["theme"]:
            scope.theme_ids |= _theme_ids(conn, value, notices)
        if not scope.theme_ids:
            scope.empty = True
    if "tagged" in by_key:
        answers = {v.strip().lower() for v in by_key["tagged"]}
        yes, no = bool(answers & _YES), bool(answers & _NO)
        if yes != no:
            scope.tagged = yes
        else:
            _note(notices, "tagged: takes yes or no; it was ignored.")
    for value in by_key.get("ocr", []):
        if value.strip().lower() == "low":
            scope.ocr_low = True
        else:
            _note(notices, "ocr: takes low (lines with words OCR was unsure of); it was ignored.")
    for key in ("note", "author"):
        for value in by_key.get(key, []):
            value = " ".join(value.split())
            if has_word(value):
                prefix = value.endswith("*")
                scope.columns.append((key, Term(value.rstrip("*").strip(), prefix, " " in value)))
            else:
                _note(notices, f"{key}:{value} has no letters or digits; it was ignored.")
    if scope.doc_ids is not None and not scope.doc_ids:
        scope.empty = True
    return scope


def choices(ws: "Workspace", key: str) -> list[tuple[str, str]]:
    """(label, value) pairs offered for a filter key (doc, witness, day) in the search bar."""
    sql = {
        "doc": "SELECT id, title, urn FROM document ORDER BY position, id",
        "witness": "SELECT DISTINCT witness FROM document WHERE witness <> '' ORDER BY witness",
        "day": "SELECT DISTINCT day FROM document WHERE day IS NOT NULL ORDER BY day",
    }[key]
    raw = ws.engine.raw_connection()
    try:
        con = raw.driver_connection
        assert con is not None
        rows = con.execute(sql).fetchall()
    finally:
        raw.close()
    if key == "doc":
        return [(f"{urn} — {title}" if urn else title, str(i)) for i, title, urn in rows]
    if key == "witness":
        return [(r[0], r[0]) for r in rows]
    return [(f"Day {r[0]}", str(r[0])) for r in rows]
