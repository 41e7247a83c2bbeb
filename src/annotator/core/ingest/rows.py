"""A page as rows of text, the common shape every reader produces."""

from dataclasses import dataclass


@dataclass
class Row:
    text: str
    bbox: tuple[float, float, float, float] | None = None  # PDF points, unrotated page space
    # PDF rows: (x0, y0, x1, y1, start, end) per word, offsets into `text`
    words: list[tuple[float, float, float, float, int, int]] | None = None


@dataclass
class ParsedLine:
    """One line to store: a slice [start:end] of its row's text."""

    page_index: int
    row: int
    start: int
    end: int
    tpage: int
    line: int
    day: int | None = None
    speaker: str = ""
    role: str = "text"


def page_text(rows: list[Row]) -> tuple[str, list[int]]:
    """Join rows with newlines; return the text and each row's start offset."""
    starts, parts, pos = [], [], 0
    for r in rows:
        starts.append(pos)
        parts.append(r.text)
        pos += len(r.text) + 1
    return "\n".join(parts), starts
