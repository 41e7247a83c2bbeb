"""Reading passages back with their citations, themes and links."""

from dataclasses import dataclass, field

from sqlmodel import Session, select

from annotator.core import citations
from annotator.core.models import Document, Link, Page, Passage, PassageTheme, Theme


@dataclass
class PassageView:
    id: int
    document_id: int
    document: str
    urn: str
    witness: str
    date: str
    kind: str
    citation: str
    quote: str
    note: str
    author: str
    themes: list[str]
    theme_ids: list[int]
    important: bool
    redact: bool
    created_at: str
    modified_at: str
    start_page: int
    end_page: int
    day: int | None
    links: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.id, "document": self.document, "document_id": self.document_id,
            "urn": self.urn, "witness": self.witness, "citation": self.citation,
            "quote": self.quote, "themes": self.themes, "note": self.note, "author": self.author,
            "important": self.important, "links": self.links, "created_at": self.created_at,
            "modified_at": self.modified_at,
        }


def cite(p: Passage, doc: Document, style: str = "short", labels: dict[int, str] | None = None) -> str:
    if p.tpage_from is not None and doc.kind == "transcript":
        return citations.transcript(p.day, p.tpage_from, p.line_from, p.tpage_to, p.line_to, style)
    labels = labels or {}
    first = labels.get(p.start_page, str(p.start_page + 1))
    last = labels.get(p.end_page, str(p.end_page + 1))
    return citations.document(doc.urn, first, last, doc.title)


def views(s: Session, ids: list[int] | None = None, theme_ids: list[int] | None = None,
          document_ids: list[int] | None = None, style: str = "short") -> list[PassageView]:
    """Live passages in document order, optionally filtered."""
    q = select(Passage).where(Passage.deleted_at.is_(None))
    if ids is not None:
        q = q.where(Passage.id.in_(ids))
    if document_ids:
        q = q.where(Passage.document_id.in_(document_ids))
    if theme_ids:
        q = q.where(Passage.id.in_(select(PassageTheme.passage_id).where(PassageTheme.theme_id.in_(theme_ids))))
    rows = list(s.exec(q.order_by(Passage.document_id, Passage.start_page, Passage.start_char)))
    if not rows:
        return []
    pids = [p.id for p in rows]
    docs = {d.id: d for d in s.exec(select(Document).where(Document.id.in_({p.document_id for p in rows})))}
    themes = {t.id: t for t in s.exec(select(Theme))}
    by_p: dict[int, list[int]] = {}
    for pt in s.exec(select(PassageTheme).where(PassageTheme.passage_id.in_(pids))):
        by_p.setdefault(pt.passage_id, []).append(pt.theme_id)
    labels: dict[int, dict[int, str]] = {}
    for pg in s.exec(select(Page.document_id, Page.index, Page.label).where(
            Page.document_id.in_(list(docs)), Page.label != "")):
        labels.setdefault(pg[0], {})[pg[1]] = pg[2]
    links = links_of(s, pids)
    out = []
    for p in rows:
        d = docs[p.document_id]
        tids = sorted(by_p.get(p.id, []), key=lambda t: (themes[t].position, t))
        out.append(PassageView(
            p.id, d.id, d.title, d.urn, d.witness, d.date, d.kind,
            cite(p, d, style, labels.get(d.id)), p.quote, p.note, p.author,
            [themes[t].name for t in tids], tids, p.important, p.redact, p.created_at,
            p.modified_at, p.start_page, p.end_page, p.day, links.get(p.id, []),
        ))
    return out


def links_of(s: Session, pids: list[int]) -> dict[int, list[dict]]:
    """Links touching these passages, seen from each end."""
    out: dict[int, list[dict]] = {}
    q = select(Link).where(Link.deleted_at.is_(None),
                           (Link.source_id.in_(pids)) | (Link.target_id.in_(pids)))
    wanted = set(pids)
    for ln in s.exec(q):
        if ln.source_id in wanted:
            out.setdefault(ln.source_id, []).append(
                {"id": ln.id, "relation": ln.relation, "to": ln.target_id, "direction": "out"})
        if ln.target_id in wanted:
            out.setdefault(ln.target_id, []).append(
                {"id": ln.id, "relation": ln.relation, "to": ln.source_id, "direction": "in"})
    return out
