"""An invisible text layer on scanned pages copied into a bundle, so its text can be searched.

The page stays the original picture (with the highlights painted on); each
recognised word is written over its place in invisible type (render mode
3), sized to its box, as OCR software does. Words under a redaction are
left out: a redacted passage must not be findable in the bundle.
"""

from typing import TYPE_CHECKING, Any

import pymupdf

from annotator.core.ocr import pages

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace


def add(ws: "Workspace", out: pymupdf.Document, raw: Any, src_pages: list[Any]) -> int:
    """Write the words of the OCR'd source pages into `out`; returns the pages given text.
    `raw`: the bundle's low-level writer, flushed before PyMuPDF edits a page."""
    wanted = [sp for sp in src_pages if sp.text_ops is None and not sp.note and sp.out_page >= 0]
    if not wanted:
        return 0
    font = pymupdf.Font("helv")
    n = 0
    with ws.session() as s:
        for sp in wanted:
            if pages.page_status(s, sp.doc_id, sp.index) != "done":
                continue
            hidden = [
                pymupdf.Rect(r[1:])
                for e in sp.extracts
                if e.redact
                for r in e.rects
                if int(r[0]) == sp.index and len(r) == 5
            ]
            words = [w for w in pages.words_of(s, sp.doc_id, sp.index) if not _under(w, hidden)]
            if not words:
                continue
            raw.hand_over()
            page = out[sp.out_page]
            writer = pymupdf.TextWriter(page.rect)
            for x0, y0, x1, y1, text, *_rest in words:
                size = _size(font, text, x1 - x0, y1 - y0)
                if size:
                    writer.append((x0, y1 - (y1 - y0) * 0.2), text, font=font, fontsize=size)
            writer.write_text(page, render_mode=3)
            n += 1
    return n


def _under(word: tuple[Any, ...], hidden: list[pymupdf.Rect]) -> bool:
    box = pymupdf.Rect(word[:4])
    return any(box.intersects(r) for r in hidden)


def _size(font: pymupdf.Font, text: str, width: float, height: float) -> float:
    """The font size that makes the word as wide as its box (never taller than it)."""
    unit = float(font.text_length(text, fontsize=1))
    if unit <= 0 or width <= 0 or height <= 0:
        return 0.0
    return min(width / unit, height)
