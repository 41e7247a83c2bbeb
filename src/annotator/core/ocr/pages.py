"""Which pages need OCR, the words it found, and the document's text rebuilt from them.

A page needs OCR when it has no text, or nothing but margin numbers (a
transcript whose testimony is a picture: its numbered lines are all empty).
Recognised words are stored as each page is done, so a crash or a quit
loses at most the last few pages. The document's text is then rebuilt the
way an import builds it: rows from the words (the PDF's own on the other
pages), transcript lines, search index, so an OCR'd page is read, searched,
selected and tagged like any other.
"""

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from annotator.core.ingest import importer, pdf, worker
from annotator.core.ingest.assembly import Assembly
from annotator.core.ingest.rows import Row
from annotator.core.ocr.margin import upright
from annotator.core.store import index
from annotator.core.store.models import now
from annotator.core.store.workspace import sqlite_of
from annotator.core.versions.placing import LINE_COLS

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

Words = list[tuple[Any, ...]]

MIN_NUMBERED = 5  # numbered lines on a page, all empty, that make it a picture of testimony
FULL_PAGE, STRAY = 20, 2  # ... or a full page of them with a stray word or two (a stamp)
OCR_FLAG = "ocr"  # on a document whose text came (partly) from OCR


def _raw(s: Session) -> sqlite3.Connection:
    return sqlite_of(s)


def detect(s: Session, document_id: int) -> list[int]:
    """Indexes of the PDF document's pages that need OCR (not counting pages done)."""
    raw = _raw(s)
    fmt = raw.execute("SELECT source_format FROM document WHERE id = ?", (document_id,)).fetchone()
    if not fmt or fmt[0] != "pdf":
        return []
    need = {
        i
        for i, text in raw.execute('SELECT "index", text FROM page WHERE document_id = ?', (document_id,))
        if not text.strip()
    }
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for page, text in raw.execute(
        "SELECT page_index, text FROM line WHERE document_id = ? AND line > 0", (document_id,)
    ):
        counts[page][0] += 1
        counts[page][1] += bool(text.strip())
    need |= {
        p
        for p, (n, full) in counts.items()
        if (n >= MIN_NUMBERED and full == 0) or (n >= FULL_PAGE and full <= STRAY)
    }
    done = {
        r[0] for r in raw.execute("SELECT page_index FROM ocr_page WHERE document_id = ?", (document_id,))
    }
    return sorted(need - done)


def queue(ws: "Workspace", document_id: int) -> int:
    """Mark the pages that need OCR as pending; returns how many are pending now."""
    with ws.session() as s:
        new = detect(s, document_id)
    if new:
        with ws.write("ocr queue", {"document": document_id, "pages": len(new)}) as s:
            _raw(s).executemany(
                "INSERT OR IGNORE INTO ocr_page (document_id, page_index, status, reason, lang, at) "
                "VALUES (?, ?, 'pending', '', '', '')",
                [(document_id, i) for i in new],
            )
    return len(pending(ws, document_id))


def pending(ws: "Workspace", document_id: int, retry: bool = False) -> list[int]:
    states = ("pending", "failed") if retry else ("pending",)
    with ws.session() as s:
        return [
            r[0]
            for r in _raw(s).execute(
                f"SELECT page_index FROM ocr_page WHERE document_id = ? AND status IN ({','.join('?' * len(states))}) "
                "ORDER BY page_index",
                (document_id, *states),
            )
        ]


def status(ws: "Workspace", document_id: int) -> dict[str, int]:
    """Pages by OCR status: {"pending": n, "done": n, "failed": n}."""
    with ws.session() as s:
        rows = _raw(s).execute(
            "SELECT status, count(*) FROM ocr_page WHERE document_id = ? GROUP BY status", (document_id,)
        )
        out = {"pending": 0, "done": 0, "failed": 0}
        for state, n in rows.fetchall():
            out["done" if state == "read" else state] += n
        return out


def record(
    ws: "Workspace", document_id: int, results: list[tuple[int, Words | None, str]], lang: str
) -> None:
    """Store finished pages: (page index, words or None, failure reason). They are
    "read" until `rebuild` has put their words in the document's text ("done")."""
    if not results:
        return
    with ws.write("ocr pages", {"document": document_id, "pages": [r[0] for r in results]}) as s:
        raw = _raw(s)
        at = now()
        for i, words, reason in results:
            raw.execute("DELETE FROM ocr_word WHERE document_id = ? AND page_index = ?", (document_id, i))
            raw.execute(
                "INSERT OR REPLACE INTO ocr_page (document_id, page_index, status, reason, lang, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (document_id, i, "failed" if words is None else "read", reason, lang, at),
            )
            raw.executemany(
                "INSERT INTO ocr_word (document_id, page_index, seq, text, x0, y0, x1, y1, conf, "
                "char_start, char_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                [
                    (document_id, i, n, w[4], w[0], w[1], w[2], w[3], int(w[5]))
                    for n, w in enumerate(words or [])
                    if w[4].strip()
                ],
            )


def page_status(s: Session, document_id: int, page_index: int) -> str:
    """The page's OCR status ("" when it never needed OCR)."""
    row = (
        _raw(s)
        .execute(
            "SELECT status FROM ocr_page WHERE document_id = ? AND page_index = ?", (document_id, page_index)
        )
        .fetchone()
    )
    return row[0] if row else ""


def words_of(s: Session, document_id: int, page_index: int) -> Words:
    """A page's recognised words: (x0, y0, x1, y1, text, conf, char_start, char_end)."""
    return [
        tuple(r)
        for r in _raw(s).execute(
            "SELECT x0, y0, x1, y1, text, conf, char_start, char_end FROM ocr_word "
            "WHERE document_id = ? AND page_index = ? ORDER BY seq",
            (document_id, page_index),
        )
    ]


def reader_words(ws: "Workspace", document_id: int, page_index: int) -> Words | None:
    """An OCR'd page's words for the reader, None for a page with the PDF's own:
    (x0, y0, x1, y1, start, end, row, low) with offsets into Page.text."""
    import bisect

    from annotator.core.ocr.engine import LOW

    with ws.session() as s:
        if page_status(s, document_id, page_index) != "done":
            return None
        text = (
            _raw(s)
            .execute('SELECT text FROM page WHERE document_id = ? AND "index" = ?', (document_id, page_index))
            .fetchone()[0]
        )
        words = words_of(s, document_id, page_index)
    breaks = [k for k, c in enumerate(text) if c == "\n"]
    placed = sorted((w for w in words if w[7] > w[6]), key=lambda w: w[6])
    return [(w[0], w[1], w[2], w[3], w[6], w[7], bisect.bisect(breaks, w[6]), w[5] < LOW) for w in placed]


def ocr_rows(
    words: Words, width: float, height: float
) -> tuple[list[Row], dict[tuple[Any, ...], tuple[int, int]]]:
    """A recognised page's rows as the PDF reader makes them, from the words with a
    skewed scan's lean taken out (so the margin numbers stand in one column), and
    where each word landed in the page's text: {(x0, y0, x1, y1): (start, end)}."""
    level = {tuple(v[:4]): tuple(w[:4]) for v, w in zip(upright(words), words, strict=True)}
    rows = pdf.rows_of_words([(*box, w[4]) for box, w in zip(level, words, strict=True)], width, height)
    places, pos = {}, 0
    for row in rows:
        for x0, y0, x1, y1, a, b in row.words or []:
            places[level[(x0, y0, x1, y1)]] = (pos + a, pos + b)
        pos += len(row.text) + 1
    return rows, places


def _true_boxes(
    values: list[tuple[Any, ...]], places: dict[int, dict[tuple[Any, ...], tuple[int, int]]]
) -> list[tuple[Any, ...]]:
    """Lines of recognised pages get the box of their words as they lie on the
    page (their rows were read with the lean taken out)."""
    out = []
    for v in values:
        spots = places.get(v[0])
        if spots:
            boxes = [box for box, (a, b) in spots.items() if a >= v[7] and b <= v[8]]
            if boxes:
                box = (
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                )
                v = v[:9] + box + v[13:]
        out.append(v)
    return out


def rebuild(ws: "Workspace", document_id: int, load_bytes: Callable[[], bytes | None]) -> bool:
    """The document's text, lines and search index rebuilt with the OCR'd pages'
    words; returns True if anything was rebuilt. `load_bytes()` gives the PDF
    (read only when other pages have text of their own to keep)."""
    with ws.session() as s:
        raw = _raw(s)
        sizes = [
            tuple(r)
            for r in raw.execute(
                'SELECT width, height, rotation, label, text FROM page WHERE document_id = ? ORDER BY "index"',
                (document_id,),
            )
        ]
        done = {
            r[0]
            for r in raw.execute(
                "SELECT page_index FROM ocr_page WHERE document_id = ? AND status IN ('read', 'done')",
                (document_id,),
            )
        }
        if not done:
            return False
        words: dict[int, Words] = defaultdict(list)
        ids: dict[int, list[int]] = defaultdict(list)
        for row in raw.execute(
            "SELECT page_index, x0, y0, x1, y1, text, id FROM ocr_word WHERE document_id = ? ORDER BY page_index, seq",
            (document_id,),
        ):
            words[row[0]].append(row[1:6])
            ids[row[0]].append(row[6])
        doc = raw.execute("SELECT kind, day, flags FROM document WHERE id = ?", (document_id,)).fetchone()
    others = any(text.strip() for i, (_w, _h, _r, _l, text) in enumerate(sizes) if i not in done)
    data = load_bytes() if others else None
    theirs = worker.extract(data) if data else None
    asm = Assembly(True)
    places: dict[int, dict[tuple[Any, ...], tuple[int, int]]] = {}
    for i, (w, h, _r, _l, _t) in enumerate(sizes):
        if i in done:
            rows, places[i] = ocr_rows(words[i], w, h)
        else:
            rows = theirs[i].rows if theirs else []
        asm.add(i, rows)
    parsed = importer.finish("pdf", asm, [(w, h, r, label) for w, h, r, label, _t in sizes])
    kind, day, flags = doc
    flags = [f for f in json.loads(flags or "[]") if f != importer.NO_TEXT]
    has_text = any(t.strip() for t in parsed.texts)
    if not has_text:
        flags.append(importer.NO_TEXT)
    if OCR_FLAG not in flags:
        flags.append(OCR_FLAG)
    if parsed.is_transcript and kind in ("other", "exhibit"):
        kind = "transcript"
    day = day if day is not None else parsed.info.get("day") if parsed.is_transcript else None
    line_day = day if parsed.is_transcript else None
    with ws.write("ocr text", {"document": document_id, "pages": len(done)}) as s:
        raw = _raw(s)
        raw.executemany(
            'UPDATE page SET text = ? WHERE document_id = ? AND "index" = ?',
            [(parsed.texts[i], document_id, i) for i in sorted(done)],
        )
        raw.executemany(
            "UPDATE ocr_word SET char_start = ?, char_end = ? WHERE id = ?",
            [
                places[i].get(tuple(w[:4]), (0, 0)) + (wid,)
                for i in sorted(done)
                for w, wid in zip(words[i], ids[i], strict=True)
            ],
        )
        raw.execute(
            "UPDATE document SET has_text = ?, flags = ?, kind = ?, day = ? WHERE id = ?",
            (has_text, json.dumps(flags), kind, day, document_id),
        )
        index.replace_lines(
            raw,
            document_id,
            ("document_id", "day") + LINE_COLS,
            ((document_id, line_day) + v for v in _true_boxes(parsed.values, places)),
        )
        raw.execute(
            "UPDATE ocr_page SET status = 'done' WHERE document_id = ? AND status = 'read'", (document_id,)
        )
    return True


def unbuilt(ws: "Workspace") -> list[int]:
    """Documents with pages read but not yet in their text (the run before was stopped)."""
    with ws.session() as s:
        return [
            r[0] for r in _raw(s).execute("SELECT DISTINCT document_id FROM ocr_page WHERE status = 'read'")
        ]
