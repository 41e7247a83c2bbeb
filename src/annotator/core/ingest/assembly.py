"""A document's pages turned into the rows the import stores, page by page.

A PDF's pages come from the reader process in batches. Finding their cells
and transcript lines, and building the line rows to insert, as they arrive
overlaps that work with the reading: only the database inserts are left
when the last page comes in.
"""

from annotator.core.ingest import transcript
from annotator.core.ingest.rows import Facts, ParsedLine, Row, page_text

# A line row as the import inserts it: page_index, seq, tpage, line, speaker, role,
# text, char_start, char_end, x0, y0, x1, y1, para.
LineValues = tuple[int, int, int, int, str, str, str, int, int, float, float, float, float, int | None]


class Assembly:
    """Pages fed in any order (`add`), worked on in page order."""

    def __init__(self, is_pdf: bool) -> None:
        self.is_pdf = is_pdf
        self.pages: list[list[Row]] = []
        self.cells: list[list[transcript.Cell]] = []
        self.texts: list[str] = []
        # the pages read as a transcript (kept only if the document is one)
        self.lines: list[ParsedLine] = []
        self.values: list[LineValues] = []  # line rows to insert, one per line in `lines`
        self._parser = transcript.Parser(is_pdf)
        self._waiting: dict[int, list[Row]] = {}

    def add(self, index: int, rows: list[Row]) -> None:
        self._waiting[index] = rows
        while len(self.pages) in self._waiting:
            self._take(self._waiting.pop(len(self.pages)))

    def _take(self, rows: list[Row]) -> None:
        pidx = len(self.pages)
        cells = transcript.page_cells([rows], self.is_pdf)[0]
        self.pages.append(rows)
        self.cells.append(cells)
        self.texts.append(page_text(rows)[0])
        new = self._parser.page(pidx, rows, cells)
        self.values += line_values(self.pages, self.texts, new, len(self.lines))
        self.lines += new

    def finish(self) -> tuple[bool, list[ParsedLine], list[LineValues] | None, Facts]:
        """(is transcript, lines, their rows to insert, what was learnt) once
        every page is in. A document that is not a transcript gets one line
        per row instead; its rows to insert are left to the caller (None)."""
        if transcript.is_transcript(self.pages, self.is_pdf, self.cells):
            return True, self.lines, self.values, self._parser.finish(self.lines)
        return False, transcript.plain_lines(self.pages), None, {}


def line_values(
    pages: list[list[Row]], texts: list[str], lines: list[ParsedLine], seq: int = 0
) -> list[LineValues]:
    """(page_index, seq, tpage, line, speaker, role, text, char_start, char_end,
    x0, y0, x1, y1, para) per line; `seq` numbers the first one."""
    out: list[LineValues] = []
    for ln in lines:
        x0, y0, x1, y1 = line_box(pages[ln.page_index], ln)
        out.append(
            (
                ln.page_index,
                seq,
                ln.tpage,
                ln.line,
                ln.speaker,
                ln.role,
                texts[ln.page_index][ln.start : ln.end],
                ln.start,
                ln.end,
                x0,
                y0,
                x1,
                y1,
                ln.para,
            )
        )
        seq += 1
    return out


def line_box(rows: list[Row], ln: ParsedLine) -> tuple[float, float, float, float]:
    first = rows[ln.row]
    if not first.bbox:
        return 0.0, 0.0, 0.0, 0.0
    x0, y0, x1, y1 = first.bbox
    x = first.x_at(ln.col)  # first word of the line proper: the margin number is left out
    if x is not None:
        x0 = x
    for r in rows[ln.row + 1 : (ln.last_row or ln.row) + 1]:
        if r.bbox:
            x0, y0 = min(x0, r.bbox[0]), min(y0, r.bbox[1])
            x1, y1 = max(x1, r.bbox[2]), max(y1, r.bbox[3])
    return x0, y0, x1, y1
