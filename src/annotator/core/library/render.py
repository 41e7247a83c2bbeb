"""Rendering PDF pages and finding their words, without Qt.

`PageRenderer` owns one `pymupdf.Document`; PyMuPDF is not thread-safe, so
create and use each renderer on one thread only (the viewer gives it a
dedicated render thread). Opening is lazy in MuPDF, so the cost of showing
the first page does not grow with the page count:

    r = PageRenderer(load_pdf_bytes(ws, doc_id))
    img = r.render(0, zoom=2.0)          # RGB bytes, width, height, stride
    words = r.words(0)                   # word boxes with offsets into Page.text

Coordinates are PDF points on the page as displayed (its /Rotate applied),
origin top left. Word offsets index the stored Page.text because they are
computed by the same functions ingest used to build it (`page_rows`,
`page_text`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.ingest.pdf import open_pdf, page_rows
from annotator.core.ingest.rows import page_text
from annotator.core.store.models import Document

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    start: int  # offset into Page.text
    end: int
    row: int  # visual row number on the page
    low: bool = False  # recognised by OCR with low confidence


@dataclass(frozen=True)
class Rendered:
    """An RGB image of one page: `data` holds `height` rows of `stride` bytes."""

    data: bytes
    width: int
    height: int
    stride: int
    zoom: float
    rotation: int


def load_pdf_bytes(ws: "Workspace", doc_id: int) -> bytes | None:
    """The original PDF of a document, or None when it was not a PDF."""
    with ws.session() as s:
        doc = s.get(Document, doc_id)
        if doc is None or doc.source_format != "pdf":
            return None
        sha = doc.sha256
    return ws.read_blob(sha)


class PageRenderer:
    """Pages of one PDF: sizes, pixels and word boxes. One thread only."""

    def __init__(
        self,
        pdf_bytes: bytes,
        password: str | None = None,
        ocr: Callable[[int], list[Any] | None] | None = None,
    ):
        """`ocr(i)`: the words OCR recognised on page i (see ocr.pages.reader_words), or
        None where the page's words are the PDF's own."""
        self._doc = open_pdf(pdf_bytes, password)
        self._words: dict[int, list[Word]] = {}
        self._ocr = ocr

    @property
    def page_count(self) -> int:
        return int(self._doc.page_count)

    def page_size(self, i: int) -> tuple[float, float]:
        """Width and height in points as displayed (rotation applied)."""
        r = self._doc.load_page(i).rect
        return r.width, r.height

    def render(self, i: int, zoom: float = 1.0, rotation: int = 0) -> Rendered:
        """Pixels of page i at `zoom` pixels per point, turned a further `rotation` degrees."""
        import pymupdf

        rotation = rotation % 360
        page = self._doc.load_page(i)
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom).prerotate(rotation), alpha=False)
        return Rendered(bytes(pix.samples), pix.width, pix.height, pix.stride, zoom, rotation)

    def words(self, i: int) -> list[Word]:
        """Word boxes of page i in reading order, with offsets into Page.text."""
        if i in self._words:
            return self._words[i]
        import pymupdf

        page = self._doc.load_page(i)
        m = page.rotation_matrix
        out = []
        recognised = self._ocr(i) if self._ocr else None
        if recognised is not None:  # a scanned page: the words OCR stored, with their places
            for x0, y0, x1, y1, a, b, n, low in recognised:
                r = pymupdf.Rect(x0, y0, x1, y1) * m
                out.append(Word(r.x0, r.y0, r.x1, r.y1, a, b, n, low))
        else:
            rows = page_rows(page)
            _text, starts = page_text(rows)
            for n, (row, base) in enumerate(zip(rows, starts, strict=False)):
                for x0, y0, x1, y1, a, b in row.words or ():
                    r = pymupdf.Rect(x0, y0, x1, y1) * m
                    out.append(Word(r.x0, r.y0, r.x1, r.y1, base + a, base + b, n))
        if len(self._words) >= 64:  # keep memory flat however far one scrolls
            self._words.pop(next(iter(self._words)))
        self._words[i] = out
        return out

    def text(self, i: int) -> str:
        """The page text exactly as ingest stores it in Page.text."""
        return page_text(page_rows(self._doc.load_page(i)))[0]

    def close(self) -> None:
        self._doc.close()


# ---- geometry on word lists (used by the viewer for selection and highlights) ----


def word_at(words: list[Word], x: float, y: float, slack: float = 2.0) -> int | None:
    """Index of the word under (x, y), or None."""
    for k, w in enumerate(words):
        if w.x0 - slack <= x <= w.x1 + slack and w.y0 - slack <= y <= w.y1 + slack:
            return k
    return None


def nearest_word(words: list[Word], x: float, y: float) -> int | None:
    """Index of the word nearest (x, y): same row first, then the closest row."""
    if not words:
        return None
    best, best_d = None, None
    for k, w in enumerate(words):
        dy = 0.0 if w.y0 <= y <= w.y1 else min(abs(y - w.y0), abs(y - w.y1))
        dx = 0.0 if w.x0 <= x <= w.x1 else min(abs(x - w.x0), abs(x - w.x1))
        d = (dy * 10.0, dx)  # rows matter more than columns
        if best_d is None or d < best_d:
            best, best_d = k, d
    return best


def rects_for_range(words: list[Word], start: int, end: int) -> list[tuple[float, float, float, float]]:
    """One rectangle per visual row covering the words inside [start, end)."""
    rows: dict[int, list[float]] = {}
    for w in words:
        if w.end <= start or w.start >= end:
            continue
        r = rows.get(w.row)
        if r is None:
            rows[w.row] = [w.x0, w.y0, w.x1, w.y1]
        else:
            r[0], r[1], r[2], r[3] = min(r[0], w.x0), min(r[1], w.y0), max(r[2], w.x1), max(r[3], w.y1)
    return [(r[0], r[1], r[2], r[3]) for r in (rows[k] for k in sorted(rows))]


def lanes(spans: Sequence[tuple[Any, Any]]) -> list[int]:
    """Give overlapping spans different lanes (for margin bars); spans are (start, end) positions.

    Greedy by start with heaps, O(n log n): each span takes the lowest lane free at its start."""
    import heapq

    order = sorted(range(len(spans)), key=lambda k: (spans[k][0], spans[k][1]))
    busy: list[tuple[Any, int]] = []  # (end, lane) of spans still open
    free: list[int] = []
    out = [0] * len(spans)
    n_lanes = 0
    for k in order:
        start, end = spans[k]
        while busy and busy[0][0] <= start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            lane = heapq.heappop(free)
        else:
            lane, n_lanes = n_lanes, n_lanes + 1
        out[k] = lane
        heapq.heappush(busy, (end, lane))
    return out
