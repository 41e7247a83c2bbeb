"""Editions of a PDF bundle: what each export held and on which page.

Every PDF bundle written from a workspace that can be written to is recorded:
its selection, its order (tabs, items, extracts with their numbers), its page
plan (the label of every page, and the page each tab, item, extract and source
page begins on) and the SHA-256 of the file. A re-issue (reissue.py) starts
from that record; the file it is given must be the very file recorded.
"""

import hashlib
import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NotRequired, TypedDict

from sqlmodel import Session, col, select

from annotator.core.util.errors import InvalidInput
from annotator.core.export.plan import Extract, Plan, page_ref
from annotator.core.export.selection import Selection
from annotator.core.store.models import Edition, saved_id

if TYPE_CHECKING:
    from annotator.core.export.bundle import Built
    from annotator.core.store.workspace import Workspace

UID_KEY = "AnnotatorEdition"  # in the PDF's information dictionary
_UID_IN_FILE = re.compile(rb"/" + UID_KEY.encode() + rb"\s*\(([0-9a-f]{32})\)")
# What a re-issue keeps of the previous edition's selection: its shape. Which passages
# it holds may be chosen again.
LAYOUT = ("order", "numbering", "source_pages", "notes", "title", "letter")


# What a reader sees of an extract, in short fingerprints by part ('note', 'themes' …).
Digest = dict[str, str | bool]


class DocRecord(TypedDict):
    id: int
    title: str
    urn: str
    witness: str
    date: str
    kind: str
    filename: str
    sha256: NotRequired[str]  # never written: a document removed since is shown, never opened


class ExtractRecord(TypedDict):
    id: int
    number: str
    page: int
    citation: str
    withdrawn: str
    digest: Digest  # empty for a withdrawn extract


class ItemRecord(TypedDict):
    number: str
    page: int
    doc: DocRecord
    extracts: list[ExtractRecord]


class SectionRecord(TypedDict):
    number: str
    title: str
    colour: str
    page: int
    items: list[ItemRecord]


class SourceRecord(TypedDict):
    doc: int
    index: int
    page: int
    pages: int
    ref: str
    title: str
    withdrawn: str
    extracts: list[str]  # the numbers of the extracts quoting it


class PagePlan(TypedDict):
    """The page plan of an edition (JSON): every page's label, the pages of each part,
    and the page each tab, item, extract and source page begins on (0-based)."""

    labels: list[str]
    cover: list[int]
    changes: NotRequired[list[int]]
    index: list[int]
    body: list[int]
    appendix: list[int]
    sections: list[SectionRecord]
    source_pages: list[SourceRecord]


class EditionInfo(TypedDict):
    """An edition as listed."""

    uid: str
    series: str
    edition: int
    file: str
    title: str
    letter: str
    pages: int
    sha256: str
    created_at: str
    author: str


@dataclass
class Previous:
    """The edition a re-issue starts from."""

    uid: str
    series: str
    number: int
    filename: str
    created_at: str
    sha256: str
    selection: Selection
    plan: PagePlan


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def find(ws: "Workspace", pdf_path: str) -> Previous:
    """The recorded edition `pdf_path` is, or a one-sentence refusal."""
    name = os.path.basename(pdf_path)
    if not os.path.isfile(pdf_path):
        raise InvalidInput(f"{name} does not exist; choose the PDF bundle to re-issue.")
    try:
        sha = file_sha256(pdf_path)
        with open(pdf_path, "rb") as fh:
            uid = _UID_IN_FILE.search(fh.read())
    except OSError as err:
        raise InvalidInput(f"Cannot read {name}: {err.strerror or err}.") from err
    with ws.session() as s:
        row = s.exec(select(Edition).where(Edition.sha256 == sha).order_by(col(Edition.id))).first()
        if row is None and uid is not None:
            made = s.exec(select(Edition).where(Edition.uid == uid.group(1).decode())).first()
            if made is not None:
                raise InvalidInput(
                    f"{name} has been changed since Edition {made.number} was exported from this "
                    f"workspace on {made.created_at[:10]} (its SHA-256 no longer matches), so its page "
                    "numbers cannot be trusted; re-issue from the file exactly as it was exported."
                )
    if row is None:
        raise InvalidInput(
            f"{name} was not exported from this workspace, so it cannot be re-issued from it; "
            "choose a PDF bundle this workspace exported."
        )
    return Previous(
        row.uid,
        row.series,
        row.number,
        row.filename,
        row.created_at,
        row.sha256,
        Selection.from_dict(json.loads(row.selection)),
        json.loads(row.plan),
    )


def selection_for(prev: Previous, chosen: Selection | None) -> Selection:
    """The previous edition's selection, or the passages `chosen` in its shape."""
    if chosen is None:
        return Selection.from_dict(prev.selection.as_dict())
    data = chosen.as_dict()
    for key in LAYOUT:
        data[key] = getattr(prev.selection, key)
    return Selection.from_dict(data)


def reasons(s: Session, prev: Previous, present: set[int]) -> dict[int, str]:
    """Why each extract of `prev` that is not in `present` is gone."""
    from annotator.core.export.selection import by_ids

    gone = {
        x["id"]
        for sec in prev.plan["sections"]
        for it in sec["items"]
        for x in it["extracts"]
        if x["id"] not in present and not x["withdrawn"]
    }
    rows = {
        p.id: p.deleted_at for p in by_ids(s, "SELECT id, deleted_at FROM passage WHERE id IN ({})", gone)
    }
    return {
        pid: "the passage was deleted from the workspace"
        if rows.get(pid, "gone")
        else "the passage no longer matches the bundle's selection"
        for pid in gone
    }


def digest(e: Extract, notes: bool) -> Digest:
    """What a reader sees of an extract, in short fingerprints, to tell what changed."""

    def h(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

    return {
        "citation": e.citation,
        "quotation": h(e.quote),
        "note": h(e.note if notes else ""),
        "themes": h("|".join(t.name for t in e.themes)),
        "marked important": e.important,
        "redaction": e.redact,
        "cross-references": h(
            ";".join(f"{r.relation}>{r.direction}>{r.other_id}>{r.status}" for r in e.refs)
        ),
    }


def changed(old: Digest, new: Digest) -> list[str]:
    """The parts that differ between two digests ('note', 'themes' …)."""
    return [k for k in new if k in old and old[k] != new[k]]


def page_plan(plan: Plan, built: "Built") -> PagePlan:
    """The record of a built bundle that the next edition keeps its pages from."""
    places: dict[object, tuple[int, float]] = built.places

    def page(key: object) -> int:
        return places[key][0]

    docs = {d.id: d for d in plan.documents}
    sections: list[SectionRecord] = []
    for sec in plan.sections:
        items: list[ItemRecord] = []
        for it in sec.items:
            d = it.doc
            items.append(
                {
                    "number": str(it.number),
                    "page": page(("item", it.number)),
                    "doc": {
                        "id": saved_id(d),
                        "title": d.title,
                        "urn": d.urn,
                        "witness": d.witness,
                        "date": d.date,
                        "kind": d.kind,
                        "filename": d.filename,
                    },
                    "extracts": [
                        {
                            "id": e.id,
                            "number": e.number,
                            "page": page(("passage", e.id)),
                            "citation": e.citation,
                            "withdrawn": e.withdrawn,
                            "digest": {} if e.withdrawn else digest(e, plan.selection.notes),
                        }
                        for e in it.extracts
                    ],
                }
            )
        sections.append(
            {
                "number": str(sec.number),
                "title": sec.title,
                "colour": sec.colour,
                "page": page(("section", sec.number)),
                "items": items,
            }
        )
    source_pages: list[SourceRecord] = []
    for sp in built.src_pages:
        doc = docs.get(sp.doc_id)
        source_pages.append(
            {
                "doc": sp.doc_id,
                "index": sp.index,
                "page": sp.out_page,
                "pages": sp.pages,
                "ref": page_ref(plan, doc, sp.index) if doc else "",
                "title": doc.title if doc else "",
                "withdrawn": sp.note,
                "extracts": [e.number for e in sp.extracts],
            }
        )
    ranges: dict[str, list[int]] = built.ranges
    return {
        "labels": built.labels,
        "cover": ranges["cover"],
        "changes": ranges["changes"],
        "index": ranges["index"],
        "body": ranges["body"],
        "appendix": ranges["appendix"],
        "sections": sections,
        "source_pages": source_pages,
    }


def record(
    ws: "Workspace",
    written: str,
    path: str,
    sel: Selection,
    title: str,
    plan: Plan,
    built: "Built",
    prev: Previous | None,
    uid: str,
) -> int:
    """Store the edition just written to `written` (to be moved to `path`); its number."""
    number = prev.number + 1 if prev else 1
    with ws.write("export edition", {"file": os.path.basename(path), "edition": number, "uid": uid}) as s:
        s.add(
            Edition(
                uid=uid,
                series=prev.series if prev else uid,
                number=number,
                previous_uid=prev.uid if prev else "",
                sha256=file_sha256(written),
                filename=os.path.basename(path),
                title=title,
                letter=sel.letter,
                pages=built.pages,
                selection=json.dumps(sel.as_dict()),
                plan=json.dumps(page_plan(plan, built), separators=(",", ":")),
                author=ws.author,
            )
        )
    return number


def editions(ws: "Workspace") -> list[EditionInfo]:
    """Every recorded edition, newest first (for listing)."""
    with ws.session() as s:
        rows = s.exec(select(Edition).order_by(col(Edition.id).desc())).all()
    return [
        {
            "uid": r.uid,
            "series": r.series,
            "edition": r.number,
            "file": r.filename,
            "title": r.title,
            "letter": r.letter,
            "pages": r.pages,
            "sha256": r.sha256,
            "created_at": r.created_at,
            "author": r.author,
        }
        for r in rows
    ]
