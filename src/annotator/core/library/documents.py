"""Document queries and metadata edits."""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from sqlmodel import Session, col, select

from annotator.core.store import index, settings
from annotator.core.evidence.changes import Change, Command, Scope
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import Document, Line, Page
from annotator.core.store.workspace import sqlite_of

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

KINDS = ("transcript", "witness statement", "exhibit", "report", "other")
EDITABLE = ("title", "kind", "urn", "witness", "date", "day")


def all_documents(s: Session) -> list[Document]:
    return list(s.exec(select(Document).order_by(col(Document.position), col(Document.id))))


def find(s: Session, ref: str | int) -> Document:
    """A document by id, URN, file name or title (case-insensitive)."""
    ref_s = str(ref).strip()
    if ref_s.isdigit():
        doc = s.get(Document, int(ref_s))
        if doc:
            return doc
    low = ref_s.lower()
    docs = all_documents(s)
    keys: tuple[Callable[[Document], str], ...] = (
        lambda d: d.urn.lower(),
        lambda d: d.filename.lower(),
        lambda d: d.title.lower(),
    )
    for key in keys:
        hits = [d for d in docs if key(d) == low]
        if len(hits) == 1:
            return hits[0]
    hits = [d for d in docs if low and low in d.title.lower()]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise NotFound(f"'{ref}' matches {len(hits)} documents; use the document id.")
    raise NotFound(f"No document '{ref}' in this workspace.")


def pages(s: Session, document_id: int) -> list[Page]:
    return list(s.exec(select(Page).where(col(Page.document_id) == document_id).order_by(col(Page.index))))


def lines(s: Session, document_id: int) -> list[Line]:
    return list(s.exec(select(Line).where(col(Line.document_id) == document_id).order_by(col(Line.seq))))


class DocumentInfo(TypedDict):
    """A document's details as the command line and JSON give them."""

    id: int | None
    title: str
    kind: str
    urn: str
    witness: str
    date: str
    day: int | None
    sha256: str
    pages: int
    filename: str
    format: str
    has_text: bool
    imported_at: str
    exhibits: list[str]


class UrnProposal(TypedDict):
    id: int
    title: str
    old: str
    new: str


def as_dict(d: Document) -> DocumentInfo:
    return {
        "id": d.id,
        "title": d.title,
        "kind": d.kind,
        "urn": d.urn,
        "witness": d.witness,
        "date": d.date,
        "day": d.day,
        "sha256": d.sha256,
        "pages": d.page_count,
        "filename": d.filename,
        "format": d.source_format,
        "has_text": d.has_text,
        "imported_at": d.imported_at,
        "exhibits": json.loads(d.exhibits or "[]"),
    }


def check_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """The document details as they will be stored, or InvalidInput saying what
    is wrong. The one place titles, kinds, dates, days and URNs are checked
    (the window and the command line both come here)."""
    bad = set(fields) - set(EDITABLE)
    if bad:
        raise InvalidInput(f"Cannot edit {', '.join(sorted(bad))} of a document.")
    out: dict[str, object] = {}
    for key, value in fields.items():
        if key == "day":
            out[key] = _check_day(value)
            continue
        value = " ".join(str(value or "").split())
        if key == "title" and not value:
            raise InvalidInput("A document needs a title.")
        if key == "kind" and value not in KINDS:
            raise InvalidInput(f"Kind must be one of: {', '.join(KINDS)}.")
        if key == "date" and value:
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                raise InvalidInput("Write the date as YYYY-MM-DD, e.g. 2011-05-12.") from None
        if key == "urn" and value and not _URN_CHARS.fullmatch(value):
            raise InvalidInput(
                f"'{value}' cannot be a reference: use letters, digits, '-', '_' or '.', "
                "starting with a letter (e.g. INQ000123456)."
            )
        out[key] = value
    return out


_URN_CHARS = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def _check_day(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 9999:
        raise InvalidInput("A hearing day is a whole number from 1 (or empty for none).")
    return int(text)


def urn_warning(pattern: str, urn: str) -> str:
    """A sentence if `urn` does not look like this workspace's references (it
    may still be kept: a one-off reference is allowed)."""
    if not urn:
        return ""
    try:
        if re.fullmatch(pattern, urn):
            return ""
    except re.error:
        return ""
    return f"{urn} does not look like this workspace's references ({pattern})."


@dataclass
class UpdateDocument(Command):
    """Change only the named details of a document. A transcript's hearing day
    is carried by its lines and passages too (search filters and citations
    read it there), so they follow a change of day or kind."""

    action = "edit document"
    document_id: int
    fields: dict[str, object]

    def details(self) -> dict[str, object]:
        return {"document": self.document_id, **self.fields}

    def scope(self, s: Session) -> Scope:
        d = int(self.document_id)
        out: Scope = [("document", f"id = {d}")]
        if {"day", "kind"} & set(self.fields):
            out += [("line", f"document_id = {d}"), ("passage", f"document_id = {d}")]
        return out

    def apply(self, ws: "Workspace", s: Session) -> Change:
        fields = check_fields(self.fields)
        doc = s.get(Document, self.document_id)
        if doc is None:
            raise NotFound(f"No document {self.document_id}.")
        title = doc.title
        for k, v in fields.items():
            setattr(doc, k, v)
        s.add(doc)
        if {"day", "kind"} & set(fields) and doc.kind == "transcript":
            d = int(self.document_id)
            conn = sqlite_of(s)
            conn.execute(
                f"UPDATE line SET day = ? WHERE document_id = {d} AND day IS NOT ?", (doc.day, doc.day)
            )
            conn.execute(
                f"UPDATE passage SET day = ? WHERE document_id = {d} AND tpage_from IS NOT NULL "
                "AND day IS NOT ?",
                (doc.day, doc.day),
            )
        return Change(f"Edit {title}", documents=True, passages=set())


def update_metadata(ws: "Workspace", document_id: int, **fields: object) -> Change:
    """Edit title, kind, URN, witness, date or day; only those named change; undoable."""
    check_fields(fields)  # refuse before opening a transaction
    return UpdateDocument(document_id, fields).do(ws)


def urn_proposals(s: Session, pattern: str) -> list[UrnProposal]:
    """Documents whose URN the pattern reads differently from their file name
    (which wins) or first page: [{"id", "title", "old", "new"}]. A document
    where the pattern finds nothing keeps its URN."""
    from annotator.core.ingest import guess_urn

    settings.info("urn_pattern").coerce(pattern)  # a clear sentence for a bad pattern
    conn = sqlite_of(s)
    out: list[UrnProposal] = []
    for doc_id, title, urn, filename, first in conn.execute(
        "SELECT d.id, d.title, d.urn, d.filename, coalesce(p.text, '') FROM document d "
        'LEFT JOIN page p ON p.document_id = d.id AND p."index" = 0 ORDER BY d.position, d.id'
    ):
        new = guess_urn(pattern, filename, first)
        if new and new != urn:
            out.append({"id": doc_id, "title": title, "old": urn, "new": new})
    return out


@dataclass
class RereadUrns(Command):
    """Read every document's URN again with a (new) pattern; undoable."""

    action = "re-read URNs"
    pattern: str

    def details(self) -> dict[str, object]:
        return {"pattern": self.pattern}

    def scope(self, s: Session) -> Scope:
        return [("document", "1")]

    def apply(self, ws: "Workspace", s: Session) -> Change:
        found = urn_proposals(s, self.pattern)
        conn = sqlite_of(s)
        conn.executemany("UPDATE document SET urn = ? WHERE id = ?", [(p["new"], p["id"]) for p in found])
        n = len(found)
        return Change(
            f"Re-read the URNs of {n} document{'s' if n != 1 else ''}", documents=True, result=found
        )


def reread_urns(ws: "Workspace", pattern: str | None = None) -> Change:
    return RereadUrns(pattern or ws.get("urn_pattern")).do(ws)


def document_rows(doc_id: int) -> Scope:
    """The rows that make up a document as read: its file's versions, pages, lines,
    recognised words and passages (what a removal or a new version rewrites)."""
    d = int(doc_id)
    return [
        ("document", f"id = {d}"),
        ("document_version", f"document_id = {d}"),
        ("page", f"document_id = {d}"),
        ("line", f"document_id = {d}"),
        ("ocr_page", f"document_id = {d}"),
        ("ocr_word", f"document_id = {d}"),
        ("passage", f"document_id = {d}"),
    ]


@dataclass
class RemoveDocument(Command):
    """Remove a document with its pages and lines (a file imported by mistake).

    Refused while live passages are tagged on it: their tags and notes would go
    too. Passages already deleted from it go with it (an undo brings them back).
    The original's bytes stay in the workspace, so a later re-import reuses them."""

    action = "remove document"
    document_id: int

    def details(self) -> dict[str, object]:
        return {"document": self.document_id}

    def scope(self, s: Session) -> Scope:
        d = int(self.document_id)
        mine = f"SELECT id FROM passage WHERE document_id = {d}"
        return [
            *document_rows(d),
            ("passage_theme", f"passage_id IN ({mine})"),
            ("link", f"source_id IN ({mine}) OR target_id IN ({mine})"),
        ]

    def apply(self, ws: "Workspace", s: Session) -> Change:
        conn = sqlite_of(s)
        document_id = self.document_id
        doc = s.get(Document, document_id)
        if doc is None:
            raise NotFound(f"No document {document_id}.")
        live = conn.execute(
            "SELECT count(*) FROM passage WHERE document_id = ? AND deleted_at IS NULL", (document_id,)
        ).fetchone()[0]
        if live:
            raise InvalidInput(
                f"'{doc.title}' has {live} passage{'s' if live != 1 else ''} tagged on it; "
                "delete them first if the document must go. Nothing was removed."
            )
        pids = [r[0] for r in conn.execute("SELECT id FROM passage WHERE document_id = ?", (document_id,))]
        marks = ",".join("?" * len(pids))
        if pids:
            conn.execute(
                f"DELETE FROM link WHERE source_id IN ({marks}) OR target_id IN ({marks})", pids + pids
            )
            conn.execute(f"DELETE FROM passage_theme WHERE passage_id IN ({marks})", pids)
            conn.execute("DELETE FROM passage WHERE document_id = ?", (document_id,))
        # the lines' full-text entries in one statement rather than a trigger per line
        conn.execute("DROP TRIGGER IF EXISTS line_fts_ad")
        conn.execute(
            "INSERT INTO line_fts(line_fts, rowid, text) SELECT 'delete', id, text FROM line "
            "WHERE document_id = ?",
            (document_id,),
        )
        conn.execute("DELETE FROM line WHERE document_id = ?", (document_id,))
        conn.execute(index.trigger("line_fts_ad"))
        conn.execute("DELETE FROM page WHERE document_id = ?", (document_id,))
        conn.execute("DELETE FROM ocr_word WHERE document_id = ?", (document_id,))
        conn.execute("DELETE FROM ocr_page WHERE document_id = ?", (document_id,))
        conn.execute("DELETE FROM document_version WHERE document_id = ?", (document_id,))
        conn.execute("DELETE FROM document WHERE id = ?", (document_id,))
        return Change(f"Remove {doc.title}", documents=True, links=bool(pids), passages=set(pids))


def remove(ws: "Workspace", document_id: int) -> Change:
    """Remove a document imported by mistake; undoable (see RemoveDocument)."""
    return RemoveDocument(document_id).do(ws)


# ---- read functions for the window (each opens its own read session) ----


def listed(ws: "Workspace") -> list[Document]:
    """Every document in workspace order."""
    with ws.session() as s:
        return all_documents(s)


def get(ws: "Workspace", document_id: int) -> Document:
    with ws.session() as s:
        doc = s.get(Document, document_id)
    if doc is None:
        raise NotFound(f"No document {document_id}.")
    return doc


def present_ids(ws: "Workspace") -> set[int]:
    with ws.session() as s:
        return {i for i in s.exec(select(col(Document.id))) if i is not None}  # never None once stored


def urns_to_reread(ws: "Workspace", pattern: str) -> list[UrnProposal]:
    """What re-reading URNs with `pattern` would change (see urn_proposals)."""
    with ws.session() as s:
        return urn_proposals(s, pattern)
