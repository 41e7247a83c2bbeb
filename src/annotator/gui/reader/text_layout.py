"""Screen rows of the text view: which characters of a line each row shows.

A monospaced font makes column k of a row its k-th character, so wrapping
is string work, not font layout. Only the lines a person looks at are
wrapped (the ones on screen, and the few walked past when scrolling); the
results are kept per line for the current width and dropped when it
changes. A place on screen is a row: (item, sub) where item indexes the
model's rows (page heads and lines) and sub is the wrapped row within it.
The whole document is never laid out, so a 20,000-page transcript opens
and jumps as fast as a 20-page one.
"""

import bisect

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
        while nxt < n and text[nxt] == " ":
            nxt += 1
        if nxt >= n:
            break
        starts.append(nxt)
        pos = nxt
    return tuple(starts)


class _LineOfItem:
    """The items as a sorted sequence of line indexes (a page head counts as
    the line under it), so bisect finds a line's item without an index of all."""

    def __init__(self, items: list[tuple]):
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> int:
        kind, k = self.items[i]
        if kind == "line":
            return k
        return self.items[i + 1][1] if i + 1 < len(self.items) else 1 << 62


class RowMap:
    """Rows of the model's items at one width, wrapped on demand."""

    def __init__(self, model):
        self.model = model
        self.width = 80
        self._starts: dict[int, tuple[int, ...]] = {}

    @property
    def items(self) -> list[tuple]:
        return self.model.rows

    def set_width(self, width: int) -> bool:
        width = max(10, width)
        if width == self.width:
            return False
        self.width = width
        self._starts.clear()
        return True

    def reset(self) -> None:
        self._starts.clear()

    # ---- one item ------------------------------------------------------
    def starts(self, item: int) -> tuple[int, ...]:
        """Start column of each row of this item (one row for a page head)."""
        got = self._starts.get(item)
        if got is None:
            kind, k = self.items[item]
            got = (0,) if kind == "head" else wrap(self.model.lines[k].text, self.width)
            if len(self._starts) > CACHE_LINES:
                self._starts.clear()
            self._starts[item] = got
        return got

    def span(self, item: int, sub: int) -> tuple[int, int]:
        """Columns [c0, c1) shown on this row; the last row runs to the line's end."""
        starts = self.starts(item)
        sub = min(sub, len(starts) - 1)
        if sub + 1 < len(starts):
            return starts[sub], starts[sub + 1]
        kind, k = self.items[item]
        return starts[sub], (len(self.model.lines[k].text) if kind == "line" else 0)

    def sub_of(self, item: int, col: int) -> int:
        """The row of this item holding column col."""
        return max(0, bisect.bisect_right(self.starts(item), col) - 1)

    # ---- lines and places ----------------------------------------------
    def item_of_line(self, k: int) -> int | None:
        """The item showing line k (or the next shown line, for header lines)."""
        items = self.items
        i = bisect.bisect_left(_LineOfItem(items), k)
        if i < len(items) and items[i][0] == "head":
            i += 1
        return i if i < len(items) else (len(items) - 1 if items else None)

    def row_of(self, pos: tuple[int, int]) -> tuple[Row, int] | None:
        """The row holding (page, char) and the line index there."""
        if not self.items:
            return None
        item = self.item_of_line(self.model.line_index_at(pos))
        if item is None:
            return None
        k = self.items[item][1]
        ln = self.model.lines[k]
        col = pos[1] - ln.start if ln.page == pos[0] else 0
        return (item, self.sub_of(item, max(0, col))), k

    # ---- walking ---------------------------------------------------------
    def last(self) -> Row:
        n = len(self.items)
        return (n - 1, len(self.starts(n - 1)) - 1) if n else (0, 0)

    def step(self, at: Row, n: int) -> Row:
        """The row n rows below (n < 0: above) `at`, stopping at either end."""
        item, sub = at
        if not self.items:
            return (0, 0)
        while n > 0:
            rows = len(self.starts(item))
            if sub + n < rows:
                return (item, sub + n)
            if item + 1 >= len(self.items):
                return (item, rows - 1)
            n -= rows - sub
            item, sub = item + 1, 0
        while n < 0:
            if sub + n >= 0:
                return (item, sub + n)
            if item == 0:
                return (0, 0)
            n += sub + 1
            item -= 1
            sub = len(self.starts(item)) - 1
        return (item, sub)

    def down_from(self, top: Row, count: int) -> list[Row]:
        """`count` rows from `top` down (fewer at the end of the document)."""
        out: list[Row] = []
        item, sub = top
        n = len(self.items)
        while len(out) < count and item < n:
            rows = len(self.starts(item))
            while sub < rows and len(out) < count:
                out.append((item, sub))
                sub += 1
            item, sub = item + 1, 0
        return out
