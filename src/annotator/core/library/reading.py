"""What a reading view needs from the workspace: passages to highlight, places to go to.

A place is (document id, page index, char start, char end) in Page.text
coordinates, the same positions passages and lines use.
"""

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from annotator.core.evidence import areas, citations

from annotator.core.store import settings
from annotator.core.util import gcpause
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import Document, Line, Link, Page, Passage, PassageTheme, Theme, saved_id
from annotator.core.library.render import lanes
from annotator.core.store.workspace import sqlite_of


@dataclass
class Mark:
    """One passage as drawn in a view."""

    id: int
    start: tuple[int, int]  # (page, char)
    end: tuple[int, int]
    theme_ids: list[int]
    colours: list[str]
    themes: list[str]
    note: str
    lane: int = 0
    links: int = 0
    area: list | None = None  # [page, x0, y0, x1, y1]: an area, drawn as its rectangle
    label: str = ""  # what an area without text shows ("signature"), as its quote says

    @property
    def is_area(self) -> bool:
        return self.area is not None


@dataclass
class Place:
    document_id: int
    page: int = 0
    start: int | None = None
    end: int | None = None
    label: str = ""
    extra: dict = field(default_factory=dict)


def marks(s: Session, doc_id: int, hidden_themes: AbstractSet[int] = frozenset()) -> list[Mark]:
    """Live passages of a document in order, with colours of their shown themes and a lane each."""
    rows = (
        sqlite_of(s)
        .execute(
            "SELECT id, start_page, start_char, end_page, end_char, note, "
            "area_page, area_x0, area_y0, area_x1, area_y1, quote FROM passage "
            "WHERE document_id = ? AND deleted_at IS NULL ORDER BY start_page, start_char",
            (doc_id,),
        )
        .fetchall()
    )
    if not rows:
        return []
    themes = {
        tid: (pos, colour, name)
        for tid, pos, colour, name in s.exec(select(Theme.id, Theme.position, Theme.colour, Theme.name))
    }
    by_p: dict[int, list[int]] = {}
    for pid, tid in s.exec(
        select(PassageTheme.passage_id, PassageTheme.theme_id)
        .join(Passage, col(Passage.id) == col(PassageTheme.passage_id))
        .where(col(Passage.document_id) == doc_id, col(Passage.deleted_at).is_(None))
    ):
        by_p.setdefault(pid, []).append(tid)
    linked: dict[int, int] = {}
    in_doc = select(Passage.id).where(Passage.document_id == doc_id)
    for src, dst in s.exec(
        select(Link.source_id, Link.target_id).where(
            col(Link.deleted_at).is_(None), col(Link.source_id).in_(in_doc) | col(Link.target_id).in_(in_doc)
        )
    ):
        linked[src] = linked.get(src, 0) + 1
        linked[dst] = linked.get(dst, 0) + 1
    out = []
    for pid, sp, sc, ep, ec, note, *area, quote in rows:
        tids = by_p.get(pid, [])
        if len(tids) > 1:
            tids.sort(key=lambda t: (themes[t][0], t))
        shown = [t for t in tids if t not in hidden_themes] if hidden_themes else tids
        if tids and not shown:
            continue  # every theme of this passage is hidden
        out.append(
            Mark(
                pid,
                (sp, sc),
                (ep, ec),
                tids,
                [themes[t][1] for t in shown] or ["#9E9E9E"],
                [themes[t][2] for t in tids],
                note,
                links=linked.get(pid, 0),
                area=area if area[0] is not None else None,
                label=areas.label_of(quote) if area[0] is not None else "",
            )
        )
    for m, lane in zip(out, lanes([(m.start, m.end) for m in out]), strict=False):
        m.lane = lane
    return out


def passage_place(s: Session, pid: int) -> Place:
    p = s.get(Passage, pid)
    if p is None or p.deleted_at is not None:
        raise NotFound(f"No passage {pid}.")
    return Place(
        p.document_id,
        p.start_page,
        p.start_char,
        None,
        extra={"passage": pid, "end": (p.end_page, p.end_char)},
    )


_DAY_SHORT = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*:\s*(\d+)\s*$")
_PAGE_LINE = re.compile(r"^\s*(?:page\s+)?(\d+)\s*:\s*(\d+)\s*$", re.I)
_PAGE = re.compile(r"^\s*(?:p\.?|page)\s*(\d+)\s*$", re.I)
_ITEM = re.compile(r"^\s*(?:item|tab)\s*(\d+)\s*(?:,?\s*(?:p\.?|page)\s*(\d+))?\s*$", re.I)


def _line_place(s: Session, doc_id: int, tpage: int, line: int, label: str) -> Place:
    ln = s.exec(
        select(Line)
        .where(Line.document_id == doc_id, Line.tpage == tpage, Line.line == line, Line.role != "header")
        .order_by(col(Line.seq))
    ).first()
    if ln is None:
        raise NotFound(f"There is no line {line} on page {tpage} of that document.")
    return Place(doc_id, ln.page_index, ln.char_start, ln.char_end, label)


def _doc_page(s: Session, doc: Document, page: str) -> Place:
    idx = None
    hit = s.exec(select(Page.index).where(Page.document_id == doc.id, Page.label == page)).first()
    if hit is not None:
        idx = hit
    elif page.isdigit() and 1 <= int(page) <= doc.page_count:
        idx = int(page) - 1
    if idx is None:
        raise NotFound(f"{doc.urn or doc.title} has no page {page}.")
    style = settings.citation_style(sqlite_of(s))
    return Place(saved_id(doc), idx, None, None, citations.document(doc.urn, page, None, doc.title, style))


def _named_transcript(s: Session, name: str, current_doc: int | None) -> Document:
    """The transcript without a hearing day that a citation names (by witness or title)."""
    style = settings.citation_style(sqlite_of(s))
    low = name.strip().lower()
    docs = [
        d
        for d in s.exec(select(Document).where(Document.kind == "transcript"))
        if low
        in {
            citations.transcript_name(d.witness, d.title, style.name_by).lower(),
            citations.transcript_name(d.witness, d.title, "title").lower(),
            d.title.lower(),
        }
    ]
    if not docs:
        raise NotFound(f"No transcript called {name} in this workspace.")
    return next((d for d in docs if d.id == current_doc), docs[0])


def _para_place(s: Session, ref: citations.ParagraphRef, current_doc: int | None, text: str) -> Place:
    """A numbered paragraph: of the document the citation names, else the open one."""
    base = citations.parse(ref.base) if ref.base else None
    day = re.fullmatch(r"\s*day\s+(\d{1,9})\s*", ref.base, re.IGNORECASE)
    if isinstance(base, tuple):
        doc = s.exec(select(Document).where(func.lower(Document.urn) == base[0].lower())).first()
    elif day:
        doc = s.exec(select(Document).where(Document.day == int(day[1]))).first()
    elif ref.base:
        doc = _named_transcript(s, ref.base, current_doc)
    else:
        doc = s.get(Document, current_doc) if current_doc is not None else None
    if doc is None:
        raise NotFound(f"No document {ref.base or 'is open'} to find paragraph {ref.para} in.")
    ln = s.exec(
        select(Line)
        .where(Line.document_id == doc.id, Line.para == ref.para, Line.role != "header")
        .order_by(col(Line.seq))
    ).first()
    if ln is None:
        raise NotFound(f"{doc.urn or doc.title} has no paragraph {ref.para}.")
    return Place(saved_id(doc), ln.page_index, ln.char_start, ln.char_end, text)


def goto(s: Session, text: str, current_doc: int | None = None) -> Place:
    """Where a typed reference points: Day 45/12:3, 45/12:3, {URN/4}, URN/4, 12:3, p 4, item 3."""
    text = citations.strip_area((text or "").strip())  # an area's citation: its page
    if not text:
        raise InvalidInput("Type a reference, e.g. Day 45/12:3 or {MSF0000045/2}.")
    m = _PAGE_LINE.match(text)
    if m and current_doc is not None:  # "12:3" or "page 12:3" in the open document
        return _line_place(s, current_doc, int(m[1]), int(m[2]), text)
    paras = citations.parse_paragraphs(text)
    if paras is not None:
        return _para_place(s, paras, current_doc, text)
    m = _DAY_SHORT.match(text)
    ref = citations.parse(f"Day {m[1]}/{m[2]}:{m[3]}" if m else text)
    if isinstance(ref, citations.TranscriptRef) and ref.day is None:
        doc = _named_transcript(s, ref.name, current_doc)
        return _line_place(s, saved_id(doc), ref.page, ref.line, text)
    if isinstance(ref, citations.TranscriptRef):
        docs = list(s.exec(select(Document).where(Document.kind == "transcript", Document.day == ref.day)))
        if not docs:
            raise NotFound(f"No transcript of Day {ref.day} in this workspace.")
        if current_doc in [d.id for d in docs]:
            docs = [d for d in docs if d.id == current_doc]
        label = citations.transcript(ref.day, ref.page, ref.line)
        return _line_place(s, saved_id(docs[0]), ref.page, ref.line, label)
    if isinstance(ref, tuple):
        urn, page = ref
        name = (ref.name or urn).lower()
        cited = s.exec(select(Document).where(Document.urn == urn)).first() if urn else None
        if cited is None:
            cited = next((d for d in s.exec(select(Document)) if d.urn and d.urn.lower() == name), None)
        if cited is None:  # cited by its title (it has no URN)
            cited = next((d for d in s.exec(select(Document)) if d.title.lower() == name), None)
        if cited is None:
            raise NotFound(f"No document with reference {ref.name or urn} in this workspace.")
        return _doc_page(s, cited, page)
    m = _ITEM.match(text)
    if m:
        docs = list(s.exec(select(Document).order_by(col(Document.position), col(Document.id))))
        n = int(m[1])
        if not 1 <= n <= len(docs):
            raise NotFound(f"There is no item {n}; the workspace holds {len(docs)} documents.")
        return _doc_page(s, docs[n - 1], m[2] or "1")
    if current_doc is not None:
        m = _PAGE_LINE.match(text)
        if m:
            return _line_place(s, current_doc, int(m[1]), int(m[2]), text)
        m = _PAGE.match(text) or re.match(r"^\s*(\d+)\s*$", text)
        if m:
            here = s.get(Document, current_doc)
            if here is None:
                raise NotFound(f"No document {current_doc}.")
            return _doc_page(s, here, m[1])
    raise InvalidInput(f"'{text}' is not a reference I know; try Day 45/12:3, {{URN/4}} or item 3.")


# ---- read functions for the window (each opens its own read session) ----


@dataclass
class Outline:
    """What a reader shows before any text: the document's facts and its page sizes."""

    title: str
    kind: str
    urn: str
    day: int | None
    is_pdf: bool
    page_sizes: list[tuple[float, float]]  # points; A4 where unknown


A4 = (595.0, 842.0)  # points: the page size where none is known


def outline(ws, doc_id: int) -> Outline:
    with ws.session() as s:
        doc = s.get(Document, doc_id)
        if doc is None:
            raise NotFound(f"No document {doc_id}.")
        facts = (doc.title, doc.kind, doc.urn, doc.day, doc.source_format == "pdf")
    raw = ws.engine.raw_connection()  # plain rows, not an ORM pass
    try:
        con = raw.driver_connection
        if facts[4]:  # a PDF is laid out page by page: every page's size
            with gcpause.paused():  # 20,000 small tuples that form no cycles
                rows = con.execute(
                    'SELECT width, height FROM page WHERE document_id = ? ORDER BY "index"', (doc_id,)
                ).fetchall()
                sizes = [(w or A4[0], h or A4[1]) for w, h in rows]
        else:  # text has no page sizes to speak of: count the pages from the index alone
            n = con.execute("SELECT count(*) FROM page WHERE document_id = ?", (doc_id,)).fetchone()[0]
            sizes = [A4] * n
    finally:
        raw.close()
    return Outline(*facts, sizes)


def line_rows(ws, doc_id: int) -> list[tuple]:
    """Every line of a document as plain rows, in order (fast: 100,000 lines in well under a
    second): (seq, page, char_start, char_end, tpage, line, day, speaker, role, text, para)."""
    raw = ws.engine.raw_connection()
    try:
        cur = raw.driver_connection.execute(
            "SELECT seq, page_index, char_start, char_end, tpage, line, day, speaker, role, text, para "
            "FROM line WHERE document_id = ? ORDER BY seq",
            (doc_id,),
        )
        return cur.fetchall()
    finally:
        raw.close()


def lines_per_page(ws, doc_id: int, n_pages: int) -> list[int]:
    """How many lines each of the document's pages holds (read from the line index alone,
    so a 500,000-line transcript answers in milliseconds)."""
    counts = [0] * n_pages
    raw = ws.engine.raw_connection()
    try:
        cur = raw.driver_connection.execute(
            "SELECT page_index, count(*) FROM line WHERE document_id = ? GROUP BY page_index",
            (doc_id,),
        )
        for page, n in cur.fetchall():
            if 0 <= page < n_pages:
                counts[page] = n
    finally:
        raw.close()
    return counts


def line_seqs(ws, doc_id: int, page: int | None = None) -> tuple[int, int] | None:
    """(lowest, highest) line seq of one page, or of the whole document (from its first
    and last pages: two index look-ups, whatever its size); None where there are no lines."""
    raw = ws.engine.raw_connection()
    try:
        con = raw.driver_connection
        if page is None:
            lo = con.execute(
                "SELECT min(seq) FROM line WHERE document_id = ? AND page_index = "
                "(SELECT min(page_index) FROM line WHERE document_id = ?)",
                (doc_id, doc_id),
            ).fetchone()[0]
            hi = con.execute(
                "SELECT max(seq) FROM line WHERE document_id = ? AND page_index = "
                "(SELECT max(page_index) FROM line WHERE document_id = ?)",
                (doc_id, doc_id),
            ).fetchone()[0]
        else:
            lo, hi = con.execute(
                "SELECT min(seq), max(seq) FROM line WHERE document_id = ? AND page_index = ?", (doc_id, page)
            ).fetchone()
    finally:
        raw.close()
    return None if lo is None else (lo, hi)


def line_rows_of_pages(ws, doc_id: int, first: int, last: int) -> list[tuple]:
    """The lines of pages first..last (inclusive) as line_rows gives them, in order."""
    raw = ws.engine.raw_connection()
    try:
        cur = raw.driver_connection.execute(
            "SELECT seq, page_index, char_start, char_end, tpage, line, day, speaker, role, text, para "
            "FROM line WHERE document_id = ? AND page_index BETWEEN ? AND ? ORDER BY page_index, seq",
            (doc_id, first, last),
        )
        return cur.fetchall()
    finally:
        raw.close()


def page_text(ws, doc_id: int, page: int) -> str:
    with ws.session() as s:
        text = s.exec(select(Page.text).where(Page.document_id == doc_id, Page.index == page)).first()
    return text or ""


def document_marks(ws, doc_id: int, hidden_themes: AbstractSet[int] = frozenset()) -> list[Mark]:
    with ws.session() as s:
        return marks(s, doc_id, hidden_themes)


def place_of_passage(ws, pid: int) -> Place:
    with ws.session() as s:
        return passage_place(s, pid)


def place_of_reference(ws, text: str, current_doc: int | None = None) -> Place:
    with ws.session() as s:
        return goto(s, text, current_doc)
