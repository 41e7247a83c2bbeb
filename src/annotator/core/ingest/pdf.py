"""PDF pages to rows of text with positions (PyMuPDF, this thread only).

The import itself runs these functions in a child process (see worker.py),
so a file that crashes or hangs MuPDF cannot take the application down.
"""

import re
from dataclasses import dataclass

from annotator.core.errors import AnnotatorError
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


def _rows_of(words: list) -> list[Row]:
    """Words grouped into visual rows, top to bottom, left to right."""
    words.sort(key=lambda w: ((w[1] + w[3]) / 2, w[0]))
    rows: list[list] = []
    last_mid = None
    for w in words:
        mid = (w[1] + w[3]) / 2
        h = max(1.0, w[3] - w[1])
        if rows and abs(last_mid - mid) < h * 0.45:
            rows[-1].append(w)
        else:
            rows.append([w])
            last_mid = mid
    out = []
    for ws in rows:
        ws.sort(key=lambda w: w[0])
        size = sum((w[2] - w[0]) / max(1, len(w[4])) for w in ws) / len(ws)  # average char width
        size = max(size, 1.0)
        parts, x_end, pos, boxes = [], None, 0, []
        prev = ""
        for w in ws:
            if x_end is not None:
                dx = w[0] - x_end
                if len(prev) == 1 and len(w[4]) == 1 and dx < 0.5 * (w[2] - w[0]):
                    gap = ""  # letter-spaced text: MuPDF splits it into one-letter words
                else:
                    gap = " " * max(1, min(12, round(dx / size)))
                parts.append(gap)
                pos += len(gap)
            prev = w[4]
            parts.append(w[4])
            boxes.append((w[0], w[1], w[2], w[3], pos, pos + len(w[4])))
            pos += len(w[4])
            x_end = w[2]
        out.append(Row("".join(parts), (min(w[0] for w in ws), min(w[1] for w in ws),
                                        max(w[2] for w in ws), max(w[3] for w in ws)), boxes))
    return out


def page_rows(page) -> list[Row]:
    """The page's rows. A condensed sheet (four transcript pages, headed
    "(Pages 1 to 4)") is read quadrant by quadrant, left column first, so
    each transcript page's rows stay together.

    Deterministic for a given page: the viewer calls it again to map word
    boxes to the same character offsets that ingest stored in Page.text."""
    words = page.get_text("words", sort=False)
    if not words:
        return []
    rect = page.rect
    head = " ".join(w[4] for w in words if w[1] < rect.height * 0.12)
    if not CONDENSED.search(head):
        return _rows_of(words)
    mx, my = rect.width / 2, rect.height / 2
    quads: list[list] = [[], [], [], []]
    for w in words:
        col = 0 if (w[0] + w[2]) / 2 < mx else 1
        band = 0 if (w[1] + w[3]) / 2 < my else 1
        quads[col * 2 + band].append(w)
    out = []
    for part, ws in enumerate(quads):
        for row in _rows_of(ws):
            row.part = part
            out.append(row)
    return out


def read_page(doc, i: int) -> PdfPage:
    page = doc.load_page(i)
    try:
        label = page.get_label() or ""
    except Exception:
        label = ""
    rect = page.rect
    return PdfPage(rect.width, rect.height, page.rotation, label, page_rows(page))


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
