"""What a reading view needs from the workspace: passages to highlight, places to go to.

A place is (document id, page index, char start, char end) in Page.text
coordinates, the same positions passages and lines use.
"""

import re
from collections.abc import Set
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from annotator.core import citations
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import Document, Line, Link, Page, Passage, PassageTheme, Theme, saved_id
from annotator.core.render import lanes


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


@dataclass
class Place:
    document_id: int
    page: int = 0
    start: int | None = None
    end: int | None = None
    label: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def marks(s: Session, doc_id: int, hidden_themes: Set[int] = frozenset()) -> list[Mark]:
    """Live passages of a document in order, with colours of their shown themes and a lane each."""
    rows = list(
        s.exec(
            select(  # type: ignore[call-overload]  # sqlmodel types select() for up to 4 columns
                Passage.id,
                Passage.start_page,
                Passage.start_char,
                Passage.end_page,
                Passage.end_char,
                Passage.note,
            )
            .where(col(Passage.document_id) == doc_id, col(Passage.deleted_at).is_(None))
            .order_by(Passage.start_page, Passage.start_char)
        )
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
    for pid, sp, sc, ep, ec, note in rows:
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
    return Place(saved_id(doc), idx, None, None, citations.document(doc.urn, page, None, doc.title))


def goto(s: Session, text: str, current_doc: int | None = None) -> Place:
    """Where a typed reference points: Day 45/12:3, 45/12:3, {URN/4}, URN/4, 12:3, p 4, item 3."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Type a reference, e.g. Day 45/12:3 or {MSF0000045/2}.")
    m = _DAY_SHORT.match(text)
    ref = citations.parse(f"Day {m[1]}/{m[2]}:{m[3]}" if m else text)
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
        doc = s.exec(select(Document).where(Document.urn == urn)).first()
        if doc is None:
            doc = next((d for d in s.exec(select(Document)) if d.urn.lower() == urn.lower()), None)
        if doc is None:
            raise NotFound(f"No document with reference {urn}.")
        return _doc_page(s, doc, page)
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
            doc = s.get(Document, current_doc)
            if doc is None:
                raise NotFound("That document is no longer in this workspace.")
            return _doc_page(s, doc, m[1])
    raise InvalidInput(f"'{text}' is not a reference I know; try Day 45/12:3, {{URN/4}} or item 3.")
