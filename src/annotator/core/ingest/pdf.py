"""PDF pages to rows of text with positions (PyMuPDF, this thread only).

The import itself runs these functions in a child process (see worker.py),
so a file that crashes or hangs MuPDF cannot take the application down.
"""

import re
from dataclasses import dataclass

from annotator.core.util.errors import AnnotatorError
from annotator.core.ingest.rows import Row

CONDENSED = re.compile(r"\(Pages?\s+\d+\s+to\s+\d+\)", re.IGNORECASE)


class PdfRefused(AnnotatorError):
    pass


class NeedsPassword(PdfRefused):
    pass


@dataclass
class PdfPage:
    width: float
    height: float
    rotation: int
    label: str
    rows: list[Row]


def open_pdf(data: bytes, password: str | None = None):
    import pymupdf

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as err:  # MuPDF raises its own types for damaged files
        raise PdfRefused(f"damaged or not a PDF ({_short(err)})") from err
    # Check needs_pass only before authenticating, and page_count only after
    # (PyMuPDF quirks, see the corpus README).
    if doc.needs_pass:
        if not password:
            doc.close()
            raise NeedsPassword("encrypted: a password is needed to open it")
        if not doc.authenticate(password):
            doc.close()
            raise NeedsPassword("encrypted: the password was not accepted")
    try:
        count = doc.page_count
    except Exception as err:
        doc.close()
        raise PdfRefused(f"damaged: the page count cannot be read ({_short(err)})") from err
    if count == 0:
        doc.close()
        raise PdfRefused("the PDF has no pages")
    return doc


def _short(err: Exception) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:160]


def _rows_of(words: list, boxes: bool = True) -> list[Row]:
    """Words grouped into visual rows, top to bottom, left to right, with the
    gaps between words kept as spaces (so columns stay apart). Written for
    speed: this runs for every word of every imported page. With `boxes`
    False only the compact `ends_x` is kept (what the import needs)."""
    items = sorted([((w[1] + w[3]) * 0.5, w[0], i) for i, w in enumerate(words)])
    rows: list[list] = []
    cur: list = []
    last_mid = -1e9
    for mid, _x, i in items:
        w = words[i]
        h = w[3] - w[1]
        if cur and abs(last_mid - mid) < (h if h > 1.0 else 1.0) * 0.45:
            cur.append(w)
        else:
            cur = [w]
            rows.append(cur)
            last_mid = mid
    out = []
    for ws in rows:
        if len(ws) > 1:
            ws.sort(key=_x0)
        widths = 0.0
        for w in ws:
            n = len(w[4])
            widths += (w[2] - w[0]) / (n if n else 1)
        size = widths / len(ws)  # average character width
        if size < 1.0:
            size = 1.0
        parts: list[str] = []
        marks: list = []
        pos = 0
        x_end = None
        prev = ""
        first = ws[0]
        y0, y1, x1 = first[1], first[3], first[2]
        for w in ws:
            t = w[4]
            if x_end is not None:
                dx = w[0] - x_end
                if not (len(prev) == 1 and len(t) == 1 and dx < 0.5 * (w[2] - w[0])):
                    # (letter-spaced text comes as one-letter words: those are joined)
                    n = round(dx / size)
                    n = 1 if n < 1 else 12 if n > 12 else n
                    parts.append(" " * n)
                    pos += n
            parts.append(t)
            end = pos + len(t)
            if boxes:
                marks.append((w[0], w[1], w[2], w[3], pos, end))
            else:
                marks.append(end)
                marks.append(w[0])
            pos = end
            x_end = w[2]
            prev = t
            if w[1] < y0:
                y0 = w[1]
            if w[3] > y1:
                y1 = w[3]
            if w[2] > x1:
                x1 = w[2]
        row = Row("".join(parts), (first[0], y0, x1, y1))
        if boxes:
            row.words = marks
        else:
            row.ends_x = tuple(marks)
        out.append(row)
    return out


def _x0(w) -> float:
    return w[0]


def page_rows(page, boxes: bool = True) -> list[Row]:
    """The page's rows. A condensed sheet (four transcript pages, headed
    "(Pages 1 to 4)") is read quadrant by quadrant, left column first, so
    each transcript page's rows stay together.

    Deterministic for a given page: the viewer calls it again to map word
    boxes to the same character offsets that ingest stored in Page.text."""
    rect = page.rect
    return rows_of_words(page.get_text("words", sort=False), rect.width, rect.height, boxes)


def rows_of_words(words: list, width: float, height: float, boxes: bool = True) -> list[Row]:
    """Rows from words (x0, y0, x1, y1, text, ...) of a page of that size:
    the PDF's own words, or the words OCR recognised on a scanned page."""
    if not words:
        return []
    if "(Page" not in " ".join([w[4] for w in words]):
        return _rows_of(words, boxes)
    head = " ".join(w[4] for w in words if w[1] < height * 0.12)
    if not CONDENSED.search(head):
        return _rows_of(words, boxes)
    mx, my = width / 2, height / 2
    quads: list[list] = [[], [], [], []]
    for w in words:
        col = 0 if (w[0] + w[2]) / 2 < mx else 1
        band = 0 if (w[1] + w[3]) / 2 < my else 1
        quads[col * 2 + band].append(w)
    out = []
    for part, ws in enumerate(quads):
        for row in _rows_of(ws, boxes):
            row.part = part
            out.append(row)
    return out


def has_labels(doc) -> bool:
    try:
        return bool(doc.get_page_labels())
    except Exception:
        return False


def read_page(doc, i: int, boxes: bool = True, labels: bool = True) -> PdfPage:
    page = doc.load_page(i)
    label = ""
    if labels:
        try:
            label = page.get_label() or ""
        except Exception:
            label = ""
    rect = page.rect
    return PdfPage(rect.width, rect.height, page.rotation, label, page_rows(page, boxes))


def read_pages(doc, progress=None, cancelled=None) -> list[PdfPage]:
    """All pages in this process (tests, the viewer); imports use worker.extract."""
    pages = []
    for i in range(doc.page_count):
        if cancelled and cancelled():
            raise InterruptedError
        pages.append(read_page(doc, i))
        if progress:
            progress(i + 1, doc.page_count)
    return pages
