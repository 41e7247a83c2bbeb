"""New versions of a document: the new file replaces the text, the old file is
kept (by SHA-256) and listed, and every passage is carried across.

`prepare` reads the new file and works out where every passage goes without
writing anything (it can run in the background); `apply` writes it all in one
transaction and returns a Change whose inverse puts back the previous
version's pages, lines and every passage's anchor exactly as they were.
"""

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlmodel import Session, select

from annotator.core import anchors, index, reanchor
from annotator.core.changes import Change
from annotator.core.errors import AnnotatorError, InvalidInput, NotFound
from annotator.core.ingest import importer
from annotator.core.models import Blob, Document, DocumentVersion, Passage, now
from annotator.core.passages import cite

STATUSES = ("exact", "moved", "changed", "orphaned")
# What a re-anchoring writes on a passage (and an undo puts back).
ANCHOR_COLS = (
    "start_page",
    "start_char",
    "end_page",
    "end_char",
    "rects",
    "quote",
    "prefix",
    "suffix",
    "day",
    "tpage_from",
    "line_from",
    "tpage_to",
    "line_to",
    "anchor",
    "old_quote",
)
DOC_COLS = ("sha256", "filename", "source_format", "page_count", "has_text", "flags")
LINE_COLS = (
    "page_index",
    "seq",
    "tpage",
    "line",
    "speaker",
    "role",
    "text",
    "char_start",
    "char_end",
    "x0",
    "y0",
    "x1",
    "y1",
)


class LineRow(NamedTuple):
    """A line of the new version before it is stored, shaped like a Line row."""

    page_index: int
    seq: int
    tpage: int
    line: int
    speaker: str
    role: str
    text: str
    char_start: int
    char_end: int
    x0: float
    y0: float
    x1: float
    y1: float
    day: int | None


@dataclass
class Placement:
    passage_id: int
    status: str  # exact | moved | changed | orphaned
    old_citation: str
    old_quote: str
    anchor: anchors.Anchor | None = None  # the new place (None when orphaned)
    candidate: anchors.Anchor | None = None  # an orphan's best guess, for a person to judge
    citation: str = ""  # of the new place, or of the candidate
    deleted: bool = False  # a deleted passage is carried too (an undo may bring it back)

    def as_dict(self) -> dict:
        place = self.anchor or self.candidate
        return {
            "passage": self.passage_id,
            "status": self.status,
            "old_citation": self.old_citation,
            "old_quote": self.old_quote,
            "citation": self.citation if self.anchor else "",
            "quote": self.anchor.quote if self.anchor else "",
            "candidate": None
            if self.anchor or not place
            else {
                "citation": self.citation,
                "quote": place.quote,
                "start": [place.start_page, place.start_char],
                "end": [place.end_page, place.end_char],
            },
        }


@dataclass
class Replacement:
    """A new version read and every passage placed on it; nothing written yet."""

    document_id: int
    title: str
    filename: str
    data: bytes
    sha256: str
    parsed: importer.Parsed
    lines: list[LineRow]
    placements: list[Placement]
    stamp: tuple  # the document as it was when this was worked out
    counts: dict = field(default_factory=dict)

    def report(self) -> dict:
        return {
            "document": self.document_id,
            "title": self.title,
            "filename": self.filename,
            "sha256": self.sha256,
            "pages": len(self.parsed.pages),
            "counts": self.counts,
            "passages": [p.as_dict() for p in self.placements if p.status in ("changed", "orphaned")],
        }


def _stamp(raw, doc_id: int) -> tuple:
    doc = raw.execute("SELECT sha256 FROM document WHERE id = ?", (doc_id,)).fetchone()
    marks = raw.execute(
        "SELECT count(*), max(modified_at), coalesce(sum(start_page + start_char + end_char), 0), "
        "count(deleted_at) "
        "FROM passage WHERE document_id = ?",
        (doc_id,),
    ).fetchone()
    return (doc[0] if doc else None, *marks)


class Cited(NamedTuple):
    """What a citation is made of (ORM objects cost too much by the ten thousand)."""

    document_id: int
    start_page: int
    end_page: int
    day: int | None
    tpage_from: int | None
    line_from: int | None
    tpage_to: int | None
    line_to: int | None
    anchor: str = ""


_PASSAGE_COLS = "id, start_page, start_char, end_page, end_char, quote, old_quote, anchor, deleted_at, " + (
    "document_id, day, tpage_from, line_from, tpage_to, line_to"
)


class PassageRow(NamedTuple):
    id: int
    start_page: int
    start_char: int
    end_page: int
    end_char: int
    quote: str
    old_quote: str
    anchor: str
    deleted_at: str | None
    document_id: int
    day: int | None
    tpage_from: int | None
    line_from: int | None
    tpage_to: int | None
    line_to: int | None


def stored_layout(s: Session, doc_id: int) -> anchors.Layout:
    raw = s.connection().connection.driver_connection
    pages = dict(raw.execute('SELECT "index", text FROM page WHERE document_id = ?', (doc_id,)))
    lines = [
        LineRow(*row)
        for row in raw.execute(
            f"SELECT {', '.join(LINE_COLS)}, day FROM line WHERE document_id = ? ORDER BY seq", (doc_id,)
        )
    ]
    return anchors.Layout(pages, lines)


def _new_lines(parsed: importer.Parsed, day: int | None) -> list[LineRow]:
    return [LineRow(*v, day) for v in parsed.values]


def prepare(ws, document_id: int, path: str, progress=None, cancelled=None) -> Replacement:
    """Read the new file and place every passage of the document on it."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise InvalidInput(f"Cannot read {os.path.basename(path)}: {err.strerror or err}.") from err
    if not data:
        raise InvalidInput(f"{os.path.basename(path)} is empty; the document was left as it was.")
    sha = hashlib.sha256(data).hexdigest()
    with ws.session() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise NotFound(f"No document {document_id}.")
        if doc.sha256 == sha:
            raise InvalidInput(f"{os.path.basename(path)} is already the current version of '{doc.title}'.")
        title, kind, day = doc.title, doc.kind, doc.day
    try:
        parsed = importer.parse_bytes(data, path, None, progress, cancelled)
    except InterruptedError:
        raise
    except AnnotatorError as err:
        raise InvalidInput(
            f"{os.path.basename(path)} cannot be read ({err}); the document was left as it was."
        ) from err
    if cancelled and cancelled():
        raise InterruptedError("cancelled")
    lines = _new_lines(parsed, day if kind == "transcript" else None)
    new = anchors.Layout(dict(enumerate(parsed.texts)), lines)
    with ws.session() as s:
        raw = s.connection().connection.driver_connection
        stamp = _stamp(raw, document_id)
        doc = s.get(Document, document_id)
        old = stored_layout(s, document_id)
        passages = [
            PassageRow(*r)
            for r in raw.execute(f"SELECT {_PASSAGE_COLS} FROM passage WHERE document_id = ?", (document_id,))
        ]
        placements = carry(old, new, passages, doc)
    rep = Replacement(document_id, title, os.path.basename(path), data, sha, parsed, lines, placements, stamp)
    live = [p for p in placements if not p.deleted]
    rep.counts = {k: sum(1 for p in live if p.status == k) for k in STATUSES}
    return rep


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def carry(old: anchors.Layout, new: anchors.Layout, passages: list, doc: Document) -> list[Placement]:
    """Where each passage goes on the new layout (see reanchor)."""
    vocab = reanchor.Vocabulary()
    ow, nw = reanchor.words_of(old.lines, vocab), reanchor.words_of(new.lines, vocab)
    placer = reanchor.Placer(ow, nw)
    out = []
    for p in passages:
        words = p.old_quote if p.anchor == "orphaned" and p.old_quote else p.quote
        pl = Placement(p.id, "orphaned", cite(p, doc), words, deleted=p.deleted_at is not None)
        out.append(pl)
        if p.anchor == "orphaned":  # no place on the old version: looked up by its words alone
            keys = [vocab.key(w) for w in words.split()]
            span, guess = None, None
            spot, guess = placer.find(keys, 0, in_old=0) if keys else (None, None)
        else:
            span = placer.span(p.start_page, p.start_char, p.end_page, p.end_char)
            if span is None:
                continue  # no words to follow
            a, b = span
            spot, guess = placer.place(a, b)
            if spot is None:
                found, near = placer.find(ow.keys[a : b + 1], placer.hint(a))
                spot, guess = found, guess or near
        if spot is not None:
            if span is None:
                sp, sc, ep, ec = nw.page[spot.first], nw.start[spot.first], *_end(nw, spot.last)
            else:
                sp, sc, ep, ec = _range(ow, nw, placer, spot, span, p)
            try:
                pl.anchor = new.anchor(sp, sc, ep, ec)
            except AnnotatorError:
                pl.anchor = None
        if pl.anchor is not None:
            na = pl.anchor
            same = (na.start_page, na.start_char, na.end_page, na.end_char) == (
                p.start_page,
                p.start_char,
                p.end_page,
                p.end_char,
            ) and (na.tpage_from, na.line_from, na.tpage_to, na.line_to) == (
                p.tpage_from,
                p.line_from,
                p.tpage_to,
                p.line_to,
            )
            pl.status = "changed" if not _same_words(na.quote, words) else "exact" if same else "moved"
            pl.citation = _cite(na, p, doc)
        elif guess is not None:
            try:
                pl.candidate = new.anchor(nw.page[guess.first], nw.start[guess.first], *_end(nw, guess.last))
                pl.citation = _cite(pl.candidate, p, doc)
            except AnnotatorError:
                pl.candidate = None
    return out


def _end(w: reanchor.Words, i: int) -> tuple[int, int]:
    return w.page[i], w.end[i]


def _range(ow, nw, placer, spot, span, p) -> tuple[int, int, int, int]:
    """The new character range; a selection that began or ended inside a word keeps
    that much of it when the word is unchanged."""
    a, b = span
    sp, sc = nw.page[spot.first], nw.start[spot.first]
    ep, ec = nw.page[spot.last], nw.end[spot.last]
    if placer.m[a] == spot.first and (ow.page[a], ow.start[a]) < (p.start_page, p.start_char):
        sc = min(nw.end[spot.first] - 1, sc + p.start_char - ow.start[a])
    if placer.m[b] == spot.last and (p.end_page, p.end_char) < (ow.page[b], ow.end[b]):
        ec = max(nw.start[spot.last] + 1, ec - (ow.end[b] - p.end_char))
    return sp, sc, ep, ec


def _cite(a: anchors.Anchor, p, doc: Document) -> str:
    return cite(
        Cited(doc.id, a.start_page, a.end_page, a.day, a.tpage_from, a.line_from, a.tpage_to, a.line_to), doc
    )


# ---- writing -----------------------------------------------------------------------
def _rows(raw, sql: str, args: tuple) -> tuple[list[str], list[tuple]]:
    cur = raw.execute(sql, args)
    return [d[0] for d in cur.description], cur.fetchall()


def _state(raw, doc_id: int) -> dict:
    """Everything a replacement changes, to put back exactly."""
    cols = ", ".join(f'"{c}"' for c in ("id",) + ANCHOR_COLS)
    return {
        "document": _rows(raw, f"SELECT {', '.join(DOC_COLS)} FROM document WHERE id = ?", (doc_id,)),
        "page": _rows(raw, "SELECT * FROM page WHERE document_id = ?", (doc_id,)),
        "line": _rows(raw, "SELECT * FROM line WHERE document_id = ?", (doc_id,)),
        "document_version": _rows(raw, "SELECT * FROM document_version WHERE document_id = ?", (doc_id,)),
        "passage": _rows(raw, f"SELECT {cols} FROM passage WHERE document_id = ?", (doc_id,)),
    }


def _insert(raw, table: str, cols, rows) -> None:
    if rows:
        names = ", ".join(f'"{c}"' for c in cols)
        raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})', rows)


def _clear_text(raw, doc_id: int) -> None:
    """Remove the document's pages and lines, and the lines from the search index in one go."""
    raw.execute("DROP TRIGGER IF EXISTS line_fts_ad")
    raw.execute(
        "INSERT INTO line_fts(line_fts, rowid, text) SELECT 'delete', id, text FROM line WHERE document_id = ?",
        (doc_id,),
    )
    raw.execute("DELETE FROM line WHERE document_id = ?", (doc_id,))
    raw.execute(index.trigger("line_fts_ad"))
    raw.execute("DELETE FROM page WHERE document_id = ?", (doc_id,))


def _put_text(raw, doc_id: int, pages: tuple, lines: tuple) -> None:
    raw.execute("DROP TRIGGER IF EXISTS line_fts_ai")  # indexed in bulk below
    _insert(raw, "page", *pages)
    _insert(raw, "line", *lines)
    raw.execute(
        "INSERT INTO line_fts(rowid, text) SELECT id, text FROM line WHERE document_id = ?", (doc_id,)
    )
    raw.execute(index.trigger("line_fts_ai"))


def _set_passages(raw, cols: list[str], rows: list[tuple]) -> None:
    """Write the anchor columns; their search entries are refreshed in one go, not a trigger a row."""
    sets = ", ".join(f'"{c}" = ?' for c in cols[1:])
    raw.execute("DROP TRIGGER IF EXISTS passage_fts_au")
    raw.executemany(f"UPDATE passage SET {sets} WHERE id = ?", [tuple(r[1:]) + (r[0],) for r in rows])
    raw.execute(index.trigger("passage_fts_au"))
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS moved_passage (id INTEGER PRIMARY KEY)")
    raw.execute("DELETE FROM moved_passage")
    raw.executemany("INSERT INTO moved_passage (id) VALUES (?)", [(r[0],) for r in rows])
    raw.execute("DELETE FROM passage_fts WHERE rowid IN (SELECT id FROM moved_passage)")
    raw.execute(index.refill_passages("SELECT id FROM moved_passage"))
    raw.execute("DELETE FROM moved_passage")


def _put_state(raw, doc_id: int, state: dict) -> None:
    _clear_text(raw, doc_id)
    _put_text(raw, doc_id, state["page"], state["line"])
    cols, rows = state["document"]
    raw.execute(f"UPDATE document SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?", (*rows[0], doc_id))
    raw.execute("DELETE FROM document_version WHERE document_id = ?", (doc_id,))
    _insert(raw, "document_version", *state["document_version"])
    _set_passages(raw, *state["passage"])


def _passage_row(pl: Placement, old: tuple, cols: list[str]) -> tuple:
    """The passage's anchor columns after the placement (old: its row before)."""
    was = dict(zip(cols, old, strict=True))
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
        pl.status,
        old_quote,
    )


def apply(ws, rep: Replacement) -> Change:
    """Make the prepared version current; undoable."""
    doc_id = rep.document_id
    details = {"document": doc_id, "file": rep.filename, "sha256": rep.sha256, **rep.counts}
    with ws.write("replace document", details) as s:
        raw = s.connection().connection.driver_connection
        if _stamp(raw, doc_id) != rep.stamp:
            raise InvalidInput(
                "The document or its passages changed while the new version was being read; "
                "nothing was replaced. Try again."
            )
        before = _state(raw, doc_id)
        if s.get(Blob, rep.sha256) is None:
            s.add(Blob(sha256=rep.sha256, size=len(rep.data), data=rep.data))
            s.flush()
        doc = s.get(Document, doc_id)
        versions = raw.execute(
            "SELECT count(*), coalesce(max(number), 0) FROM document_version WHERE document_id = ?", (doc_id,)
        ).fetchone()
        if not versions[0]:  # the first replacement: the original becomes version 1
            s.add(
                DocumentVersion(
                    document_id=doc_id,
                    number=1,
                    sha256=doc.sha256,
                    filename=doc.filename,
                    source_format=doc.source_format,
                    page_count=doc.page_count,
                    imported_at=doc.imported_at,
                )
            )
        number = max(versions[1], 1) + 1
        s.add(
            DocumentVersion(
                document_id=doc_id,
                number=number,
                sha256=rep.sha256,
                filename=rep.filename,
                source_format=rep.parsed.fmt,
                page_count=len(rep.parsed.pages),
                imported_at=now(),
                report=json.dumps(rep.report()),
            )
        )
        s.flush()
        _clear_text(raw, doc_id)
        parsed = rep.parsed
        pages = [
            (doc_id, idx, label or str(idx + 1), w, h, rot, body)
            for idx, ((w, h, rot, label), body) in enumerate(zip(parsed.sizes, parsed.texts, strict=False))
        ]
        lines = [(doc_id, ln.day, *ln[: len(LINE_COLS)]) for ln in rep.lines]
        _put_text(
            raw,
            doc_id,
            (("document_id", "index", "label", "width", "height", "rotation", "text"), pages),
            (("document_id", "day") + LINE_COLS, lines),
        )
        has_text = any(r.text.strip() for rows in parsed.pages for r in rows)
        raw.execute(
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
        cols, old_rows = before["passage"]
        by_id = {r[0]: r for r in old_rows}
        _set_passages(raw, cols, [_passage_row(pl, by_id[pl.passage_id], cols) for pl in rep.placements])
    pids = {pl.passage_id for pl in rep.placements}
    summary = f"Replace {rep.title} with {rep.filename}"
    return Change(
        summary,
        passages=pids,
        documents=True,
        links=True,
        inverse=lambda w: _restore(w, doc_id, before, summary, pids, f"Undo: {summary}"),
        result=rep.report(),
    )


def _restore(ws, doc_id: int, to: dict, summary: str, pids: set, text: str) -> Change:
    """Undo (or redo) of a replacement: the document exactly as in `to`; the state it
    leaves is kept for the way back (read only now, so a replacement never pays for it)."""
    with ws.write("restore document version", {"document": doc_id, "what": text}) as s:
        raw = s.connection().connection.driver_connection
        if raw.execute("SELECT 1 FROM document WHERE id = ?", (doc_id,)).fetchone() is None:
            raise NotFound(f"No document {doc_id}.")
        left = _state(raw, doc_id)
        _put_state(raw, doc_id, to)
    back = summary if text.startswith("Undo") else f"Undo: {summary}"
    return Change(
        text,
        passages=pids,
        documents=True,
        links=True,
        inverse=lambda w: _restore(w, doc_id, left, summary, pids, back),
    )


def replace(ws, document_id: int, path: str, progress=None, cancelled=None) -> Change:
    """Read the new file, place every passage, and make it the current version."""
    return apply(ws, prepare(ws, document_id, path, progress, cancelled))


# ---- reading back and by hand --------------------------------------------------------
def versions(s: Session, document_id: int) -> list[dict]:
    """The document's versions, oldest first; a document never replaced has one."""
    doc = s.get(Document, document_id)
    if doc is None:
        raise NotFound(f"No document {document_id}.")
    rows = list(
        s.exec(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.number)
        )
    )
    if not rows:
        rows = [
            DocumentVersion(
                document_id=document_id,
                number=1,
                sha256=doc.sha256,
                filename=doc.filename,
                source_format=doc.source_format,
                page_count=doc.page_count,
                imported_at=doc.imported_at,
            )
        ]
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


def latest_report(s: Session, document_id: int) -> dict | None:
    return versions(s, document_id)[-1]["report"]


def place(
    ws,
    pid: int,
    anchor: anchors.Anchor | None = None,
    *,
    start: tuple[int, int] | None = None,
    end: tuple[int, int] | None = None,
) -> Change:
    """Put a passage (an orphan, or one carried to the wrong words) where a person says:
    an anchor, or a range from start to end (page index, char); undoable."""
    with ws.write("place passage", {"passage": pid}) as s:
        raw = s.connection().connection.driver_connection
        if anchor is None:
            doc_id = raw.execute("SELECT document_id FROM passage WHERE id = ?", (pid,)).fetchone()
            if doc_id is None or start is None or end is None:
                raise NotFound(f"No passage {pid}.")
            anchor = anchors.resolve(s, doc_id[0], *start, *end)
        cols, rows = _rows(
            raw, f"SELECT {', '.join(('id',) + ANCHOR_COLS)} FROM passage WHERE id = ?", (pid,)
        )
        p = s.get(Passage, pid)
        if not rows or p is None or p.deleted_at is not None:
            raise NotFound(f"No passage {pid}.")
        if p.document_id is None:
            raise NotFound(f"No passage {pid}.")
        words = p.old_quote or p.quote
        status = "moved" if _same_words(anchor.quote, words) else "changed"
        pl = Placement(pid, status, "", words, anchor)
        _set_passages(raw, cols, [_passage_row(pl, rows[0], cols)])
        raw.execute("UPDATE passage SET modified_at = ? WHERE id = ?", (now(), pid))
    old = rows[0]
    return Change(
        "Place passage",
        passages={pid},
        inverse=lambda w: _unplace(w, pid, cols, old, anchor),
    )


def _unplace(ws, pid: int, cols: list[str], row: tuple, anchor: anchors.Anchor) -> Change:
    with ws.write("undo place passage", {"passage": pid}) as s:
        _set_passages(s.connection().connection.driver_connection, cols, [row])
    return Change("Undo place passage", passages={pid}, inverse=lambda w: place(w, pid, anchor))
