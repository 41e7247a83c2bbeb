"""Writing a new version (one undoable command) and reading versions back."""

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from sqlmodel import Session, col, select

from annotator.core.evidence import anchors

from annotator.core.store import index
from annotator.core.evidence.changes import Change, Command, Scope
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.ingest import importer
from annotator.core.library.documents import document_rows
from annotator.core.store.models import Blob, Document, DocumentVersion, Passage, now, saved_id
from annotator.core.versions.placing import (
    ANCHOR_COLS,
    LINE_COLS,
    Placement,
    Replacement,
    Report,
    _same_words,
    _stamp,
    prepare,
)
from annotator.core.store.workspace import sqlite_of

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

# A row as it goes into or comes out of SQLite, column by column.
SqlRow = tuple[object, ...]
# A passage's anchor columns as they were, by column name (see _old_rows).
OldRow = dict[str, object]


# ---- writing -----------------------------------------------------------------------
def _insert(raw: sqlite3.Connection, table: str, cols: Sequence[str], rows: Sequence[SqlRow]) -> None:
    if rows:
        names = ", ".join(f'"{c}"' for c in cols)
        raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})', rows)


def _replace_text(
    raw: sqlite3.Connection, doc_id: int, pages: Sequence[SqlRow], lines: Sequence[SqlRow]
) -> None:
    """The document's pages and lines replaced, and the OCR done on its earlier version
    dropped (the search index of its lines in two statements rather than a trigger a line)."""
    raw.execute("DELETE FROM page WHERE document_id = ?", (doc_id,))
    raw.execute("DELETE FROM ocr_word WHERE document_id = ?", (doc_id,))
    raw.execute("DELETE FROM ocr_page WHERE document_id = ?", (doc_id,))
    _insert(raw, "page", ("document_id", "index", "label", "width", "height", "rotation", "text"), pages)
    index.replace_lines(raw, doc_id, ("document_id", "day") + LINE_COLS, lines)


def _set_passages(raw: sqlite3.Connection, rows: list[SqlRow]) -> None:
    """Write the anchor columns (id first, then ANCHOR_COLS); their search entries are
    refreshed in one go, not by a trigger a row."""
    sets = ", ".join(f'"{c}" = ?' for c in ANCHOR_COLS)
    raw.execute("DROP TRIGGER IF EXISTS passage_fts_au")
    raw.executemany(f"UPDATE passage SET {sets} WHERE id = ?", [tuple(r[1:]) + (r[0],) for r in rows])
    raw.execute(index.trigger("passage_fts_au"))
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS moved_passage (id INTEGER PRIMARY KEY)")
    raw.execute("DELETE FROM moved_passage")
    raw.executemany("INSERT INTO moved_passage (id) VALUES (?)", [(r[0],) for r in rows])
    raw.execute("DELETE FROM passage_fts WHERE rowid IN (SELECT id FROM moved_passage)")
    raw.execute(index.refill_passages("SELECT id FROM moved_passage"))
    raw.execute("DELETE FROM moved_passage")


def _old_rows(raw: sqlite3.Connection, where: str, args: SqlRow) -> dict[int, OldRow]:
    cols = ("id",) + ANCHOR_COLS
    cur = raw.execute(f"SELECT {', '.join(cols)} FROM passage WHERE {where}", args)
    return {r[0]: dict(zip(cols, r, strict=True)) for r in cur}


def _passage_row(pl: Placement, was: OldRow) -> SqlRow:
    """The passage's anchor columns after the placement (was: them before)."""
    a = pl.anchor
    if a is None:  # orphaned: no place on the new version; its words and citation kept
        c = pl.candidate
        page, char = (c.start_page, c.start_char) if c else (0, 0)
        return (
            was["id"],
            page,
            char,
            page,
            char,
            "[]",
            pl.old_quote,
            was["prefix"],
            was["suffix"],
            was["day"],
            was["tpage_from"],
            was["line_from"],
            was["tpage_to"],
            was["line_to"],
            was["para_from"],
            was["para_to"],
            "orphaned",
            pl.old_quote,
        )
    old_quote = pl.old_quote if pl.status == "changed" else ""
    return (
        was["id"],
        a.start_page,
        a.start_char,
        a.end_page,
        a.end_char,
        json.dumps(a.rects or []),
        a.quote,
        a.prefix,
        a.suffix,
        a.day,
        a.tpage_from,
        a.line_from,
        a.tpage_to,
        a.line_to,
        a.para_from,
        a.para_to,
        pl.status,
        old_quote,
    )


@dataclass
class ReplaceDocument(Command):
    """Make a prepared version current: its pages and lines, every passage's new
    anchor, the version listed. Undo puts back the previous version exactly."""

    action = "replace document"
    rep: Replacement

    def details(self) -> dict[str, object]:
        r = self.rep
        return {"document": r.document_id, "file": r.filename, "sha256": r.sha256, **r.counts}

    def scope(self, s: Session) -> Scope:
        d = int(self.rep.document_id)
        sha = self.rep.sha256
        if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):  # only hex enters the SQL
            raise InvalidInput("Not a SHA-256.")
        return [
            ("blob", f"sha256 = '{sha}'"),  # the new file's bytes, if this brings them
            *document_rows(d),
        ]

    def apply(self, ws: "Workspace", s: Session) -> Change:
        rep, doc_id = self.rep, self.rep.document_id
        conn = sqlite_of(s)
        if _stamp(conn, doc_id) != rep.stamp:
            raise InvalidInput(
                "The document or its passages changed while the new version was being read; "
                "nothing was replaced. Try again."
            )
        if s.get(Blob, rep.sha256) is None:
            s.add(Blob(sha256=rep.sha256, size=len(rep.data), data=rep.data))
            s.flush()
        doc = s.get(Document, doc_id)
        if doc is None:
            raise NotFound(f"No document {doc_id}: it was removed while the new version was being read.")
        count, last = conn.execute(
            "SELECT count(*), coalesce(max(number), 0) FROM document_version WHERE document_id = ?", (doc_id,)
        ).fetchone()
        if not count:  # the first replacement: the original becomes version 1
            s.add(_original(doc))
        parsed = rep.parsed
        s.add(
            DocumentVersion(
                document_id=doc_id,
                number=max(last, 1) + 1,
                sha256=rep.sha256,
                filename=rep.filename,
                source_format=parsed.fmt,
                page_count=len(parsed.pages),
                imported_at=now(),
                report=json.dumps(rep.report()),
            )
        )
        s.flush()
        pages = [
            (doc_id, idx, label or str(idx + 1), w, h, rot, body)
            for idx, ((w, h, rot, label), body) in enumerate(zip(parsed.sizes, parsed.texts, strict=False))
        ]
        _replace_text(conn, doc_id, pages, [(doc_id, ln.day, *ln[: len(LINE_COLS)]) for ln in rep.lines])
        has_text = any(r.text.strip() for rows in parsed.pages for r in rows)
        conn.execute(
            "UPDATE document SET sha256 = ?, filename = ?, source_format = ?, page_count = ?, has_text = ?, "
            "flags = ? WHERE id = ?",
            (
                rep.sha256,
                rep.filename,
                parsed.fmt,
                len(parsed.pages),
                has_text,
                json.dumps([] if has_text else [importer.NO_TEXT]),
                doc_id,
            ),
        )
        was = _old_rows(conn, "document_id = ?", (doc_id,))
        _set_passages(conn, [_passage_row(pl, was[pl.passage_id]) for pl in rep.placements])
        return Change(
            f"Replace {rep.title} with {rep.filename}",
            passages={pl.passage_id for pl in rep.placements},
            documents=True,
            links=True,
            result=rep.report(),
        )


def apply(ws: "Workspace", rep: Replacement) -> Change:
    """Make the prepared version current; undoable (see ReplaceDocument)."""
    return ReplaceDocument(rep).do(ws)


def replace(
    ws: "Workspace",
    document_id: int,
    path: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Change:
    """Read the new file, place every passage, and make it the current version."""
    return apply(ws, prepare(ws, document_id, path, progress, cancelled))


# ---- reading back and by hand --------------------------------------------------------
class VersionInfo(TypedDict):
    """A version as listed: its file, and the report of carrying passages onto it."""

    number: int
    sha256: str
    filename: str
    format: str
    pages: int
    imported_at: str
    current: bool
    report: Report | None  # None for version 1, and for a version made before reports


def _original(doc: Document) -> DocumentVersion:
    """Version 1: the file as first imported (a document never replaced has only it)."""
    return DocumentVersion(
        document_id=saved_id(doc),
        number=1,
        sha256=doc.sha256,
        filename=doc.filename,
        source_format=doc.source_format,
        page_count=doc.page_count,
        imported_at=doc.imported_at,
    )


def versions(s: Session, document_id: int) -> list[VersionInfo]:
    """The document's versions, oldest first; a document never replaced has one."""
    doc = s.get(Document, document_id)
    if doc is None:
        raise NotFound(f"No document {document_id}.")
    rows = list(
        s.exec(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document_id)
            .order_by(col(DocumentVersion.number))
        )
    )
    rows = rows or [_original(doc)]
    last = rows[-1].number
    return [
        {
            "number": v.number,
            "sha256": v.sha256,
            "filename": v.filename,
            "format": v.source_format,
            "pages": v.page_count,
            "imported_at": v.imported_at,
            "current": v.number == last,
            "report": json.loads(v.report or "{}") or None,
        }
        for v in rows
    ]


def latest_report(s: Session, document_id: int) -> Report | None:
    return versions(s, document_id)[-1]["report"]


def earlier_files(ws: "Workspace") -> dict[int, list[str]]:
    """File names of the earlier versions of every replaced document, oldest first."""
    out: dict[int, list[str]] = {}
    with ws.session() as s:
        for doc_id, name, sha, current in s.exec(
            select(
                DocumentVersion.document_id,
                DocumentVersion.filename,
                DocumentVersion.sha256,
                Document.sha256,
            )
            .join(Document, col(Document.id) == DocumentVersion.document_id)
            .order_by(col(DocumentVersion.document_id), col(DocumentVersion.number))
        ):
            if sha != current:
                out.setdefault(doc_id, []).append(name)
    return out


def report_of(ws: "Workspace", document_id: int) -> Report | None:
    """The re-anchoring report of the document's current version (None if never replaced)."""
    with ws.session() as s:
        return latest_report(s, document_id)


@dataclass
class PlacePassage(Command):
    """Put a passage (an orphan, or one carried to the wrong words) where a person says:
    an anchor, or a range from start to end (page index, char)."""

    action = "place passage"
    passage_id: int
    anchor: anchors.Anchor | None = None
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None

    def details(self) -> dict[str, object]:
        return {"passage": self.passage_id}

    def scope(self, s: Session) -> Scope:
        return [("passage", f"id = {int(self.passage_id)}")]

    def apply(self, ws: "Workspace", s: Session) -> Change:
        pid = self.passage_id
        p = s.get(Passage, pid)
        if p is None or p.deleted_at is not None:
            raise NotFound(f"No passage {pid}.")
        anchor = self.anchor
        if anchor is None:
            if self.start is None or self.end is None:
                raise InvalidInput("Say where the passage goes.")
            anchor = anchors.resolve(s, p.document_id, *self.start, *self.end)
        words = p.old_quote or p.quote
        status = "moved" if _same_words(anchor.quote, words) else "changed"
        conn = sqlite_of(s)
        was = _old_rows(conn, "id = ?", (pid,))[pid]
        _set_passages(conn, [_passage_row(Placement(pid, status, "", words, anchor), was)])
        conn.execute("UPDATE passage SET modified_at = ? WHERE id = ?", (now(), pid))
        return Change("Place passage", passages={pid})


def place(
    ws: "Workspace",
    pid: int,
    anchor: anchors.Anchor | None = None,
    *,
    start: tuple[int, int] | None = None,
    end: tuple[int, int] | None = None,
) -> Change:
    """Place a passage by hand; undoable (see PlacePassage)."""
    return PlacePassage(pid, anchor, start, end).do(ws)
