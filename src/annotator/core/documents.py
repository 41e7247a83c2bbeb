"""Document queries and metadata edits."""

from sqlmodel import Session, col, select

from annotator.core import index
from annotator.core.changes import Change
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import Document, Line, Page

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
    return list(s.exec(select(Page).where(col(Page.document_id) == document_id).order_by(col(Page.index))))


def lines(s: Session, document_id: int) -> list[Line]:
    return list(s.exec(select(Line).where(col(Line.document_id) == document_id).order_by(col(Line.seq))))


def as_dict(d: Document) -> dict:
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
        f"Edit {doc.title}",
        documents=True,
        inverse=lambda w: update_metadata(w, document_id, **old),
    )


# Removal: tables in the order rows are put back (and the reverse of deletion).
_TABLES = ("document", "page", "line", "passage", "passage_theme", "link")


def remove(ws, document_id: int) -> Change:
    """Remove a document with its pages and lines (a file imported by mistake); undoable.

    Refused while live passages are tagged on it: their tags and notes would go
    too. Passages already deleted from it go with it (an undo brings them back).
    The original's bytes stay in the workspace, so a later re-import reuses them."""
    with ws.write("remove document", {"document": document_id}) as s:
        raw = s.connection().connection.driver_connection
        doc = s.get(Document, document_id)
        if doc is None:
            raise NotFound(f"No document {document_id}.")
        live = raw.execute(
            "SELECT count(*) FROM passage WHERE document_id = ? AND deleted_at IS NULL", (document_id,)
        ).fetchone()[0]
        if live:
            raise InvalidInput(
                f"'{doc.title}' has {live} passage{'s' if live != 1 else ''} tagged on it; "
                "delete them first if the document must go. Nothing was removed."
            )
        title = doc.title
        kept = _snapshot(raw, document_id)
        pids = [row[0] for row in kept["passage"][1]]
        marks = ",".join("?" * len(pids))
        if pids:
            raw.execute(
                f"DELETE FROM link WHERE source_id IN ({marks}) OR target_id IN ({marks})", pids + pids
            )
            raw.execute(f"DELETE FROM passage_theme WHERE passage_id IN ({marks})", pids)
            raw.execute("DELETE FROM passage WHERE document_id = ?", (document_id,))
        # the lines' full-text entries in one statement rather than a trigger per line
        raw.execute("DROP TRIGGER IF EXISTS line_fts_ad")
        raw.execute(
            "INSERT INTO line_fts(line_fts, rowid, text) SELECT 'delete', id, text FROM line "
            "WHERE document_id = ?",
            (document_id,),
        )
        raw.execute("DELETE FROM line WHERE document_id = ?", (document_id,))
        raw.execute(index.trigger("line_fts_ad"))
        raw.execute("DELETE FROM page WHERE document_id = ?", (document_id,))
        raw.execute("DELETE FROM document WHERE id = ?", (document_id,))
    return Change(
        f"Remove {title}",
        documents=True,
        links=bool(pids),
        passages=set(pids),
        inverse=lambda w: _put_back(w, document_id, title, kept),
    )


def _snapshot(raw, document_id: int) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row that goes with the document: (column names, rows) per table."""
    where = {
        "document": "id = ?",
        "page": "document_id = ?",
        "line": "document_id = ?",
        "passage": "document_id = ?",
        "passage_theme": "passage_id IN (SELECT id FROM passage WHERE document_id = ?)",
        "link": "source_id IN (SELECT id FROM passage WHERE document_id = ?) "
        "OR target_id IN (SELECT id FROM passage WHERE document_id = ?)",
    }
    out = {}
    for table in _TABLES:
        cur = raw.execute(
            f'SELECT * FROM "{table}" WHERE {where[table]}', (document_id,) * where[table].count("?")
        )
        out[table] = ([d[0] for d in cur.description], cur.fetchall())
    return out


def _put_back(ws, document_id: int, title: str, kept: dict) -> Change:
    """Undo of remove(): the same rows with the same ids, and their index entries."""
    with ws.write("restore removed document", {"document": document_id}) as s:
        raw = s.connection().connection.driver_connection
        raw.execute("DROP TRIGGER IF EXISTS line_fts_ai")  # filled in bulk below
        for table in _TABLES:
            cols, rows = kept[table]
            if rows:
                names = ", ".join(f'"{c}"' for c in cols)
                raw.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})', rows
                )
        raw.execute(
            "INSERT INTO line_fts(rowid, text) SELECT id, text FROM line WHERE document_id = ?",
            (document_id,),
        )
        raw.execute(index.trigger("line_fts_ai"))
    pids = {row[0] for row in kept["passage"][1]}
    return Change(
        f"Restore {title}",
        documents=True,
        links=bool(pids),
        passages=pids,
        inverse=lambda w: remove(w, document_id),
    )
