"""The lazy list of a document's lines: the same lines, in order, however they are numbered."""

from annotator.gui.models.lines import Lines


def _rows(pages: dict[int, int], seq_of):
    """Line rows as reading.line_rows_of_pages gives them, `pages[p]` lines on page p."""
    out, k = [], 0
    for p in sorted(pages):
        for i in range(pages[p]):
            out.append((seq_of(k), p, i * 10, i * 10 + 5, p + 1, i + 1, 1, "", "text", f"p{p} l{i}", None))
            k += 1
    return out


def _lines(pages: dict[int, int], seq_of) -> Lines:
    rows = _rows(pages, seq_of)
    n_pages = max(pages) + 1

    def seqs(page):
        got = [r[0] for r in rows if page is None or r[1] == page]
        return (min(got), max(got)) if got else None

    lines = Lines(lambda a, b: [r for r in rows if a <= r[1] <= b], seqs, n_pages)
    lines.count_with(lambda: [pages.get(p, 0) for p in range(n_pages)])
    return lines


def test_lines_by_seq_with_empty_pages():
    pages = {0: 3, 1: 0, 2: 4, 3: 0, 4: 0, 5: 2}
    lines = _lines(pages, lambda k: 100 + k)
    assert len(lines) == 9
    assert [ln.text for ln in lines] == [f"p{p} l{i}" for p in sorted(pages) for i in range(pages[p])]
    assert lines[3].text == "p2 l0" and lines[-1].text == "p5 l1"
    assert [lines.page_of(k) for k in range(9)] == [0, 0, 0, 2, 2, 2, 2, 5, 5]
    assert lines.first_of(1) == lines.first_of(2) == 3


def test_seqs_with_gaps_fall_back_to_counting():
    pages = {0: 2, 1: 3, 2: 2}
    lines = _lines(pages, lambda k: k * 2)  # every other seq: a gap after each line
    texts = [ln.text for ln in lines]
    assert texts == [f"p{p} l{i}" for p in sorted(pages) for i in range(pages[p])]
    assert len(lines) == 7 and lines[6].text == "p2 l1" and lines.page_of(4) == 1
