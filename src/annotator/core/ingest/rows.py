"""A page as rows of text, the common shape every reader produces."""

from dataclasses import dataclass

# What a reader learnt of a document, by name: kind, title, witness, date, day,
# statement_no, exhibits, flags (each reader fills in what it finds).
Facts = dict[str, object]


@dataclass
class Row:
    text: str
    bbox: tuple[float, float, float, float] | None = None  # PDF points, unrotated page space
    # PDF rows: (x0, y0, x1, y1, start, end) per word, offsets into `text`
    words: list[tuple[float, float, float, float, int, int]] | None = None
    part: int = 0  # quadrant of a condensed sheet (0 = whole page / top left)
    # compact form of `words` for the import: (end0, x0_0, end1, x0_1, ...)
    ends_x: tuple[float, ...] | None = None

    def x_at(self, offset: int) -> float | None:
        """Left edge of the word that holds (or follows) character `offset`."""
        if self.words:
            for w in self.words:
                if w[5] > offset:
                    return w[0]
            return None
        xs = self.ends_x or ()
        for i in range(0, len(xs), 2):
            if xs[i] > offset:
                return xs[i + 1]
        return None


@dataclass
class ParsedLine:
    """One line to store: the slice [start:end] of its page's text (absolute
    offsets). It begins `col` characters into row `row` and may run on into
    continuation rows up to `last_row`."""

    page_index: int
    row: int
    start: int
    end: int
    tpage: int
    line: int
    day: int | None = None
    speaker: str = ""
    role: str = "text"
    last_row: int | None = None
    col: int = 0
    para: int | None = None  # numbered paragraph (statements) or turn numbered by the tool (web text)


def page_text(rows: list[Row]) -> tuple[str, list[int]]:
    """Join rows with newlines; return the text and each row's start offset."""
    starts, pos = [], 0
    for r in rows:
        starts.append(pos)
        pos += len(r.text) + 1
    return "\n".join(r.text for r in rows), starts
