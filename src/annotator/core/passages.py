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
    # Plain rows, not ORM objects, and sub-selects instead of id lists: a list of
    # 100,000 passages is built in about a second and never hits SQLite's limit on
    # bound parameters.
    table = Passage.__table__
    q = select(table).where(table.c.deleted_at.is_(None))
    if ids is not None:
        q = q.where(table.c.id.in_(ids))
    if document_ids:
        q = q.where(table.c.document_id.in_(document_ids))
    if theme_ids:
        q = q.where(table.c.id.in_(select(PassageTheme.passage_id).where(PassageTheme.theme_id.in_(theme_ids))))
    conn = s.connection()
    rows = conn.execute(q.order_by(table.c.document_id, table.c.start_page, table.c.start_char)).all()
    if not rows:
        return []
    chosen = q.with_only_columns(table.c.id)
    docs = {d.id: d for d in s.exec(select(Document).where(Document.id.in_({p.document_id for p in rows})))}
    themes = {t.id: t for t in s.exec(select(Theme))}
    by_p: dict[int, list[int]] = {}
    for pid, tid in conn.execute(select(PassageTheme.passage_id, PassageTheme.theme_id)
                                 .where(PassageTheme.passage_id.in_(chosen))):
        by_p.setdefault(pid, []).append(tid)
    labels: dict[int, dict[int, str]] = {}
    for pg in s.exec(select(Page.document_id, Page.index, Page.label).where(
            Page.document_id.in_(list(docs)), Page.label != "")):
        labels.setdefault(pg[0], {})[pg[1]] = pg[2]
    links = _links(s, chosen, {p.id for p in rows})
    order = {t.id: (t.position, t.id) for t in themes.values()}
    names = {t.id: t.name for t in themes.values()}
    facts = {d.id: (d.id, d.title, d.urn, d.witness, d.date, d.kind) for d in docs.values()}
    out = []
    for p in rows:
        d = docs[p.document_id]
        tids = by_p.get(p.id, [])
        if len(tids) > 1:
            tids.sort(key=order.__getitem__)
        out.append(PassageView(
            p.id, *facts[p.document_id], cite(p, d, style, labels.get(d.id)), p.quote, p.note, p.author,
            [names[t] for t in tids], tids, p.important, p.redact, p.created_at,
            p.modified_at, p.start_page, p.end_page, p.day, links.get(p.id, []),
        ))
    return out


def links_of(s: Session, pids: list[int]) -> dict[int, list[dict]]:
    """Links touching these passages, seen from each end."""
    return _links(s, pids, set(pids))


def _links(s: Session, pids, wanted: set[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    t = Link.__table__
    q = select(t.c.id, t.c.relation, t.c.source_id, t.c.target_id).where(
        t.c.deleted_at.is_(None), (t.c.source_id.in_(pids)) | (t.c.target_id.in_(pids)))
    for lid, relation, source, target in s.connection().execute(q):
        if source in wanted:
            out.setdefault(source, []).append({"id": lid, "relation": relation, "to": target, "direction": "out"})
        if target in wanted:
            out.setdefault(target, []).append({"id": lid, "relation": relation, "to": source, "direction": "in"})
    return out
