"""The bundle's structure: sections, items and extracts, with cross-references.

Everything the renderers need is read here in a few bulk queries, as plain
records (named tuples with the tables' fields), so the PDF and table writers
never touch the database.
"""

from typing import Any
import json
from dataclasses import dataclass, field

from sqlmodel import Session

from annotator.core.evidence import citations
from annotator.core.evidence.areas import area_of

from annotator.core.store import settings
from annotator.core.evidence.anchors import QUOTED_ROLES_EXCLUDED
from annotator.core.export.selection import Selection, by_ids, descendants, passage_rows, query
from annotator.core.store.models import (
    Document,
    Passage,
    Theme,
    saved_id,
)  # the records read here have their fields
from annotator.core.evidence.passages import cite
from annotator.core.evidence.themes import tree_order
from annotator.core.store.workspace import sqlite_of

KIND_TITLES = {
    "transcript": "Transcripts",
    "witness statement": "Witness statements",
    "exhibit": "Exhibits",
    "report": "Reports",
    "other": "Other documents",
}


@dataclass
class CrossRef:
    relation: str
    direction: str  # out: this passage refers to the other | in: the other refers to this
    other_id: int
    printed: str  # the other end's citation, always printed
    status: str  # ok | excluded | deleted
    other_quote: str = ""


@dataclass
class Extract:
    id: int
    doc: Document
    citation: str
    long_citation: str
    quote: str
    lines: list[tuple[int, int, str]]  # (printed page, line, text) for transcripts
    themes: list[Theme]
    note: str
    author: str
    important: bool
    redact: bool
    start_page: int
    end_page: int
    rects: list[list[float]]
    start: tuple[int, int]
    end: tuple[int, int]
    refs: list[CrossRef] = field(default_factory=list)
    item: "Item | None" = None
    number: str = ""  # "3.2": item 3, second extract
    withdrawn: str = ""  # a later edition: why this extract of an earlier one is gone
    area: list[float] | None = None  # [page, x0, y0, x1, y1]: an area, shown as the cropped page image


@dataclass
class Item:
    number: int | str  # later editions insert "3A" after item 3
    doc: Document
    extracts: list[Extract]
    section: "Section | None" = None


@dataclass
class Section:
    number: int | str
    title: str
    colour: str
    items: list[Item]


@dataclass
class Plan:
    inquiry: str
    workspace_title: str
    author: str
    selection: Selection
    sections: list[Section]
    documents: list[Document]  # in the order they first appear
    page_labels: dict[int, dict[int, str]]  # document -> page index -> printed label
    theme_names: dict[int, str]
    unresolved: list[dict[str, Any]]
    style: citations.Style = citations.Style()

    @property
    def extracts(self) -> list[Extract]:
        return [e for sec in self.sections for it in sec.items for e in it.extracts]

    @property
    def live(self) -> list[Extract]:
        """The extracts quoted (a later edition also lists withdrawn ones)."""
        return [e for e in self.extracts if not e.withdrawn]

    @property
    def items(self) -> list[Item]:
        return [it for sec in self.sections for it in sec.items]

    def hidden_in(self, e: Extract) -> list[list[float]]:
        """Rectangles of redacted extracts that lie in an area: blacked out in its
        picture, and its words withheld."""
        if e.area is None:
            return []
        page, ax0, ay0, ax1, ay1 = e.area
        return [
            r[1:]
            for x in self.live
            if x.redact and x.doc.id == e.doc.id
            for r in x.rects
            if len(r) == 5 and int(r[0]) == page and r[1] < ax1 and r[3] > ax0 and r[2] < ay1 and r[4] > ay0
        ]


def _chrono(p: Passage, doc: Document) -> tuple[Any, ...]:
    day = p.day if p.day is not None else doc.day
    return (
        doc.date or "9999",
        day if day is not None else 10**6,
        doc.position,
        doc.id,
        p.start_page,
        p.start_char,
    )


def _docorder(p: Passage, doc: Document) -> tuple[Any, ...]:
    return (doc.position, doc.id, p.start_page, p.start_char)


def _labels(s: Session, rows: list[Any]) -> dict[int, dict[int, str]]:
    """Printed page labels of the pages the passages cover."""
    want: dict[int, set[int]] = {}
    for p in rows:
        want.setdefault(p.document_id, set()).update(range(p.start_page, p.end_page + 1))
    out: dict[int, dict[int, str]] = {}
    for doc_id, pages in want.items():
        for idx, label in by_ids(
            s,
            f'SELECT "index", label FROM page WHERE document_id = {int(doc_id)} '
            "AND label != '' AND \"index\" IN ({})",
            sorted(pages),
        ):
            out.setdefault(doc_id, {})[idx] = label
    return out


def _lines(s: Session, rows: list[Passage], docs: dict[int, Document]) -> dict[int, list[Any]]:
    """Quoted transcript lines with their printed numbers, per passage."""
    want: dict[int, set[int]] = {}
    for p in rows:
        if docs[p.document_id].kind == "transcript" and p.tpage_from is not None:
            want.setdefault(p.document_id, set()).update(range(p.start_page, p.end_page + 1))
    by_page: dict[tuple[int, int], list[Any]] = {}
    page_text: dict[tuple[int, int], str] = {}
    for doc_id, pages in want.items():
        doc_id = int(doc_id)
        for ln in by_ids(
            s,
            "SELECT page_index, seq, char_start, char_end, role, tpage, line FROM line "
            f"WHERE document_id = {doc_id} AND page_index IN ({{}})",
            sorted(pages),
        ):
            by_page.setdefault((doc_id, ln.page_index), []).append(ln)
        for idx, text in by_ids(
            s,
            f'SELECT "index", text FROM page WHERE document_id = {doc_id} AND "index" IN ({{}})',
            sorted(pages),
        ):
            page_text[(doc_id, idx)] = text
    for lines in by_page.values():
        lines.sort(key=lambda ln: ln.seq)
    out: dict[int, list[Any]] = {}
    for p in rows:
        if (p.document_id, p.start_page) not in by_page:
            continue
        picked = []
        for ln in (
            ln for idx in range(p.start_page, p.end_page + 1) for ln in by_page.get((p.document_id, idx), [])
        ):
            if (ln.page_index, ln.char_end) <= (p.start_page, p.start_char):
                continue
            if (ln.page_index, ln.char_start) >= (p.end_page, p.end_char):
                continue
            if ln.role in QUOTED_ROLES_EXCLUDED:
                continue
            a = max(ln.char_start, p.start_char) if ln.page_index == p.start_page else ln.char_start
            b = min(ln.char_end, p.end_char) if ln.page_index == p.end_page else ln.char_end
            picked.append((ln.tpage, ln.line, page_text.get((p.document_id, ln.page_index), "")[a:b].strip()))
        # The stored quote is authoritative: use the numbered lines only when they say the same.
        if " ".join(t for _, _, t in picked).split() == p.quote.split():
            out[saved_id(p)] = picked
    return out


def build(s: Session, sel: Selection, inquiry: str, ws_title: str, author: str) -> Plan:
    sel.check()
    rows = passage_rows(s, sel)
    all_themes = query(s, "SELECT * FROM theme ORDER BY position, id")
    theme_by_id = {t.id: t for t in all_themes}
    positions = tree_order(all_themes)
    selected = {p.id for p in rows}
    p_themes: dict[int, list[int]] = {}
    for pid, tid in by_ids(
        s, "SELECT passage_id, theme_id FROM passage_theme WHERE passage_id IN ({})", selected
    ):
        p_themes.setdefault(pid, []).append(tid)
    for tids in p_themes.values():
        tids.sort(key=lambda t: positions.get(t, 10**6))
    # Links touching the selection, and the passages at their other ends.
    links = list(
        {
            ln.id: ln
            for ln in by_ids(s, "SELECT * FROM link WHERE deleted_at IS NULL AND source_id IN ({})", selected)
            + by_ids(s, "SELECT * FROM link WHERE deleted_at IS NULL AND target_id IN ({})", selected)
        }.values()
    )
    others = ({ln.target_id for ln in links} | {ln.source_id for ln in links}) - selected
    other_rows = {p.id: p for p in by_ids(s, "SELECT * FROM passage WHERE id IN ({})", others)}
    doc_ids = {p.document_id for p in rows} | {p.document_id for p in other_rows.values()}
    docs = {d.id: d for d in by_ids(s, "SELECT * FROM document WHERE id IN ({})", doc_ids)}
    labels = _labels(s, rows + list(other_rows.values()))
    lines = _lines(s, rows, docs)

    style = settings.citation_style(sqlite_of(s))
    long = citations.Style("long", style.name_by)

    def citation(p: Passage, style: citations.Style = style) -> str:
        return cite(p, docs[p.document_id], style, labels.get(p.document_id))

    by_id = {p.id: p for p in rows}
    extracts: dict[int, Extract] = {}
    # Word boxes mark the source pages, and only them; one parse for all of them
    # (a thousand small parses cost twice as much).
    all_rects = (
        json.loads("[" + ",".join(p.rects or "[]" for p in rows) + "]")
        if sel.source_pages
        else [json.loads(p.rects or "[]") if p.redact else [] for p in rows]  # hidden in areas' pictures
    )
    for p, rects in zip(rows, all_rects, strict=False):
        d = docs[p.document_id]
        extracts[p.id] = Extract(
            p.id,
            d,
            citation(p),
            citation(p, long),
            p.quote,
            lines.get(p.id, []),
            [theme_by_id[t] for t in p_themes.get(p.id, []) if t in theme_by_id],
            p.note,
            p.author,
            bool(p.important),
            bool(p.redact),
            p.start_page,
            p.end_page,
            rects,
            (p.start_page, p.start_char),
            (p.end_page, p.end_char),
            area=area_of(p),
        )
    unresolved = []
    for ln in sorted(links, key=lambda x: x.id):
        for here, there, direction in (
            (ln.source_id, ln.target_id, "out"),
            (ln.target_id, ln.source_id, "in"),
        ):
            if here not in selected:
                continue
            other = by_id.get(there) or other_rows.get(there)
            if other is None:
                continue
            status = "ok" if there in selected else ("deleted" if other.deleted_at else "excluded")
            ref = CrossRef(ln.relation, direction, there, _braced(citation(other)), status, other.quote)
            extracts[here].refs.append(ref)
            if status != "ok":
                unresolved.append(
                    {
                        "link": ln.id,
                        "relation": ln.relation,
                        "direction": direction,
                        "passage_id": here,
                        "passage": extracts[here].citation,
                        "other_id": there,
                        "other": ref.printed,
                        "reason": "the linked passage was deleted"
                        if status == "deleted"
                        else "the linked passage is not in this selection",
                    }
                )
    sections = _sections(sel, rows, docs, extracts, p_themes, all_themes, theme_by_id)
    n = 0
    seen_docs: list[Document] = []
    for sec in sections:
        for it in sec.items:
            n += 1
            it.number, it.section = n, sec
            for k, e in enumerate(it.extracts, 1):
                e.item, e.number = it, f"{n}.{k}" if len(it.extracts) > 1 else str(n)
            if it.doc not in seen_docs:
                seen_docs.append(it.doc)
    return Plan(
        inquiry,
        ws_title,
        author,
        sel,
        sections,
        seen_docs,
        labels,
        {t.id: t.name for t in all_themes},
        unresolved,
        style,
    )


def _braced(text: str) -> str:
    return text if text.startswith("{") else "{" + text + "}"


def _group_items(extracts: list[Extract]) -> list[Item]:
    items: list[Item] = []
    for e in extracts:
        if items and items[-1].doc.id == e.doc.id:
            items[-1].extracts.append(e)
        else:
            items.append(Item(0, e.doc, [e]))
    return items


def _sections(
    sel: Selection,
    rows: list[Any],  # passage records (selection.query)
    docs: dict[int, Document],
    extracts: dict[Any, Extract],
    p_themes: dict[int, list[int]],
    all_themes: list[Any],  # theme records
    theme_by_id: dict[Any, Theme],
) -> list[Section]:
    if sel.order == "theme":
        order = tree_order(all_themes)
        roots = sel.themes or [t.id for t in sorted(all_themes, key=lambda t: order.get(t.id, 0))]
        mapping = descendants(all_themes, roots) if sel.themes else {t: t for t in order}
        groups: dict[int | None, list[Passage]] = {}
        for p in rows:
            home = next((mapping[t] for t in p_themes.get(p.id, []) if t in mapping), None)
            groups.setdefault(home, []).append(p)
        keys = sorted((k for k in groups if k is not None), key=lambda t: order.get(t, 10**6))
        out = []
        for k in keys + ([None] if None in groups else []):
            ps = sorted(groups[k], key=lambda p: _chrono(p, docs[p.document_id]))
            t = theme_by_id.get(k)
            out.append(
                Section(
                    0,
                    t.name if t else "No theme",
                    t.colour if t else "#666666",
                    _group_items([extracts[p.id] for p in ps]),
                )
            )
    elif sel.order == "witness":
        by_witness: dict[str, list[Passage]] = {}
        for p in sorted(rows, key=lambda p: _chrono(p, docs[p.document_id])):
            by_witness.setdefault(docs[p.document_id].witness or "", []).append(p)
        names = sorted((k for k in by_witness if k), key=str.lower) + ([""] if "" in by_witness else [])
        out = [
            Section(
                0, k or "No witness named", "#455A64", _group_items([extracts[p.id] for p in by_witness[k]])
            )
            for k in names
        ]
    else:
        by_kind: dict[str, list[Passage]] = {}
        for p in sorted(rows, key=lambda p: _docorder(p, docs[p.document_id])):
            by_kind.setdefault(docs[p.document_id].kind, []).append(p)
        out = [
            Section(0, KIND_TITLES.get(k, k.title()), "#455A64", _group_items([extracts[p.id] for p in ps]))
            for k, ps in by_kind.items()
        ]
    for i, sec in enumerate(out, 1):
        sec.number = i
    return out


def page_ref(plan: Plan, doc: Document, index: int) -> str:
    """{URN/label} for a source page, or the title and printed page."""
    label = plan.page_labels.get(saved_id(doc), {}).get(index, str(index + 1))
    return citations.document(doc.urn, label, None, doc.title, plan.style)
