"""Reading passages back with their citations, themes and links."""

from dataclasses import dataclass, field
from typing import Protocol

from sqlmodel import Session, col, select

from annotator.core.evidence import citations

from annotator.core.store import settings
from annotator.core.util.gcpause import paused
from annotator.core.store.models import Document, Page, Theme, saved_id
from annotator.core.store.workspace import sqlite_of


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
    start_char: int = 0  # with start_page: where the passage starts, for sorting in reading order
    anchor: str = ""  # after a new version: exact | moved | changed | orphaned
    old_quote: str = ""  # its words before the new version changed them
    area: list | None = None  # [page, x0, y0, x1, y1] of an area (see core.evidence.areas)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "document": self.document,
            "document_id": self.document_id,
            "urn": self.urn,
            "witness": self.witness,
            "citation": self.citation,
            "quote": self.quote,
            "themes": self.themes,
            "note": self.note,
            "author": self.author,
            "important": self.important,
            "redact": self.redact,
            "links": self.links,
            "created_at": self.created_at,
            "modified_at": self.modified_at,
            "anchor": self.anchor,
            "old_quote": self.old_quote,
            "area": self.area,
        }


ORPHANED = " (not found in the current version)"


def source(doc: Document) -> citations.Source:
    return citations.Source(doc.kind, doc.urn, doc.title, doc.witness, doc.day)


class Placed(Protocol):
    """What a citation is made of: a Passage, or a lighter row shaped like one."""

    @property
    def day(self) -> int | None: ...
    @property
    def start_page(self) -> int: ...
    @property
    def end_page(self) -> int: ...
    @property
    def tpage_from(self) -> int | None: ...
    @property
    def line_from(self) -> int | None: ...
    @property
    def tpage_to(self) -> int | None: ...
    @property
    def line_to(self) -> int | None: ...
    @property
    def para_from(self) -> int | None: ...
    @property
    def para_to(self) -> int | None: ...


def cite(
    p: Placed, doc: Document, style: "citations.Style | str" = "short", labels: dict[int, str] | None = None
) -> str:
    """A passage's citation in the given style (see core.citations); an orphan's is of
    the version it came from, and says so."""
    text = cite_fields(
        source(doc),
        p.day,
        p.start_page,
        p.end_page,
        p.tpage_from,
        p.line_from,
        p.tpage_to,
        p.line_to,
        labels or {},
        style,
        (p.para_from, p.para_to),
        getattr(p, "area_page", None) is not None,
    )
    return text + ORPHANED if getattr(p, "anchor", "") == "orphaned" else text


def cite_fields(
    src, day, sp, ep, tf, lf, tt, lt, labels: dict[int, str], style, paras=(None, None), area=False
) -> str:
    """A passage's citation from its columns (the one place that chooses how a passage
    is cited: by lines, pages, paragraphs, or as an area by its page)."""
    if area:  # by its page: a transcript's printed page, else the page's label
        page = tf if src.kind == "transcript" and tf is not None else labels.get(sp, str(sp + 1))
        return citations.cite(src, page, style=style, day=day, area=True)
    if tf is not None and src.kind == "transcript" and paras[0] is None:
        return citations.cite(src, (tf, lf), (tt, lt), style, day=day)
    return citations.cite(
        src, labels.get(sp, str(sp + 1)), labels.get(ep, str(ep + 1)), style, day=day, paras=paras
    )


_COLS = (
    "id, document_id, start_page, end_page, day, tpage_from, line_from, tpage_to, line_to, quote, "
    "note, author, important, redact, created_at, modified_at, start_char, anchor, old_quote, para_from, para_to, "
    "area_page, area_x0, area_y0, area_x1, area_y1"
)


def _ints(values) -> str:
    return ",".join(str(int(v)) for v in values) or "NULL"


def views(
    s: Session,
    ids: list[int] | None = None,
    theme_ids: list[int] | None = None,
    document_ids: list[int] | None = None,
    style: "citations.Style | str | None" = None,
) -> list[PassageView]:
    """Live passages in document order, optionally filtered."""
    # Plain tuples from the driver, not ORM objects or SQLAlchemy rows, and one
    # sub-select for themes and links instead of lists of ids: 100,000 passages
    # are listed in a few seconds rather than half a minute.
    where = ["deleted_at IS NULL"]
    if ids is not None:
        where.append(f"id IN ({_ints(ids)})")
    if document_ids:
        where.append(f"document_id IN ({_ints(document_ids)})")
    if theme_ids:
        where.append(f"id IN (SELECT passage_id FROM passage_theme WHERE theme_id IN ({_ints(theme_ids)}))")
    chosen = f"SELECT id FROM passage WHERE {' AND '.join(where)}"
    raw = sqlite_of(s)
    style = style or settings.citation_style(raw)  # the workspace's, unless asked for another
    rows = raw.execute(
        f"SELECT {_COLS} FROM passage WHERE {' AND '.join(where)} "
        "ORDER BY document_id, start_page, start_char"
    ).fetchall()
    if not rows:
        return []
    docs = {d.id: d for d in s.exec(select(Document).where(col(Document.id).in_({r[1] for r in rows})))}
    themes = {t.id: t for t in s.exec(select(Theme))}
    by_p: dict[int, list[int]] = {}
    for pid, tid in raw.execute(
        f"SELECT passage_id, theme_id FROM passage_theme WHERE passage_id IN ({chosen})"
    ):
        by_p.setdefault(pid, []).append(tid)
    labels: dict[int, dict[int, str]] = {}
    for pg in s.exec(
        select(Page.document_id, Page.index, Page.label).where(
            col(Page.document_id).in_(list(docs)), col(Page.label) != ""
        )
    ):
        labels.setdefault(pg[0], {})[pg[1]] = pg[2]
    links = _links(raw, chosen, {r[0] for r in rows})
    order = {t.id: (t.position, t.id) for t in themes.values()}
    names = {t.id: t.name for t in themes.values()}
    facts = {d.id: (saved_id(d), d.title, d.urn, d.witness, d.date, d.kind) for d in docs.values()}
    sources = {d.id: source(d) for d in docs.values()}
    with paused():  # 100,000 views and their lists: no cycles to look for (see gcpause)
        out = []
        for (
            pid,
            doc_id,
            sp,
            ep,
            day,
            tf,
            lf,
            tt,
            lt,
            quote,
            note,
            author,
            important,
            redact,
            created,
            modified,
            sc,
            anchor,
            old_quote,
            pf,
            pt,
            *area,
        ) in rows:
            fact = facts[doc_id]
            is_area = area[0] is not None
            citation = cite_fields(
                sources[doc_id],
                day,
                sp,
                ep,
                tf,
                lf,
                tt,
                lt,
                labels.get(doc_id) or {},
                style,
                (pf, pt),
                is_area,
            )
            if anchor == "orphaned":
                citation += ORPHANED
            tids = by_p.get(pid, [])
            if len(tids) > 1:
                tids.sort(key=order.__getitem__)
            out.append(
                PassageView(
                    pid,
                    *fact,
                    citation,
                    quote,
                    note,
                    author,
                    [names[t] for t in tids],
                    tids,
                    bool(important),
                    bool(redact),
                    created,
                    modified,
                    sp,
                    ep,
                    day,
                    links.get(pid, []),
                    sc,
                    anchor,
                    old_quote,
                    area if is_area else None,
                )
            )
    return out


def links_of(s: Session, pids: list[int]) -> dict[int, list[dict]]:
    """Links touching these passages, seen from each end."""
    return _links(sqlite_of(s), _ints(pids), {int(p) for p in pids})


def _links(raw, chosen: str, wanted: set[int]) -> dict[int, list[dict]]:
    """`chosen`: a list of ids or a SELECT of them, as SQL text."""
    out: dict[int, list[dict]] = {}
    for lid, relation, source, target in raw.execute(
        "SELECT id, relation, source_id, target_id FROM link WHERE deleted_at IS NULL "
        f"AND (source_id IN ({chosen}) OR target_id IN ({chosen}))"
    ):
        if source in wanted:
            out.setdefault(source, []).append(
                {"id": lid, "relation": relation, "to": target, "direction": "out"}
            )
        if target in wanted:
            out.setdefault(target, []).append(
                {"id": lid, "relation": relation, "to": source, "direction": "in"}
            )
    return out


def listed(
    ws, ids: list[int] | None = None, theme_ids: list[int] | None = None, style: str | None = None
) -> list[PassageView]:
    """views() in its own read session: what the window calls."""
    with ws.session() as s:
        return views(s, ids=ids, theme_ids=theme_ids, style=style)
