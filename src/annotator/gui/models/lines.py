"""A document's lines, read a block of pages at a time when they are first needed.

Line k is the k-th line in reading order, as if every line were in a list;
only the pages looked at are read. A 20,000-page
transcript opens, and jumps to its end, as fast as a 20-page one.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

BLOCK = 16  # pages read at once
KEEP = 512  # pages kept before the oldest are dropped


@dataclass
class TextLine:
    seq: int
    page: int
    start: int
    end: int
    tpage: int
    line: int
    day: int | None
    speaker: str
    role: str
    text: str
    para: int | None = None  # numbered paragraph (statements) or the tool's own number (web text)


class Lines:
    """A read-only list of a document's TextLines (len, index, slice, iterate).

    Lines are numbered by their stored seq (consecutive through a document, as
    the importer writes them), so where a page starts is one index look-up, and
    which page holds line k a binary search over pages: nothing reads every
    line. Should the seqs ever not be consecutive (a read finds a gap), the
    index falls back to counting each page's lines once.
    """

    def __init__(self, fetch: Callable[[int, int], list[tuple]], seqs: Callable, n_pages: int):
        self._fetch = fetch  # (first page, last page) -> line rows in order
        self._seqs = seqs  # (page or None) -> (lowest seq, highest seq) or None
        self._counts: Callable[[], list[int]] | None = None
        self.n_pages = n_pages
        bounds = seqs(None) if n_pages else None
        self.seq0: int = bounds[0] if bounds else 0
        self._len: int = bounds[1] - bounds[0] + 1 if bounds else 0
        self._first: dict[int, int] = {}  # page -> index of its first line
        self._pages: dict[int, list[TextLine]] = {}

    def count_with(self, counts: Callable[[], list[int]]) -> None:
        """How to count each page's lines, should the seqs not be consecutive."""
        self._counts = counts

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def first_of(self, p: int) -> int:
        """The index of page p's first line (a page without lines: where the next begins)."""
        if p >= self.n_pages:
            return self._len
        got = self._first.get(p)
        if got is None:
            q = p
            while q < self.n_pages:
                bounds = self._seqs(q)
                if bounds is not None:
                    got = bounds[0] - self.seq0
                    break
                q += 1
            else:
                got = self._len
            for r in range(p, q + 1):
                self._first.setdefault(r, got)
        return got

    def page_of(self, k: int) -> int:
        """The page holding line k: the last page starting at or before it."""
        lo, hi = 0, self.n_pages - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.first_of(mid) <= k:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def page(self, p: int) -> list[TextLine]:
        """The lines of page p, in order."""
        got = self._pages.get(p)
        if got is None:
            self._read(p)
            got = self._pages.setdefault(p, [])
        return got

    def _read(self, p: int) -> None:
        lo = p - p % BLOCK
        hi = min(self.n_pages - 1, lo + BLOCK - 1)
        if len(self._pages) > KEEP:
            self._pages.clear()
        block: dict[int, list[TextLine]] = {q: [] for q in range(lo, hi + 1)}
        for row in self._fetch(lo, hi):
            ln = TextLine(*row)
            block.setdefault(ln.page, []).append(ln)
        for q, lines in block.items():
            if lines and any(ln.seq - self.seq0 != self.first_of(q) + i for i, ln in enumerate(lines)):
                self._count_pages()
                break
        self._pages.update(block)

    def _count_pages(self) -> None:
        """Seqs with gaps: number the lines by counting each page's instead."""
        if self._counts is None:
            raise RuntimeError("line seqs are not consecutive and no way to count lines was given")
        first = 0
        for p, n in enumerate(self._counts()):
            self._first[p] = first
            first += n
        self._len = first
        self._seqs = lambda _page: None
        self.seq0 = 0

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        p = self.page_of(k)
        return self.page(p)[k - self.first_of(p)]

    def __iter__(self) -> Iterator[TextLine]:
        for p in range(self.n_pages):
            yield from self.page(p)

    def loaded_pages(self) -> int:
        return len(self._pages)
