"""Margin numbers Tesseract misread ("IZ" for 12, "Ce)" for 9), put right.

A transcript's page:line comes from its margin numbers, so one misread
number would shift a line. On a page whose rows mostly start with a number
in one column at the left, the numbers that agree with a neighbour (each
one more than the row before) are trusted; a short word or a number out of
step in that column, between trusted numbers that agree, takes the value
its row calls for, with a low confidence so the reader shows it as
recognised, not read.
"""

from typing import Any

from annotator.core.ingest.pdf import _rows_of

REPAIRED = 40  # the confidence of a number put right from its neighbours


def drift(words: list[tuple[Any, ...]]) -> float:
    """How far (points across per point down) the left edges of the rows lean: a
    scan turned a degree or two moves its margin column some 15 points from top to
    bottom, enough to lose the margin numbers' column. OCR gives each word the box
    of its whole line, so the lean shows in the rows' first words, not in their heights."""
    firsts = [r.words[0] for r in _rows_of([w[:5] for w in words]) if r.words]
    found = []
    for edge in (0, 2):  # left edges (text), right edges (right-aligned margin numbers)
        for k, a in enumerate(firsts):
            ya = (a[1] + a[3]) / 2
            for b in firsts[k + 1 :]:
                dy = (b[1] + b[3]) / 2 - ya
                if dy > 100 and abs(b[edge] - a[edge]) < 0.05 * dy:
                    found.append((b[edge] - a[edge]) / dy)
    if len(found) < 10:
        return 0.0
    found.sort()
    # the lean most pairs agree on (pairs from different columns scatter)
    best, most, j = 0.0, 0, 0
    for i, f in enumerate(found):
        while found[j] < f - 0.004:
            j += 1
        if i - j + 1 > most:
            best, most = found[(i + j) // 2], i - j + 1
    return best


def upright(words: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The words with the lean of the page taken out of their x (see drift)."""
    k = drift(words) if len(words) >= 10 else 0.0
    if not k:
        return list(words)
    return [
        (w[0] - k * (w[1] + w[3]) / 2, w[1], w[2] - k * (w[1] + w[3]) / 2, w[3]) + tuple(w[4:]) for w in words
    ]


def _number(text: str) -> int | None:
    t = text.strip(".:·•")
    return int(t) if t.isdigit() and len(t) <= 2 else None


def repair(words: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The words (x0, y0, x1, y1, text, conf) with misread margin numbers corrected."""
    if len(words) < 10:
        return words
    level = upright(words)  # the column found on the page put straight
    firsts = []  # (index in words, its value or None), top to bottom, one a row
    at = {(w[0], w[1], w[2], w[3]): i for i, w in enumerate(level)}
    for row in _rows_of([w[:5] for w in level]):
        if not row.words:
            continue
        x0, y0, x1, y1, _a, _b = row.words[0]
        firsts.append(at[(x0, y0, x1, y1)])
    numbered = [i for i in firsts if _number(words[i][4]) is not None]
    if len(numbered) < 5:
        return words
    right = sorted(level[i][2] for i in numbered)[len(numbered) // 2]
    width = sorted(level[i][2] - level[i][0] for i in numbered)[len(numbered) // 2]
    column = [i for i in firsts if abs(level[i][2] - right) <= max(width, 4.0) and len(words[i][4]) <= 3]
    out = list(words)
    values = [_number(words[i][4]) for i in column]
    shift = [
        None if v is None else v - k for k, v in enumerate(values)
    ]  # number minus row: constant on a page
    trusted = [
        shift[k] is not None
        and shift[k] in (shift[k - 1] if k else None, shift[k + 1] if k + 1 < len(shift) else None)
        for k in range(len(shift))
    ]
    for k, i in enumerate(column):
        if trusted[k]:
            if words[i][4] != str(values[k]):  # "21:" or "9." : the number alone
                out[i] = words[i][:4] + (str(values[k]),) + words[i][5:]
            continue
        before = next(((k - j, shift[j]) for j in range(k - 1, -1, -1) if trusted[j]), None)
        after = next(((j - k, shift[j]) for j in range(k + 1, len(column)) if trusted[j]), None)
        side = None
        if before and after and before[1] == after[1]:
            side = before
        elif before and not after and before[0] <= 2:
            side = before
        elif after and not before and after[0] <= 2:
            side = after
        guess = k + side[1] if side and side[1] is not None else None
        if guess is not None and guess >= 1:
            w = words[i]
            out[i] = (w[0], w[1], w[2], w[3], str(guess), min(w[5], REPAIRED))
    return out
