"""PDF pages to rows of text with positions (PyMuPDF, this thread only)."""

from dataclasses import dataclass

from annotator.core.errors import AnnotatorError
from annotator.core.ingest.rows import Row


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
    # Check needs_pass only before authenticating (PyMuPDF quirk, see corpus README).
    if doc.needs_pass:
        if not password:
            doc.close()
            raise NeedsPassword("encrypted: a password is needed to open it")
        if not doc.authenticate(password):
            doc.close()
            raise NeedsPassword("encrypted: the password was not accepted")
    if doc.page_count == 0:
        doc.close()
        raise PdfRefused("the PDF has no pages")
    return doc


def _short(err: Exception) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:160]


def page_rows(page) -> list[Row]:
    """Words grouped into visual rows, top to bottom, left to right.

    Deterministic for a given page: the viewer calls it again to map word
    boxes to the same character offsets that ingest stored in Page.text."""
    words = page.get_text("words", sort=False)
    if not words:
        return []
    words.sort(key=lambda w: ((w[1] + w[3]) / 2, w[0]))
    rows: list[list] = []
    for w in words:
        mid = (w[1] + w[3]) / 2
        h = max(1.0, w[3] - w[1])
        if rows and abs(((rows[-1][0][1] + rows[-1][0][3]) / 2) - mid) < h * 0.45:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for ws in rows:
        ws.sort(key=lambda w: w[0])
        size = sum((w[2] - w[0]) / max(1, len(w[4])) for w in ws) / len(ws)  # average char width
        parts, x_end, pos, boxes = [], None, 0, []
        for w in ws:
            if x_end is not None:
                gap = " " * max(1, min(12, round((w[0] - x_end) / max(size, 1.0))))
                parts.append(gap)
                pos += len(gap)
            parts.append(w[4])
            boxes.append((w[0], w[1], w[2], w[3], pos, pos + len(w[4])))
            pos += len(w[4])
            x_end = w[2]
        text = "".join(parts)
        out.append(Row(text, (min(w[0] for w in ws), min(w[1] for w in ws),
                              max(w[2] for w in ws), max(w[3] for w in ws)), boxes))
    return out


def read_pages(doc, progress=None, cancelled=None) -> list[PdfPage]:
    pages = []
    for i in range(doc.page_count):
        if cancelled and cancelled():
            raise InterruptedError
        page = doc.load_page(i)
        try:
            label = page.get_label() or ""
        except Exception:
            label = ""
        rect = page.rect
        pages.append(PdfPage(rect.width, rect.height, page.rotation, label, page_rows(page)))
        if progress:
            progress(i + 1, doc.page_count)
    return pages
