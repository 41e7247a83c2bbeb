"""Carry passages from one version of a document's text to the next.

Both versions are read as words in reading order (quotable lines only, so
margins, headers and page breaks never count). The two word sequences are
aligned the way a patience diff aligns lines: words found exactly once in
both (then pairs, then triples) are anchors, the longest run of anchors in
the same order is kept, equal words are extended from them, and the gaps
between are aligned the same way. Lone matches that are not part of a run
of MIN_RUN words, nor squeezed between such runs, are dropped: they are
coincidences more often than evidence.

A passage then goes where its own words went. Unmatched words inside or at
the edges of it are corrections; when too few of its words survive it is
orphaned rather than guessed at. A passage whose words left the aligned
text altogether (a paragraph moved) is looked up by its exact words, and
placed only where nothing else of the old text went and nowhere else fits.
"""

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

WORD = re.compile(r"\S+")
PUNCT = "\"'`.,;:!?()[]{}<>«»“”‘’-–—…*_/\\"
MIN_RUN = 3  # matched words in a row that count as evidence
NEAR = 4  # a short match this close to runs on both sides is kept
MIN_SHARE = 0.6  # of a passage's words that must survive for it to be placed
MIN_FIND = 4  # words a quote needs to be looked up on its own
COMMON = 300  # a word found more often than this says little about where a quote is


@dataclass
class Words:
    """A version's words in reading order, with where each one is."""

    keys: list[int]  # the normalised word, as an int
    page: list[int]
    start: list[int]
    end: list[int]

    def __len__(self) -> int:
        return len(self.keys)


class Worded(Protocol):
    """A quotable line as far as its words go: a Line row, or a row shaped like one."""

    @property
    def page_index(self) -> int: ...
    @property
    def char_start(self) -> int: ...
    @property
    def text(self) -> str: ...


class Vocabulary(dict[str, int]):
    """Normalised word -> int, shared by both versions so equal words get equal ints."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, int] = {}  # each word as written -> its int

    def key(self, word: str) -> int:
        n = self.seen.get(word)
        if n is None:
            k = word.lower().strip(PUNCT) or word.lower()
            n = self.get(k)
            if n is None:
                n = self[k] = len(self)
            self.seen[word] = n
        return n


def words_of(lines: Iterable[Worded], vocab: Vocabulary) -> Words:
    """Words of the quotable lines (in the order given) with page and offsets."""
    w = Words([], [], [], [])
    key = vocab.key
    for ln in lines:
        base = ln.char_start
        for m in WORD.finditer(ln.text):
            w.keys.append(key(m.group()))
            w.page.append(ln.page_index)
            w.start.append(base + m.start())
            w.end.append(base + m.end())
    return w


# ---- alignment ---------------------------------------------------------------
# A word (n = 1) or a run of n words, as keys: what the alignment counts.
Gram = int | tuple[int, ...]


def _grams(seq: list[int], lo: int, hi: int, n: int) -> Iterator[tuple[Gram, int]]:
    if n == 1:
        return ((seq[i], i) for i in range(lo, hi))
    return ((tuple(seq[i : i + n]), i) for i in range(lo, hi - n + 1))


def _unique_pairs(
    a: list[int], alo: int, ahi: int, b: list[int], blo: int, bhi: int
) -> list[tuple[int, int]]:
    """(i, j) of n-grams found exactly once in each range, for the smallest n with any."""
    for n in (1, 2, 3):
        ca = Counter(g for g, _ in _grams(a, alo, ahi, n))
        cb = Counter(g for g, _ in _grams(b, blo, bhi, n))
        where_b = {g: j for g, j in _grams(b, blo, bhi, n) if cb[g] == 1}
        pairs = [(i, where_b[g]) for g, i in _grams(a, alo, ahi, n) if ca[g] == 1 and g in where_b]
        if pairs:
            return pairs
    return []


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (sorted by i) whose j increase too."""
    tails: list[int] = []  # j of the last pair of the best run of each length
    tail_at: list[int] = []  # index in pairs of that pair
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        n = bisect_left(tails, j)
        if n == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[n] = j
            tail_at[n] = k
        back[k] = tail_at[n - 1] if n else -1
    out: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def align(a: list[int], b: list[int]) -> list[int]:
    """m[i] = the index in b of a[i]'s counterpart, or -1."""
    m = [-1] * len(a)
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            m[alo] = blo
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            m[ahi] = bhi
        if alo == ahi or blo == bhi:
            continue
        pa, pb = alo, blo
        for i, j in _longest_increasing(_unique_pairs(a, alo, ahi, b, blo, bhi)):
            if i < pa or j < pb:
                continue  # an n-gram overlapping the one before
            m[i] = j
            stack.append((pa, i, pb, j))
            pa, pb = i + 1, j + 1
        if (pa, pb) != (alo, blo):
            stack.append((pa, ahi, pb, bhi))
    return _keep_runs(m)


def _keep_runs(m: list[int]) -> list[int]:
    """Drop matches that are neither in a run of MIN_RUN nor close to runs on both sides."""
    runs: list[tuple[int, int]] = []  # [i0, i1) with m[i] = m[i0] + (i - i0)
    i, n = 0, len(m)
    while i < n:
        if m[i] < 0:
            i += 1
            continue
        k = i + 1
        while k < n and m[k] == m[k - 1] + 1:
            k += 1
        runs.append((i, k))
        i = k
    solid = [r for r in runs if r[1] - r[0] >= MIN_RUN]
    ends = [r[1] for r in solid]
    out = m[:]
    for i0, i1 in runs:
        if i1 - i0 >= MIN_RUN:
            continue
        k = bisect_right(ends, i0)  # solid runs ending at or before i0
        before = solid[k - 1] if k else None
        after = solid[k] if k < len(solid) else None
        near = (
            before is not None
            and after is not None
            and i0 - before[1] <= NEAR
            and after[0] - i1 <= NEAR
            and 0 <= m[i0] - (m[before[1] - 1] + 1) <= NEAR
            and 0 <= m[after[0]] - (m[i1 - 1] + 1) <= NEAR
        )
        if not near:
            for i in range(i0, i1):
                out[i] = -1
    return out


# ---- placing passages -------------------------------------------------------------
@dataclass
class Spot:
    """Where a passage goes in the new words: [first, last] word indices."""

    first: int
    last: int
    kept: int  # of its old words found there
    words: int  # how many old words it had


class Placer:
    """Place spans of old words in the new words, given the alignment."""

    def __init__(self, old: Words, new: Words) -> None:
        self.old, self.new = old, new
        self.m = align(old.keys, new.keys)
        self.taken = bytearray(len(new))  # new words that are the image of an old word
        for j in self.m:
            if j >= 0:
                self.taken[j] = 1
        # words by where they start; a condensed sheet holds four pages side by side,
        # so there reading order is not character order and each page is sorted apart
        self._starts = list(zip(old.page, old.start, strict=True))
        self._ends = list(zip(old.page, old.end, strict=True))
        self._in_order = all(self._starts[i] <= self._starts[i + 1] for i in range(len(old) - 1))
        self._by_page: dict[int, tuple[list[int], list[int]]] = {}
        if not self._in_order:
            for i in sorted(range(len(old)), key=self._starts.__getitem__):
                starts, idx = self._by_page.setdefault(old.page[i], ([], []))
                starts.append(old.start[i])
                idx.append(i)
        self._new_at: dict[int, list[int]] | None = None
        self._old_at: dict[int, list[int]] | None = None

    def span(self, sp: int, sc: int, ep: int, ec: int) -> tuple[int, int] | None:
        """First and last old word overlapping the range (page, char) to (page, char)."""
        if self._in_order:
            a = bisect_right(self._ends, (sp, sc))
            b = bisect_left(self._starts, (ep, ec)) - 1
            return (a, b) if a <= b else None
        first: int | None = None
        last: int | None = None
        old = self.old
        for page in range(sp, ep + 1):
            got = self._by_page.get(page)
            if not got:
                continue
            starts, idx = got
            lo = 0
            hi = bisect_left(starts, ec) if page == ep else len(starts)
            if page == sp:  # a word that began before sc may still reach into the range
                lo = max(0, bisect_right(starts, sc) - 1)
            for k in range(lo, hi):
                i = idx[k]
                if page == sp and old.end[i] <= sc:
                    continue
                first = i if first is None else min(first, i)
                last = i if last is None else max(last, i)
        return None if first is None or last is None else (first, last)

    def place(self, a: int, b: int) -> tuple[Spot | None, Spot | None]:
        """(spot, None) when old words a..b have a confident place, else (None, best guess)."""
        m = self.m
        inside = [i for i in range(a, b + 1) if m[i] >= 0]
        n = b - a + 1
        if not inside:
            return None, self._gap_guess(a, b)
        first, last = inside[0], inside[-1]
        js, found_a = self._edge(a, first, before=True)
        je, found_b = self._edge(b, last, before=False)
        kept = len(inside) + found_a + found_b
        spot = Spot(js, je, kept, n)
        new_n = je - js + 1
        if len(inside) == n and new_n == n:
            return spot, None  # the same words
        if n <= 2 or kept < MIN_SHARE * max(n, new_n):
            return None, spot
        return spot, None

    def _edge(self, end: int, known: int, before: bool) -> tuple[int, int]:
        """The new index of the passage's edge word `end`, and how many of the passage's
        words between it and `known` (its nearest matched word inside) were found.

        The old words between `known` and the next matched word outside the passage are
        aligned with the new words between their images (a small, local diff); the edge
        then follows the nearest word found on either side of it."""
        m, j = self.m, self.m[known]
        if end == known:
            return j, 0
        step = -1 if before else 1
        o = end + step  # the first matched old word outside the passage
        while 0 <= o < len(m) and m[o] < 0:
            o += step
        outside = m[o] if 0 <= o < len(m) else (-1 if before else len(self.new))
        points = [(known, j)] + self._local(known, o, j, outside, step) + [(o, outside)]
        k = 0  # the last point on the passage's side of its edge
        while (points[k + 1][0] - end) * step <= 0:
            k += 1
        (i1, j1), (i2, j2) = points[k], points[k + 1]
        found = k  # local matches inside the passage
        if i1 == end:
            return j1, found
        old_gap, new_gap = abs(i2 - i1) - 1, abs(j2 - j1) - 1
        if new_gap <= 0:
            return j1, found  # the words at the edge were dropped
        if new_gap == old_gap:  # word for word: the edge moves with its neighbours
            return j1 + (end - i1), found
        if end + step == i2:
            return j2 - step, found  # the reworded words are all the passage's
        return j1, found  # part of a reworded stretch is outside the passage: keep to what is sure

    def _local(self, i: int, o: int, j: int, outside: int, step: int) -> list[tuple[int, int]]:
        """Equal words of the old gap (i, o) and the new gap (j, outside), from i outwards."""
        olds = list(range(i + step, o, step))
        news = list(range(j + step, outside, step))
        if not olds or not news or len(olds) * len(news) > 40000:
            return []
        ok, nk = self.old.keys, self.new.keys
        blocks = SequenceMatcher(None, [ok[x] for x in olds], [nk[x] for x in news], autojunk=False)
        return [
            (olds[a + t], news[b + t]) for a, b, size in blocks.get_matching_blocks() for t in range(size)
        ]

    def _gap_guess(self, a: int, b: int) -> Spot | None:
        """The new words between the images of the matched words around a..b."""
        m = self.m
        p = a - 1
        while p >= 0 and m[p] < 0:
            p -= 1
        q = b + 1
        while q < len(m) and m[q] < 0:
            q += 1
        lo = m[p] + 1 if p >= 0 else 0
        hi = m[q] - 1 if q < len(m) else len(self.new) - 1
        if lo > hi or hi - lo > 2 * (b - a + 1) + 10:
            return None
        return Spot(lo, hi, 0, b - a + 1)

    def find(self, keys: list[int], hint: int, in_old: int = 1) -> tuple[Spot | None, Spot | None]:
        """Words (as keys) looked up word for word in the new words. (spot, None) if found at
        exactly one place no old word went to, and `in_old` times in the old words (1: its
        own place; 0 for an orphan, whose words had no place there). Otherwise (None, best
        guess): the exact place nearest the hint, or else the most alike."""
        new_at, old_at = self._positions()
        n = len(keys)
        pivot = min(range(n), key=lambda k: len(new_at.get(keys[k], ())))  # its rarest word
        exact = [
            j
            for j in (x - pivot for x in new_at.get(keys[pivot], ()))
            if j >= 0 and self.new.keys[j : j + n] == keys
        ]
        free = [j for j in exact if not any(self.taken[j : j + n])]
        if n >= MIN_FIND and len(free) == 1:
            olds = old_at.get(keys[pivot], ())
            if sum(1 for i in olds if self.old.keys[i - pivot : i - pivot + n] == keys) == in_old:
                return Spot(free[0], free[0] + n - 1, n, n), None
        if exact:
            j = min(exact, key=lambda j: abs(j - hint))
            return None, Spot(j, j + n - 1, n, n)
        return None, self._alike(keys, hint)

    def _positions(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        """Where each word key stands in the new and the old words (built on first use)."""
        if self._new_at is None or self._old_at is None:
            self._new_at, self._old_at = _positions(self.new.keys), _positions(self.old.keys)
        return self._new_at, self._old_at

    def _alike(self, keys: list[int], hint: int) -> Spot | None:
        """The stretch of new words sharing most of these words in the same order (a vote
        per word for where the stretch would start; common words do not vote)."""
        new_at, _ = self._positions()
        votes: Counter[int] = Counter()
        for k, key in enumerate(keys):
            where = new_at.get(key, ())
            if len(where) <= COMMON:
                votes.update(x - k for x in where)
        if not votes:
            return None
        top = max(votes.values())
        if top < max(2, len(keys) / 2):
            return None
        j = min((j for j, v in votes.items() if v == top), key=lambda j: abs(j - hint))
        j = max(0, j)
        return Spot(j, min(len(self.new) - 1, j + len(keys) - 1), top, len(keys))

    def hint(self, a: int) -> int:
        """Where old word a would be in the new words, judging by the words before it."""
        p = a
        while p >= 0 and self.m[p] < 0:
            p -= 1
        return self.m[p] if p >= 0 else 0


def _positions(keys: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i, k in enumerate(keys):
        out.setdefault(k, []).append(i)
    return out
