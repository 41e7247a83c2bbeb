"""What goes into an export: the user's choice, and the passages it yields."""

from typing import Any, TYPE_CHECKING
import functools
from collections import namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields

from sqlmodel import Session, col, select

from annotator.core.util.errors import InvalidInput
from annotator.core.store.models import Passage, Theme, saved_id
from annotator.core.store import settings
from annotator.core.store.workspace import sqlite_of

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

ORDERS = settings.EXPORT_ORDERS
NUMBERING = settings.EXPORT_NUMBERING


@dataclass
class Selection:
    themes: list[int] = field(default_factory=list)  # empty: every theme (and untagged)
    theme_mode: str = "any"  # any | all
    documents: list[int] = field(default_factory=list)  # empty: every document
    witnesses: list[str] = field(default_factory=list)
    day_from: int | None = None
    day_to: int | None = None
    date_from: str = ""  # ISO dates, compared with the document's date
    date_to: str = ""
    important_only: bool = False
    notes: bool = True
    source_pages: bool = False
    order: str = "theme"  # theme | document | witness
    title: str = ""
    letter: str = ""
    numbering: str = "plain"  # plain: 12 | prefix: C12 | tab: 2-5 (tab 2, page 5)

    def check(self) -> "Selection":
        if self.theme_mode not in ("any", "all"):
            raise InvalidInput("Theme matching must be 'any' or 'all'.")
        if self.order not in ORDERS:
            raise InvalidInput(f"Order must be one of: {', '.join(ORDERS)}.")
        if self.numbering not in NUMBERING:
            raise InvalidInput(f"Page numbering must be one of: {', '.join(NUMBERING)}.")
        if self.day_from is not None and self.day_to is not None and self.day_from > self.day_to:
            raise InvalidInput("The day range ends before it starts.")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInput("The date range ends before it starts.")
        return self

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Selection":
        """Tolerant of unknown or missing keys (settings written by other versions)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def describe(self, theme_names: dict[int, str], doc_titles: dict[int, str]) -> list[str]:
        """Plain sentences for the cover page."""
        out = []
        if self.themes:
            names = [theme_names.get(t, f"#{t}") for t in self.themes]
            word = "all of" if self.theme_mode == "all" and len(names) > 1 else "any of"
            out.append(f"Themes: {word} {', '.join(names)}")
        else:
            out.append("Themes: all")
        if self.documents:
            out.append("Documents: " + "; ".join(doc_titles.get(d, f"#{d}") for d in self.documents))
        if self.witnesses:
            out.append("Witnesses: " + ", ".join(self.witnesses))
        if self.day_from is not None or self.day_to is not None:
            out.append(f"Hearing days: {self.day_from or 'first'} to {self.day_to or 'last'}")
        if self.date_from or self.date_to:
            out.append(f"Dates: {self.date_from or 'earliest'} to {self.date_to or 'latest'}")
        if self.important_only:
            out.append("Only passages marked important")
        out.append("Notes: " + ("included" if self.notes else "not included"))
        out.append("Source pages: " + ("included" if self.source_pages else "not included"))
        return out


def parse_days(text: str) -> tuple[int | None, int | None]:
    """'45', '40-45', '40-' or '-45' to a (from, to) pair."""
    text = (text or "").strip()
    if not text:
        return None, None
    a, sep, b = text.partition("-")
    try:
        lo = int(a) if a.strip() else None
        hi = (int(b) if b.strip() else None) if sep else lo
    except ValueError:
        raise InvalidInput(f"'{text}' is not a day range; write e.g. 40-45.") from None
    return lo, hi


def descendants(themes: list[Theme], roots: list[int]) -> dict[int, int]:
    """Each theme id under the chosen roots (inclusive) mapped to its chosen root."""
    children: dict[int | None, list[int]] = {}
    for t in themes:
        children.setdefault(t.parent_id, []).append(saved_id(t))
    out: dict[int, int] = {}
    for root in roots:
        stack = [root]
        while stack:
            tid = stack.pop()
            if tid in out:
                continue
            out[tid] = root
            stack.extend(children.get(tid, []))
    return out


def query(s: Session, sql: str, params: Sequence[object] = ()) -> list[Any]:
    """Rows as named tuples straight from the SQLite driver. For a bundle's thousands
    of rows, ORM objects and SQLAlchemy's statement compiling cost more than the
    queries themselves."""
    raw = sqlite_of(s)
    assert raw is not None
    cur = raw.execute(sql, params)
    return list(map(_record(tuple(d[0] for d in cur.description))._make, cur.fetchall()))


@functools.cache
def _record(names: tuple[str, ...]) -> Any:  # a namedtuple class
    return namedtuple("Record", names)


def by_ids(s: Session, sql: str, ids: Iterable[int]) -> list[Any]:
    """`sql` ending in "IN ({})", run for the ids in chunks SQLite accepts."""
    ids = list(ids)
    out: list[Any] = []
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        out += query(s, sql.format(",".join("?" * len(chunk))), chunk)
    return out


def passage_rows(s: Session, sel: Selection, columns: str = "*") -> list[Any]:
    """Live passages the selection yields (unordered), as records of the passage table
    (`columns`: the ones wanted, which must include id, document_id and day)."""
    sel.check()
    where: list[str] = ["deleted_at IS NULL"]
    params: list[object] = []
    if sel.documents:
        where.append(f"document_id IN ({','.join('?' * len(sel.documents))})")
        params += list(sel.documents)
    if sel.important_only:
        where.append("important = 1")
    docs = []
    if sel.witnesses:
        docs.append(f"witness IN ({','.join('?' * len(sel.witnesses))})")
        params += list(sel.witnesses)
    if sel.date_from:
        docs.append("date >= ? AND date != ''")
        params.append(sel.date_from)
    if sel.date_to:
        docs.append("date <= ? AND date != ''")
        params.append(sel.date_to + "~")
    if docs:
        where.append(f"document_id IN (SELECT id FROM document WHERE {' AND '.join(docs)})")
    rows = query(s, f"SELECT {columns} FROM passage WHERE {' AND '.join(where)}", params)
    if sel.day_from is not None or sel.day_to is not None:
        lo = sel.day_from if sel.day_from is not None else -(10**9)
        hi = sel.day_to if sel.day_to is not None else 10**9
        days = dict(query(s, "SELECT id, day FROM document"))
        rows = [p for p in rows if (d := _day(p, days)) is not None and lo <= d <= hi]
    if sel.themes:
        mapping = descendants(query(s, "SELECT id, parent_id FROM theme"), sel.themes)
        by_p: dict[int, set[int]] = {}
        raw = sqlite_of(s)
        assert raw is not None
        for pid, tid in raw.execute(
            "SELECT passage_id, theme_id FROM passage_theme "
            f"WHERE theme_id IN ({','.join(str(int(t)) for t in mapping)})"
        ):
            by_p.setdefault(pid, set()).add(mapping[tid])
        want = set(sel.themes)
        if sel.theme_mode == "all":
            rows = [p for p in rows if by_p.get(p.id, set()) >= want]
        else:
            rows = [p for p in rows if by_p.get(p.id)]
    return rows


def passages(s: Session, sel: Selection) -> list[Passage]:
    """The same passages as ORM objects (unordered)."""
    ids = [p.id for p in passage_rows(s, sel)]
    out: list[Passage] = []
    for i in range(0, len(ids), 900):
        out += s.exec(select(Passage).where(col(Passage.id).in_(ids[i : i + 900])))
    return out


def _day(p: Any, days: dict[int, int | None]) -> int | None:
    return p.day if p.day is not None else days.get(p.document_id)


def count(ws: "Workspace", sel: Selection) -> tuple[int, int]:
    """(passages, source pages) the selection yields, for the dialog's live summary."""
    with ws.session() as s:  # not the quotes, notes and word boxes: 100,000 of them weigh a lot
        rows = passage_rows(s, sel, "id, document_id, day, start_page, end_page")
    pages = {(p.document_id, i) for p in rows for i in range(p.start_page, p.end_page + 1)}
    return len(rows), len(pages)
