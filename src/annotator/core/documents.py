"""Document queries and metadata edits."""

from sqlmodel import Session, select

from annotator.core.changes import Change
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import Document, Line, Page

KINDS = ("transcript", "witness statement", "exhibit", "report", "other")
EDITABLE = ("title", "kind", "urn", "witness", "date", "day")


def all_documents(s: Session) -> list[Document]:
    return list(s.exec(select(Document).order_by(Document.position, Document.id)))


def find(s: Session, ref: str | int) -> Document:
    """A document by id, URN, file name or title (case-insensitive)."""
    ref_s = str(ref).strip()
    if ref_s.isdigit():
        doc = s.get(Document, int(ref_s))
        if doc:
            return doc
    low = ref_s.lower()
    docs = all_documents(s)
    for key in (lambda d: d.urn.lower(), lambda d: d.filename.lower(), lambda d: d.title.lower()):
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
    return list(s.exec(select(Page).where(Page.document_id == document_id).order_by(Page.index)))


def lines(s: Session, document_id: int) -> list[Line]:
    return list(s.exec(select(Line).where(Line.document_id == document_id).order_by(Line.seq)))


def as_dict(d: Document) -> dict:
    return {
        "id": d.id, "title": d.title, "kind": d.kind, "urn": d.urn, "witness": d.witness,
        "date": d.date, "day": d.day, "sha256": d.sha256, "pages": d.page_count,
        "filename": d.filename, "format": d.source_format, "has_text": d.has_text,
        "imported_at": d.imported_at,
    }


def update_metadata(ws, document_id: int, **fields) -> Change:
    """Edit title, kind, URN, witness, date or day; undoable."""
    bad = set(fields) - set(EDITABLE)
    if bad:
        raise InvalidInput(f"Cannot edit {', '.join(sorted(bad))} of a document.")
    if "kind" in fields and fields["kind"] not in KINDS:
        raise InvalidInput(f"Kind must be one of: {', '.join(KINDS)}.")
    if fields.get("day") in ("", None):
        fields["day"] = None if "day" in fields else None
    with ws.write("edit document", {"document": document_id, **fields}) as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise NotFound(f"No document {document_id}.")
        old = {k: getattr(doc, k) for k in fields}
        for k, v in fields.items():
            setattr(doc, k, int(v) if k == "day" and v is not None else v)
        s.add(doc)
        if "day" in fields:  # lines carry the day for search filters
            for line in s.exec(select(Line).where(Line.document_id == document_id)):
                if doc.kind == "transcript":
                    line.day = doc.day
                    s.add(line)
    return Change(
        f"Edit {doc.title}", documents=True,
        inverse=lambda w: update_metadata(w, document_id, **old),
    )
