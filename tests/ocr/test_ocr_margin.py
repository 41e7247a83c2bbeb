"""Misread margin numbers put right, and a skewed page's lean measured (no OCR needed)."""

import math

from annotator.core.ocr.margin import REPAIRED, drift, repair, upright


def _page(numbers: list[str], lean_degrees: float = 0.0) -> list[tuple]:
    """A transcript page as OCR reports it: a right-aligned margin number and a line of
    words a row, the whole page turned by `lean_degrees` (each word keeps a level box)."""
    k = math.tan(math.radians(lean_degrees))
    words = []
    for row, number in enumerate(numbers):
        y = 100 + row * 25
        shift = -k * y
        width = 5 * len(number)
        words.append((80 - width + shift, y, 80 + shift, y + 10, number, 95))
        for n, text in enumerate(("Were", "the", "targets", "discussed")):
            x = 110 + n * 50 + shift
            words.append((x, y, x + 40, y + 10, text, 95))
    return words


def test_misread_and_out_of_step_numbers_take_their_rows_values():
    read = [str(n) for n in range(1, 26)]
    read[11], read[12], read[8] = "L2", "43", "Ce)"
    read[20] = "21:"
    fixed = [w for w in repair(_page(read)) if w[0] < 85]
    assert [w[4] for w in fixed] == [str(n) for n in range(1, 26)]
    assert {w[4] for w in fixed if w[5] == REPAIRED} == {"12", "13", "9"}


def test_a_page_without_a_margin_column_is_left_alone():
    words = [
        (100 + n * 50, 100 + r * 20, 140 + n * 50, 110 + r * 20, "word", 90)
        for r in range(20)
        for n in range(4)
    ]
    assert repair(words) == words


def test_the_lean_of_a_turned_page_is_measured_and_taken_out():
    page = _page([str(n) for n in range(1, 26)], lean_degrees=1.5)
    assert abs(drift(page) - (-math.tan(math.radians(1.5)))) < 0.003
    level = upright(page)
    numbers = [w for w in level if w[4].isdigit()]
    assert max(w[2] for w in numbers) - min(w[2] for w in numbers) < 2.0
    assert abs(drift(_page([str(n) for n in range(1, 26)]))) < 0.001
