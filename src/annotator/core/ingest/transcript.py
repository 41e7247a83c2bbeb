"""Recover transcript structure: day, page, 25 numbered lines, speakers.

Works on rows (text lines, with positions for PDFs), so PDF and plain-text
transcripts share one parser. A file page is divided into cells, one per
transcript page: the whole page normally, four on a condensed sheet (PDF
quadrants, or two text columns each holding two pages). In each cell the
margin numbers are found by position (they sit in one column at the left),
so numbers inside the text are not mistaken for them.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from annotator.core.ingest import people
from annotator.core.ingest.rows import Facts, ParsedLine, Row

# a margin number, after the time stamp some reporters print left of it (10:21:05  3  Q. ...)
NUMBER = re.compile(r"([\s·•]*(?:\d{1,2}:\d{2}(?::\d{2})?\s+)?)(\d{1,2})(?=[\s·•]|$)[\s·•]*")
PAGE_NO = re.compile(r"\bPage\s+(\d{1,5})\b(?![ \t]*(?:of|to|ID|-|–)\b)", re.IGNORECASE)
BARE_NO = re.compile(r"^\s*(\d{1,5})\s*$")
TRAIL_NO = re.compile(r"\S\s{3,}(\d{1,5})\s*$")
DAY_NO = re.compile(r"\bDay\s+(\d{1,4})\b", re.IGNORECASE)
CONDENSED = re.compile(r"\(Pages?\s+\d+\s+to\s+\d+\)", re.IGNORECASE)
INDEX_REF = re.compile(r"\b\d{1,4}:\d{1,2}\b")
MIN_NUMBERED = 5  # numbered lines that make a cell a transcript page


@dataclass
class Seg:
    """A run of a row: row index and [a, b) within that row's text."""

    row: int
    a: int
    b: int


@dataclass
class Cell:
    segs: list[Seg]
    numbered: list[tuple[int, int, int]] = field(default_factory=list)  # (seg index, number, text start)
    kind: str = "text"  # page | index | text


def _columns_of_text(rows: list[Row]) -> list[list[Seg]]:
    """A condensed text sheet: two columns side by side; find where the right one starts."""
    heads: Counter[int] = Counter()
    ends: Counter[int] = Counter()
    for r in rows[1:]:
        for m in re.finditer(r"\s{2,}(Page\s+\d+)", r.text):
            if m.start(1) > 20:
                heads[m.start(1)] += 1
        for m in re.finditer(r"\s{2,}(\d{1,2})(?=\s|$)", r.text):
            if m.start(1) > 20:
                ends[m.end(1)] += 1
    if heads:
        split = heads.most_common(1)[0][0]
    elif ends:
        split = ends.most_common(1)[0][0] - 2
    else:
        return [[Seg(i, 0, len(r.text)) for i, r in enumerate(rows)]]
    left = [Seg(i, 0, min(split, len(r.text))) for i, r in enumerate(rows)]
    right = [Seg(i, split, len(r.text)) for i, r in enumerate(rows) if len(r.text) > split]
    return [left, right]


def _groups(rows: list[Row], is_pdf: bool) -> tuple[list[list[Seg]], bool]:
    """Columns of segments to look for margin numbers in; True if condensed."""
    if is_pdf:
        parts = sorted({r.part for r in rows})
        if parts != [0]:
            return [[Seg(i, 0, len(r.text)) for i, r in enumerate(rows) if r.part == p] for p in parts], False
        return [[Seg(i, 0, len(r.text)) for i, r in enumerate(rows)]], False
    if any(CONDENSED.search(r.text) for r in rows[:4]):
        return _columns_of_text(rows), True
    return [[Seg(i, 0, len(r.text)) for i, r in enumerate(rows)]], False


def _margin_x(row: Row, seg: Seg, lead: int, is_pdf: bool) -> float:
    if is_pdf:
        x = row.x_at(seg.a + lead)  # the word holding the number
        if x is not None:
            return x
    if is_pdf and row.bbox:
        return row.bbox[0]
    return float(lead)


def _cells(rows: list[Row], is_pdf: bool) -> list[Cell]:
    groups, split_restarts = _groups(rows, is_pdf)
    tol = 9.0 if is_pdf else 2.0
    cells = []
    for segs in groups:
        cands = []
        for k, sg in enumerate(segs):
            m = NUMBER.match(rows[sg.row].text, sg.a, sg.b)
            if m and 1 <= int(m.group(2)) <= 25:
                x = _margin_x(rows[sg.row], sg, m.start(2) - sg.a, is_pdf)
                cands.append((k, int(m.group(2)), m.end(), x))
        if not cands:
            cells.append(Cell(segs))
            continue
        bins = Counter(round(x / tol) for *_, x in cands)
        home = max(bins.items(), key=lambda kv: (kv[1], -kv[0]))[0] * tol
        cands = [c for c in cands if abs(c[3] - home) <= tol * 1.5]
        if not split_restarts:
            cells.append(Cell(segs, _increasing([c[:3] for c in cands])))
            continue
        runs: list[list[tuple[int, int, int]]] = [[]]  # (seg index, number, text start)
        bounds = [0]
        prev = last_k = 0
        for k, n, start, _x in cands:
            if n <= prev:
                runs.append([])
                bounds.append(last_k + 1)
            runs[-1].append((k, n, start))
            prev, last_k = n, k
        bounds.append(len(segs))
        for run, a, b in zip(runs, bounds, bounds[1:], strict=False):
            cells.append(Cell(segs[a:b], [(k - a, n, s) for k, n, s in run]))
    for c in cells:
        if len(c.numbered) >= MIN_NUMBERED:
            c.kind = "page"
        elif _is_word_index(rows, c):
            c.kind = "index"
    return cells


def _increasing(cands: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The longest run of candidates whose numbers strictly increase, so a stray
    number in the margin column (a header, a date) is left out."""
    if not cands:
        return []
    if all(a[1] < b[1] for a, b in zip(cands, cands[1:], strict=False)):
        return list(cands)  # the usual page, 1 to 25 in order: the search below would keep them all
    best = [1] * len(cands)
    back = [-1] * len(cands)
    for i in range(len(cands)):
        for j in range(i):
            if cands[j][1] < cands[i][1] and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    i = max(range(len(cands)), key=lambda k: (best[k], -k))
    out = []
    while i >= 0:
        out.append(cands[i])
        i = back[i]
    return out[::-1]


def _is_word_index(rows: list[Row], cell: Cell) -> bool:
    texts = [rows[s.row].text[s.a : s.b] for s in cell.segs]
    texts = [t for t in texts if t.strip()]
    refs = sum(len(INDEX_REF.findall(t)) for t in texts)
    with_refs = sum(1 for t in texts if INDEX_REF.search(t))
    return refs >= 8 and with_refs >= len(texts) * 0.4


def page_cells(pages: list[list[Row]], is_pdf: bool) -> list[list[Cell]]:
    return [_cells(rows, is_pdf) for rows in pages]


def is_transcript(pages: list[list[Row]], is_pdf: bool, cells: list[list[Cell]] | None = None) -> bool:
    cells = cells if cells is not None else page_cells(pages, is_pdf)
    kinds = [c.kind for page in cells for c in page]
    numbered = kinds.count("page")
    others = len(kinds) - kinds.count("index")
    return numbered >= 1 and numbered >= others * 0.4


def _page_number(rows: list[Row], cell: Cell, expected: int) -> int:
    first = cell.numbered[0][0] if cell.numbered else len(cell.segs)
    last = cell.numbered[-1][0] if cell.numbered else -1
    strong, weak = [], []
    for k, sg in enumerate(cell.segs):
        if first <= k <= last:
            continue
        t = rows[sg.row].text[sg.a : sg.b]
        strong += [int(m.group(1)) for m in PAGE_NO.finditer(t)]
        m = BARE_NO.match(t) or (TRAIL_NO.search(t) if k < first else None)
        if m:
            weak.append(int(m.group(1)))
    for found in (strong, weak):
        if expected in found:
            return expected
    if strong:
        return strong[0]
    weak = [n for n in weak if expected <= n <= expected + 50]
    return weak[0] if weak else expected


@dataclass
class Info:
    day: int | None = None
    date: str = ""
    witness: str = ""


def parse(
    pages: list[list[Row]], is_pdf: bool, day: int | None = None, cells: list[list[Cell]] | None = None
) -> tuple[list[ParsedLine], Facts]:
    """Lines of a transcript and what was learnt (day, date, first witness)."""
    parser = Parser(is_pdf, day)
    out: list[ParsedLine] = []
    for pidx, rows in enumerate(pages):
        out += parser.page(pidx, rows, cells[pidx] if cells is not None else None)
    return out, parser.finish(out)


class Parser:
    """`parse` one page at a time, in page order, so that a PDF's pages can be
    parsed while the reader process is still reading the next ones."""

    def __init__(self, is_pdf: bool, day: int | None = None) -> None:
        self.is_pdf, self.day = is_pdf, day
        self.st = people.State()
        self.info = Info(day=day)
        self.tpage = 0  # carried from page to page: the next one is expected to follow

    def page(self, pidx: int, rows: list[Row], cells: list[Cell] | None = None) -> list[ParsedLine]:
        info, day = self.info, self.day
        out: list[ParsedLine] = []
        starts, pos = [], 0
        for r in rows:
            starts.append(pos)
            pos += len(r.text) + 1
        for cell in cells if cells is not None else _cells(rows, self.is_pdf):
            self.tpage = tpage = _page_number(rows, cell, self.tpage + 1)
            if info.day is None or day is None:
                for sg in cell.segs[: (cell.numbered[0][0] if cell.numbered else 6)]:
                    m = DAY_NO.search(rows[sg.row].text[sg.a : sg.b])
                    if m:
                        info.day = int(m.group(1)) if day is None else day
                        break
            if not info.date:
                info.date = people.find_date(" ".join(rows[s.row].text[s.a : s.b] for s in cell.segs[:40]))
            if cell.kind == "page":
                out += _numbered_lines(rows, starts, pidx, cell, tpage, self.st)
            else:
                role = "index" if cell.kind == "index" else "text"
                n = 0
                for sg in cell.segs:
                    t = rows[sg.row].text[sg.a : sg.b]
                    if t.strip():
                        n += 1
                        lead = len(t) - len(t.lstrip())
                        a = starts[sg.row] + sg.a + lead
                        out.append(
                            ParsedLine(
                                pidx,
                                sg.row,
                                a,
                                starts[sg.row] + sg.a + len(t.rstrip()),
                                tpage,
                                n,
                                role=role,
                                col=sg.a + lead,
                            )
                        )
        return out

    def finish(self, lines: list[ParsedLine]) -> Facts:
        """After the last page: every line gets the day found last; what was learnt."""
        for ln in lines:
            ln.day = self.info.day
        st = self.st
        return {
            "day": self.info.day,
            "date": self.info.date,
            "witness": st.witnesses[0] if st.witnesses else "",
        }


def _numbered_lines(
    rows: list[Row], starts: list[int], pidx: int, cell: Cell, tpage: int, st: people.State
) -> list[ParsedLine]:
    """One line per printed row. A row without a margin number (a caption set
    in two columns, an address under a name) is a line of its own carrying
    the number of the numbered line above it, so no line spans two rows."""
    out: list[ParsedLine] = []
    contiguous = all(sg.a == 0 for sg in cell.segs)  # text columns cannot take continuation rows
    nums = cell.numbered
    for j, (k, n, start) in enumerate(nums):
        sg = cell.segs[k]
        out.append(_one_line(rows, starts, pidx, sg.row, min(start, _body_end(rows, sg)), sg, tpage, n, st))
        if contiguous:
            stop = nums[j + 1][0] if j + 1 < len(nums) else k + 1
            for k2 in range(k + 1, stop):
                s2 = cell.segs[k2]
                t2 = rows[s2.row].text
                if t2.strip():
                    lead = len(t2) - len(t2.lstrip())
                    out.append(_one_line(rows, starts, pidx, s2.row, lead, s2, tpage, n, st))
    return out


def _body_end(rows: list[Row], sg: Seg) -> int:
    return sg.a + len(rows[sg.row].text[sg.a : sg.b].rstrip())


def _one_line(
    rows: list[Row],
    starts: list[int],
    pidx: int,
    row: int,
    col: int,
    sg: Seg,
    tpage: int,
    n: int,
    st: people.State,
) -> ParsedLine:
    end = _body_end(rows, sg)
    speaker, role = people.speaker_of(rows[row].text[col:end], st)
    return ParsedLine(
        pidx, row, starts[row] + col, starts[row] + end, tpage, n, speaker=speaker, role=role, col=col
    )


def plain_lines(pages: list[list[Row]]) -> list[ParsedLine]:
    """Non-transcripts: each non-empty row, numbered from 1 on each page;
    speaker labels (`MR KARK:`) are still recognised."""
    st = people.State()
    out = []
    for pidx, rows in enumerate(pages):
        n, pos = 0, 0
        for i, r in enumerate(rows):
            stripped = r.text.strip()
            if stripped:
                n += 1
                lead = len(r.text) - len(r.text.lstrip())
                speaker, role = people.label_of(stripped, st)
                out.append(
                    ParsedLine(
                        pidx,
                        i,
                        pos + lead,
                        pos + len(r.text.rstrip()),
                        pidx + 1,
                        n,
                        speaker=speaker,
                        role=role,
                        col=lead,
                    )
                )
            pos += len(r.text) + 1
    return out
