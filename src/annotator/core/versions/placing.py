"""Reading a new version and working out where every passage goes on it,
without writing anything (so it can run in the background); see store for
the writing and the package for the whole story."""

import hashlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from sqlmodel import Session

from annotator.core.evidence import anchors, areas

from annotator.core.store import settings
from annotator.core.util.errors import AnnotatorError, InvalidInput, NotFound
from annotator.core.ingest import importer
from annotator.core.store.models import Document, saved_id
from annotator.core.evidence.passages import cite
from annotator.core.versions import reanchor
from annotator.core.store.workspace import sqlite_of
from annotator.core.evidence.citations import Style

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

STATUSES = ("exact", "moved", "changed", "orphaned")
# What a re-anchoring writes on a passage: where it is, and what became of it.
ANCHOR_COLS = anchors.RANGE_FIELDS + ("anchor", "old_quote")
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
    "para",
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
    para: int | None  # numbered paragraph (statements, web text)
    day: int | None


class Candidate(TypedDict):
    """An orphan's best guess, for a person to judge."""

    citation: str
    quote: str
    start: list[int]  # [page index, char]
    end: list[int]


class PlacementReport(TypedDict):
    """A placement as the report lists it (JSON)."""

    passage: int
    status: str
    old_citation: str
    old_quote: str
    citation: str
    quote: str
    candidate: Candidate | None


class Report(TypedDict):
    """What a replacement did, kept with the version (JSON): the counts by status and
    the passages a person should look at (changed or orphaned)."""

    document: int
    title: str
    filename: str
    sha256: str
    pages: int
    counts: dict[str, int]
    passages: list[PlacementReport]


# The document and its passages at a moment: a replacement is written only if unchanged.
Stamp = tuple[object, ...]


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

    def as_dict(self) -> PlacementReport:
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
    stamp: Stamp  # the document as it was when this was worked out
    counts: dict[str, int] = field(default_factory=dict)

    def report(self) -> Report:
        return {
            "document": self.document_id,
            "title": self.title,
            "filename": self.filename,
            "sha256": self.sha256,
            "pages": len(self.parsed.pages),
            "counts": self.counts,
            "passages": [
                p.as_dict() for p in self.placements if p.status in ("changed", "orphaned") and not p.deleted
            ],
        }


def _stamp(raw: sqlite3.Connection, doc_id: int) -> Stamp:
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
    para_from: int | None = None
    para_to: int | None = None
    area_page: int | None = None  # an area is cited by its page


_PASSAGE_COLS = "id, start_page, start_char, end_page, end_char, quote, old_quote, anchor, deleted_at, " + (
    "document_id, day, tpage_from, line_from, tpage_to, line_to, para_from, para_to, "
    "area_page, area_x0, area_y0, area_x1, area_y1"
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
    para_from: int | None
    para_to: int | None
    area_page: int | None = None
    area_x0: float | None = None
    area_y0: float | None = None
    area_x1: float | None = None
    area_y1: float | None = None


def stored_layout(s: Session, doc_id: int) -> anchors.Layout:
    raw = sqlite_of(s)
    pages = dict(raw.execute('SELECT "index", text FROM page WHERE document_id = ?', (doc_id,)))
    lines = [
        LineRow(*row)
        for row in raw.execute(
            f"SELECT {', '.join(LINE_COLS)}, day FROM line WHERE document_id = ? ORDER BY seq", (doc_id,)
        )
    ]
    return anchors.Layout(pages, lines)


def _new_lines(parsed: importer.Parsed, day: int | None) -> list[LineRow]:
    return [LineRow(*v, day) for v in parsed.values]  # type: ignore[call-arg]  # values are untyped tuples


def prepare(
    ws: "Workspace",
    document_id: int,
    path: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Replacement:
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
        raw = sqlite_of(s)
        stamp = _stamp(raw, document_id)
        doc = s.get(Document, document_id)
        if doc is None:
            raise NotFound(f"No document {document_id}: it was removed while the new file was being read.")
        old = stored_layout(s, document_id)
        passages = [
            PassageRow(*r)
            for r in raw.execute(f"SELECT {_PASSAGE_COLS} FROM passage WHERE document_id = ?", (document_id,))
        ]
        placements = carry(old, new, passages, doc, settings.citation_style(raw))
    rep = Replacement(document_id, title, os.path.basename(path), data, sha, parsed, lines, placements, stamp)
    live = [p for p in placements if not p.deleted]
    rep.counts = {k: sum(1 for p in live if p.status == k) for k in STATUSES}
    return rep


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def carry(
    old: anchors.Layout,
    new: anchors.Layout,
    passages: list[PassageRow],
    doc: Document,
    style: Style | str = "short",
) -> list[Placement]:
    """Where each passage goes on the new layout (see reanchor)."""
    vocab = reanchor.Vocabulary()
    ow, nw = reanchor.words_of(old.lines, vocab), reanchor.words_of(new.lines, vocab)
    placer = reanchor.Placer(ow, nw)
    out: list[Placement] = []
    for p in passages:
        words = p.old_quote if p.anchor == "orphaned" and p.old_quote else p.quote
        pl = Placement(p.id, "orphaned", cite(p, doc, style), words, deleted=p.deleted_at is not None)
        out.append(pl)
        if p.area_page is not None:
            _carry_area(pl, p, new, words, doc, style)
            continue
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
            pl.citation = _cite(na, doc, style)
        elif guess is not None:
            try:
                pl.candidate = new.anchor(nw.page[guess.first], nw.start[guess.first], *_end(nw, guess.last))
                pl.citation = _cite(pl.candidate, doc, style)
            except AnnotatorError:
                pl.candidate = None
    return out


def _carry_area(
    pl: Placement, p: PassageRow, new: anchors.Layout, words: str, doc: Document, style: Style | str
) -> None:
    """An area keeps its rectangle on the same page of the new version (orphaned when the
    page is gone); its quote is read again from the text now inside it."""
    rect = areas.area_of(p)
    if rect is None or p.area_page not in new.pages:
        return
    na = areas.on_page(rect, new.pages[p.area_page], new.by_page.get(p.area_page, []), areas.label_of(words))
    pl.anchor = na
    same = _same_words(na.quote, words) or (areas.is_label(na.quote) and areas.is_label(words))
    pl.status = "exact" if same else "changed"
    pl.citation = _cite(na, doc, style)


def _end(w: reanchor.Words, i: int) -> tuple[int, int]:
    return w.page[i], w.end[i]


def _range(
    ow: reanchor.Words,
    nw: reanchor.Words,
    placer: reanchor.Placer,
    spot: reanchor.Spot,
    span: tuple[int, int],
    p: PassageRow,
) -> tuple[int, int, int, int]:
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


def _cite(a: anchors.Anchor, doc: Document, style: Style | str) -> str:
    return cite(
        Cited(
            saved_id(doc),
            a.start_page,
            a.end_page,
            a.day,
            a.tpage_from,
            a.line_from,
            a.tpage_to,
            a.line_to,
            para_from=a.para_from,
            para_to=a.para_to,
            area_page=a.area[0] if a.area else None,
        ),
        doc,
        style,
    )
