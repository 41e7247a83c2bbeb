"""Text recognition of one page with Tesseract through PyMuPDF (this process only).

Runs in the OCR worker processes (pool.py). A scan's page is rendered and
read whole (`full=True`); a page with text of its own beside a picture
(margin numbers around testimony) keeps its text and has the rest read.
"""

import os
import re
import shutil
from typing import Any

DPI = 200  # enough for 9-point transcript type; more only costs time
MAX_PIXELS = 24_000_000  # a larger page (an A0 drawing) is read at a lower resolution
LOW = 60  # words under this confidence are "low" (shown dotted, found by ocr:low)
# a recognised word: x0, y0, x1, y1 (PDF points), text, confidence 0-100
OcrWord = tuple[float, float, float, float, str, int]
MISSING = "Text recognition (OCR) is not available: install Tesseract (tesseract-ocr and tesseract-ocr-eng)."

_PLAIN = re.compile(r"^[(\"'\[]?[A-Za-z]+(?:['’-][A-Za-z]+)*[.,;:!?)\"'\]]*$")
_NUMBER = re.compile(r"^[(\[]?[£$€]?\d+(?:[.,:/-]\d+)*%?[.,;:)\]]*$")
_ODD = set("\ufffd|¦~^`{}<>_\\")


def tessdata(lang: str = "eng", folder: str | None = None) -> str:
    """The folder of Tesseract's language files, or raise OcrUnavailable with
    one sentence for the user. `folder` (else $TESSDATA_PREFIX) overrides the
    search of the system's Tesseract installation."""
    folder = folder or os.environ.get("ANNOTATOR_TESSDATA") or os.environ.get("TESSDATA_PREFIX")
    if not folder:
        if shutil.which("tesseract") is None:
            raise OcrUnavailable(MISSING)
        import pymupdf

        try:
            folder = pymupdf.get_tessdata()
        except RuntimeError:
            raise OcrUnavailable(MISSING) from None
    for code in lang.split("+"):
        if not os.path.isfile(os.path.join(folder, f"{code}.traineddata")):
            raise OcrUnavailable(
                f"Text recognition (OCR) has no '{code}' language installed "
                f"(install tesseract-ocr-{code} or choose another OCR language)."
            )
    return folder


class OcrUnavailable(Exception):
    pass


def dpi_for(width: float, height: float, dpi: int = DPI) -> int:
    """The resolution to render a page of this size (points) without passing MAX_PIXELS."""
    pixels = width * height * (dpi / 72) ** 2
    if pixels <= MAX_PIXELS:
        return dpi
    return max(36, int(dpi * (MAX_PIXELS / pixels) ** 0.5))


def recognise(page: Any, lang: str, folder: str, dpi: int = DPI) -> list[OcrWord]:
    """The page's words as (x0, y0, x1, y1, text, confidence) in PDF points. A page
    with some text of its own (margin numbers beside a picture of the testimony)
    keeps it, and only the rest is recognised; a page without is read whole."""
    rect = page.rect
    own = page.get_text("words", sort=False)
    tp = page.get_textpage_ocr(
        language=lang, dpi=dpi_for(rect.width, rect.height, dpi), full=not own, tessdata=folder
    )
    words = page.get_text("words", textpage=tp, sort=False)
    digital = {_key(w) for w in own}
    found = [w for w in words if _key(w) not in digital]
    heights = sorted(w[3] - w[1] for w in found)
    typical = heights[len(heights) // 2] if heights else 0.0
    return [
        (w[0], w[1], w[2], w[3], w[4], 100 if _key(w) in digital else confidence(w[4], w[3] - w[1], typical))
        for w in words
    ]


def _key(w: tuple[Any, ...]) -> tuple[Any, ...]:
    return (round(w[0]), round(w[1]), round(w[2]), round(w[3]), w[4])


def confidence(text: str, height: float, typical: float) -> int:
    """How likely the word was read right, 0-100. MuPDF's OCR output does not
    carry Tesseract's own word confidence, so it is judged from the word: a
    plain word or number of the page's usual height scores high; replacement
    characters, stray symbols, letters mixed with digits, odd capitals or an
    odd height score low (the usual signs of a misread)."""
    if not text or any(c in _ODD for c in text):
        return 0
    score = 95
    core = text.strip("()[]\"'.,;:!?")
    if not (_PLAIN.match(text) or _NUMBER.match(text)):
        score -= 35
        if any(c.isdigit() for c in core) and any(c.isalpha() for c in core):
            score -= 15
    if len(core) > 2 and core[1:] != core[1:].lower() and core != core.upper():
        score -= 25  # "tHe", "SurGical": a capital misread inside a word
    if typical > 0 and not 0.45 < height / typical < 2.2:
        score -= 30
    if len(text) == 1 and not text.isalnum():
        score -= 30
    return max(0, min(100, score))
