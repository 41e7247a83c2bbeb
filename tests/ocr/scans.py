"""Scanned transcripts made by the project's own generators, and how well OCR reads them back."""

import difflib
import re

from search_corpus import DAY45, DAY46

from annotator.core import samples

SKEWS = (0.0, 1.5, -1.0, 2.0, -2.0, 0.5)


def transcript(pages: int = 3, day: int = 12) -> list:
    """Generated transcript lines filling `pages` pages."""
    lines = samples.layout((DAY45 + DAY46) * (2 * pages), day, "JOANNE SMITH", "MR KARK")
    return [ln for ln in lines if ln.page <= pages]


def scan(lines: list, skews=SKEWS) -> bytes:
    """The transcript printed to PDF, then scanned at 200 dpi, pages turned by `skews`."""
    return samples.scanned(samples.to_pdf(lines, "Test Inquiry", "2011-03-01"), dpi=200, skews=skews)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def accuracy(truth: list, stored: list) -> dict:
    """Share of the truth's numbered lines found at the same page:line with their text
    at least 85% similar, and of its words read exactly (in order)."""
    got = {(ln.tpage, ln.line): ln.text for ln in stored}
    numbered = [t for t in truth if t.numbered and t.text.strip()]
    right = sum(
        1
        for t in numbered
        if difflib.SequenceMatcher(None, _plain(t.text), _plain(got.get((t.page, t.line), ""))).ratio()
        >= 0.85
    )
    want = same = 0
    for t in numbered:  # words read exactly, line by line
        a, b = _plain(t.text).split(), _plain(got.get((t.page, t.line), "")).split()
        want += len(a)
        same += sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return {"lines": right / len(numbered), "words": same / want, "n_lines": len(numbered)}
