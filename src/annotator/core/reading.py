"""What a reading view needs from the workspace: passages to highlight, places to go to.

A place is (document id, page index, char start, char end) in Page.text
coordinates, the same positions passages and lines use.
"""

import re
from dataclasses import dataclass, field

from sqlmodel import Session, select

from annotator.core import citations
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import Document, Line, Link, Page, Passage, PassageTheme, Theme
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
    extra: dict = field(default_factory=dict)


def marks(s: Session, doc_id: int, hidden_themes: set[int] = frozenset()) -> list[Mark]:
    """Live passages of a document in order, with colours of their shown themes and a lane each."""
    rows = list(s.exec(
        select(Passage.id, Passage.start_page, Passage.start_char, Passage.end_page, Passage.end_char,
               Passage.note)
        .where(Passage.document_id == doc_id, Passage.deleted_at.is_(None))
        .order_by(Passage.start_page, Passage.start_char)))
    if not rows:
        return []
    themes = {tid: (pos, colour, name) for tid, pos, colour, name in
              s.exec(select(Theme.id, Theme.position, Theme.colour, Theme.name))}
    by_p: dict[int, list[int]] = {}
    for pid, tid in s.exec(select(PassageTheme.passage_id, PassageTheme.theme_id)
                           .join(Passage, Passage.id == PassageTheme.passage_id)
                           .where(Passage.document_id == doc_id, Passage.deleted_at.is_(None))):
        by_p.setdefault(pid, []).append(tid)
    linked: dict[int, int] = {}
    in_doc = select(Passage.id).where(Passage.document_id == doc_id)
    for src, dst in s.exec(select(Link.source_id, Link.target_id).where(
            Link.deleted_at.is_(None), Link.source_id.in_(in_doc) | Link.target_id.in_(in_doc))):
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
        out.append(Mark(pid, (sp, sc), (ep, ec), tids,
                        [themes[t][1] for t in shown] or ["#9E9E9E"],
                        [themes[t][2] for t in tids], note, links=linked.get(pid, 0)))
    for m, lane in zip(out, lanes([(m.start, m.end) for m in out])):
        m.lane = lane
    return out


def passage_place(s: Session, pid: int) -> Place:
    p = s.get(Passage, pid)
    if p is None or p.deleted_at is not None:
        raise NotFound(f"No passage {pid}.")
    return Place(p.document_id, p.start_page, p.start_char, None, extra={"passage": pid,
                                                                        "end": (p.end_page, p.end_char)})


_DAY_SHORT = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*:\s*(\d+)\s*$")
_PAGE_LINE = re.compile(r"^\s*(?:page\s+)?(\d+)\s*:\s*(\d+)\s*$", re.I)
_PAGE = re.compile(r"^\s*(?:p\.?|page)\s*(\d+)\s*$", re.I)
_ITEM = re.compile(r"^\s*(?:item|tab)\s*(\d+)\s*(?:,?\s*(?:p\.?|page)\s*(\d+))?\s*$", re.I)


def _line_place(s: Session, doc_id: int, tpage: int, line: int, label: str) -> Place:
    ln = s.exec(select(Line).where(Line.document_id == doc_id, Line.tpage == tpage, Line.line == line,
                                   Line.role != "header").order_by(Line.seq)).first()
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
    return Place(doc.id, idx, None, None, citations.document(doc.urn, page, None, doc.title))


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
        return _line_place(s, docs[0].id, ref.page, ref.line, label)
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
        docs = list(s.exec(select(Document).order_by(Document.position, Document.id)))
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
            return _doc_page(s, s.get(Document, current_doc), m[1])
    raise InvalidInput(f"'{text}' is not a reference I know; try Day 45/12:3, {{URN/4}} or item 3.")


def passage_list(s: Session, theme_ids: list[int] | None = None) -> list:
    """Every live passage as a PassageView, built from plain rows (fast at 100,000 passages)."""
    from types import SimpleNamespace

    from annotator.core.passages import PassageView, cite

    cols = (Passage.id, Passage.document_id, Passage.start_page, Passage.start_char, Passage.end_page,
            Passage.quote,
            Passage.note, Passage.author, Passage.important, Passage.redact, Passage.created_at,
            Passage.modified_at, Passage.day, Passage.tpage_from, Passage.line_from, Passage.tpage_to,
            Passage.line_to)
    q = select(*cols).where(Passage.deleted_at.is_(None))
    if theme_ids:
        q = q.where(Passage.id.in_(select(PassageTheme.passage_id).where(PassageTheme.theme_id.in_(theme_ids))))
    rows = s.exec(q.order_by(Passage.document_id, Passage.start_page, Passage.start_char)).all()
    docs = {d.id: SimpleNamespace(id=d.id, title=d.title, urn=d.urn, witness=d.witness, date=d.date,
                                  kind=d.kind) for d in s.exec(select(Document))}
    themes = {tid: (pos, name) for tid, pos, name in s.exec(select(Theme.id, Theme.position, Theme.name))}
    live = select(Passage.id).where(Passage.deleted_at.is_(None))
    by_p: dict[int, list[int]] = {}
    for pid, tid in s.exec(select(PassageTheme.passage_id, PassageTheme.theme_id)
                           .where(PassageTheme.passage_id.in_(live))):
        by_p.setdefault(pid, []).append(tid)
    links: dict[int, list[dict]] = {}
    for lid, src, dst, rel in s.exec(select(Link.id, Link.source_id, Link.target_id, Link.relation)
                                     .where(Link.deleted_at.is_(None)).order_by(Link.id)):
        links.setdefault(src, []).append({"id": lid, "relation": rel, "to": dst, "direction": "out"})
        links.setdefault(dst, []).append({"id": lid, "relation": rel, "to": src, "direction": "in"})
    labels: dict[int, dict[int, str]] = {}
    out = []
    for (pid, did, sp, sc, ep, quote, note, author, important, redact, created, modified, day,
         tp1, l1, tp2, l2) in rows:
        d = docs[did]
        if d.kind != "transcript" and did not in labels:
            labels[did] = dict(s.exec(select(Page.index, Page.label).where(Page.document_id == did,
                                                                          Page.label != "")).all())
        p = SimpleNamespace(start_page=sp, end_page=ep, day=day, tpage_from=tp1, line_from=l1,
                            tpage_to=tp2, line_to=l2)
        tids = sorted(by_p.get(pid, []), key=lambda t: (themes[t][0], t))
        out.append(PassageView(pid, did, d.title, d.urn, d.witness, d.date, d.kind,
                               cite(p, d, "short", labels.get(did)), quote, note, author,
                               [themes[t][1] for t in tids], tids, important, redact, created, modified,
                               sp, ep, day, [x for x in links.get(pid, []) if x["to"] != pid]))
        out[-1].start_char = sc
    return out
