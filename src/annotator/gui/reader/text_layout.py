"""Screen rows of the text view: which characters of a line each row shows.

A monospaced font makes column k of a row its k-th character, so wrapping
is string work, not font layout. Only the lines a person looks at are
wrapped (the ones on screen, and the few walked past when scrolling); the
results are kept per line for the current width and dropped when it
changes. A place on screen is a row: (item, sub) where item is a line's
index in model.lines and sub the row within it (a page heading, then the
wrapped text).
The whole document is never laid out, so a 20,000-page transcript opens
and jumps as fast as a 20-page one.
"""

import bisect

from annotator.gui.models.doc_model import head_key, head_label

Row = tuple[int, int]  # (item, wrapped row within it)
CACHE_LINES = 20_000


def wrap(text: str, width: int) -> tuple[int, ...]:
    """Start columns of the rows `text` takes at `width` characters a row.

    Breaks after a space where there is one; a word longer than a row is cut.
    The spaces at a break stay at the end of the row above (they are invisible).
    """
    n = len(text)
    if n <= width:
        return (0,)
    starts, pos = [0], 0
    while n - pos > width:
        cut = text.rfind(" ", pos + 1, pos + width + 1)
        nxt = cut + 1 if cut > pos else pos + width
        while nxt < n and text[nxt].isspace():  # no row starts with a blank (nor a no-break space)
            nxt += 1
        if nxt >= n:
            break
        starts.append(nxt)
        pos = nxt
    return tuple(starts)


class RowMap:
    """Rows of the document's lines at one width, wrapped on demand.

    An item is a line (its index in model.lines). Its rows are a page heading
    first when the line starts a printed page, then its wrapped text; a running
    header line has none.
    """

    def __init__(self, model):
        self.model = model
        self.width = 80
        self._shapes: dict[int, tuple[str | None, tuple[int, ...]]] = {}

    def __len__(self) -> int:
        return len(self.model.lines)

    def set_width(self, width: int) -> bool:
        width = max(10, width)
        if width == self.width:
            return False
        self.width = width
        self._shapes.clear()
        return True

    def reset(self) -> None:
        self._shapes.clear()

    # ---- one item ------------------------------------------------------
    def shape(self, item: int) -> tuple[str | None, tuple[int, ...]]:
        """(the heading shown above this line or None, start column of each text row)."""
        got = self._shapes.get(item)
        if got is None:
            ln = self.model.lines[item]
            if ln.role == "header":
                got = (None, ())
            else:
                got = (self._head(item, ln), wrap(ln.text, self.width))
            if len(self._shapes) > CACHE_LINES:
                self._shapes.clear()
            self._shapes[item] = got
        return got

    def _head(self, item: int, ln) -> str | None:
        transcript = self.model.kind == "transcript"
        key = head_key(ln, transcript)
        k = item - 1
        while k >= 0 and self.model.lines[k].role == "header":
            k -= 1
        if k >= 0 and head_key(self.model.lines[k], transcript) == key:
            return None
        return head_label(ln, transcript)

    def count(self, item: int) -> int:
        head, starts = self.shape(item)
        return len(starts) + (head is not None)

    def starts(self, item: int) -> tuple[int, ...]:
        """Start column of each text row of this line."""
        return self.shape(item)[1]

    def head_row(self, row: Row) -> str | None:
        """The heading drawn on this row, or None for a row of text."""
        head, _starts = self.shape(row[0])
        return head if head is not None and row[1] == 0 else None

    def text_sub(self, row: Row) -> int:
        """Which text row of its line a row is (heading rows give the line's first)."""
        head, _starts = self.shape(row[0])
        return max(0, row[1] - (head is not None))

    def is_last(self, row: Row) -> bool:
        return self.text_sub(row) == len(self.starts(row[0])) - 1

    def span(self, item: int, sub: int) -> tuple[int, int]:
        """Columns [c0, c1) shown on this row; the last row runs to the line's end."""
        starts = self.starts(item)
        t = min(self.text_sub((item, sub)), len(starts) - 1)
        if t + 1 < len(starts):
            return starts[t], starts[t + 1]
        return starts[t], len(self.model.lines[item].text)

    def sub_of(self, item: int, col: int) -> int:
        """The row of this item holding column col."""
        head, starts = self.shape(item)
        return max(0, bisect.bisect_right(starts, col) - 1) + (head is not None)

    def first_text_row(self, item: int) -> Row:
        return (item, 1 if self.shape(item)[0] is not None else 0)

    # ---- lines and places ----------------------------------------------
    def shown_line(self, k: int, step: int = 1) -> int | None:
        """Line k, or the next (step -1: previous) line that has rows."""
        n = len(self)
        while 0 <= k < n:
            if self.count(k):
                return k
            k += step
        return None

    def row_of(self, pos: tuple[int, int]) -> tuple[Row, int] | None:
        """The row holding (page, char) and the line index there."""
        if not len(self):
            return None
        k = self.shown_line(self.model.line_index_at(pos))
        if k is None:
            k = self.shown_line(len(self) - 1, -1)
            if k is None:
                return None
        ln = self.model.lines[k]
        col = pos[1] - ln.start if ln.page == pos[0] else 0
        return (k, self.sub_of(k, max(0, col))), k

    # ---- walking ---------------------------------------------------------
    def last(self) -> Row:
        k = self.shown_line(len(self) - 1, -1)
        return (k, self.count(k) - 1) if k is not None else (0, 0)

    def step(self, at: Row, n: int) -> Row:
        """The row n rows below (n < 0: above) `at`, stopping at either end."""
        item, sub = at
        total = len(self)
        if not total:
            return (0, 0)
        while n > 0:
            rows = self.count(item)
            if sub + n < rows:
                return (item, sub + n)
            nxt = self.shown_line(item + 1)
            if nxt is None:
                return (item, max(0, rows - 1))
            n -= rows - sub
            item, sub = nxt, 0
        while n < 0:
            if sub + n >= 0:
                return (item, sub + n)
            prev = self.shown_line(item - 1, -1)
            if prev is None:
                return (item, 0)
            n += sub + 1
            item, sub = prev, self.count(prev) - 1
        return (item, sub)

    def down_from(self, top: Row, count: int) -> list[Row]:
        """`count` rows from `top` down (fewer at the end of the document)."""
        out: list[Row] = []
        item, sub = top
        n = len(self)
        while len(out) < count and item < n:
            rows = self.count(item)
            while sub < rows and len(out) < count:
                out.append((item, sub))
                sub += 1
            item, sub = item + 1, 0
        return out
