"""Long lines wrap in the text view: drawn on several rows, selected and tagged across them."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from sqlmodel import select

from annotator.core.store.models import Passage, Theme
from annotator.gui.reader.text_layout import wrap

from test_reader import _reddish, drag


def test_wrap_breaks_after_spaces_and_cuts_long_words():
    text = "alpha beta gamma delta"
    starts = wrap(text, 11)
    rows = [text[a:b].rstrip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert rows == ["alpha beta", "gamma delta"]
    assert wrap("x" * 25, 10) == (0, 10, 20)
    assert wrap("short", 10) == (0,)
    assert wrap("suspended. \u00a0However, he", 11) == (0, 12)  # no row starts blank
    assert "".join(text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)) == text


def _report(win, qtbot):
    """The demo's press report (long paragraphs, one line each) in a narrow text view."""
    win.resize(1000, 700)
    reader = win.open_document(2)
    reader.show_view("text")
    tv = reader.text_view
    qtbot.waitUntil(lambda: tv.viewport().width() > 300)
    k = max(range(len(reader.model.lines)), key=lambda i: len(reader.model.lines[i].text))
    ln = reader.model.lines[k]
    tv.go_to((ln.page, ln.start), align_top=True)
    item = k
    assert len(tv.rowmap.starts(item)) >= 3, "the longest line should wrap on three rows or more"
    return reader, tv, ln, item


def test_a_drag_across_wrapped_rows_selects_and_tags_the_full_quote(demo_window, qtbot):
    win = demo_window
    reader, tv, ln, item = _report(win, qtbot)
    starts = tv.rowmap.starts(item)
    assert tv.rowmap.width * tv.cw <= tv.viewport().width() - tv.text_x  # rows fit in the view

    def word_on_row(sub: int, nth: int) -> tuple[int, int]:
        """(start, end) columns of a word inside row `sub` of the line."""
        c0 = starts[sub]
        c1 = starts[sub + 1] if sub + 1 < len(starts) else len(ln.text)
        words, col = [], c0
        for w in ln.text[c0:c1].split():
            col = ln.text.index(w, col)
            words.append((col, col + len(w)))
            col += len(w)
        return words[nth]

    def at(col: int) -> QPointF:
        point = tv.point_of((ln.page, ln.start + col))
        assert point is not None
        return point

    a = word_on_row(0, 2)
    b = word_on_row(1, 1)
    drag(tv.viewport(), at(a[0] + 1), at(b[1] - 1))
    assert at(b[0]).y() > at(a[0]).y()  # really two rows
    assert reader.model.selected_text() == ln.text[a[0] : b[1]]
    c = word_on_row(2, 0)  # and on to the row after
    drag(tv.viewport(), at(a[0] + 1), at(c[1] - 1))
    quote = ln.text[a[0] : c[1]]
    assert reader.model.selected_text() == quote
    with win.ctx.ws.session() as s:
        before = len(s.exec(select(Passage)).all())
        colour = s.exec(select(Theme).where(Theme.shortcut == "2")).one().colour
    tv.setFocus()
    QTest.keyClick(tv, Qt.Key_2)
    with win.ctx.ws.session() as s:
        new = s.exec(select(Passage).order_by(Passage.id.desc())).first()
        assert len(s.exec(select(Passage)).all()) == before + 1
    assert new.quote == quote
    # the highlight is drawn on each row it covers, the margin bar beside each
    tv.viewport().repaint()
    img = tv.viewport().grab().toImage()
    bar_x = int(tv.gutter + tv.bars_w - 6 + 1)
    for sub in (0, 1, 2):
        top_left = tv.point_of((ln.page, ln.start + max(a[0], starts[sub])), centre=False)
        rect = QRectF(top_left.x(), top_left.y(), tv.cw * 6, tv.rh)
        assert _reddish(img, rect, QColor(colour)) > 5, sub
        assert img.pixelColor(bar_x, int(top_left.y() + tv.rh / 2)) == QColor(colour), sub


def test_line_number_on_the_first_row_only_and_rewrapped_on_resize(demo_window, qtbot):
    win = demo_window
    reader, tv, ln, item = _report(win, qtbot)
    tv.viewport().repaint()
    img = tv.viewport().grab().toImage()
    first = tv.point_of((ln.page, ln.start), centre=False)
    second = tv.point_of((ln.page, ln.start + tv.rowmap.starts(item)[1]), centre=False)
    gutter_bg = img.pixelColor(2, int(first.y()) + 1)

    def inked(y: float) -> int:
        return sum(
            img.pixelColor(x, int(yy)) != gutter_bg
            for x in range(2, int(tv.gutter - tv.cw / 2))
            for yy in range(int(y) + 2, int(y + tv.rh) - 2)
        )

    assert inked(first.y()) > 5  # "12" or the like
    assert inked(second.y()) == 0
    rows_before = len(tv.rowmap.starts(item))
    win.resize(1300, 700)
    qtbot.waitUntil(lambda: len(tv.rowmap.starts(item)) < rows_before)
    assert tv.current_place()[0] == ln.page


def test_only_the_rows_on_screen_are_wrapped(demo_window, qtbot):
    win = demo_window
    reader = win.open_document(1)
    reader.show_view("text")
    tv = reader.text_view
    tv.key_move("doc_end")
    tv.key_move("doc_start")
    tv.scroll_rows(40)
    assert 0 < len(tv.rowmap._shapes) <= 3 * tv.page_rows() + 45


def test_a_document_opens_with_its_first_page_heading_on_top(demo_window, qtbot):
    win = demo_window
    win.resize(1366, 740)
    reader = win.open_document(1)
    reader.show_view("text")
    tv = reader.text_view
    (first, _y), *_rest = tv.screen_rows()
    assert tv.rowmap.head_row(first) == "Day 45, page 1"
    win.resize(1000, 700)
    qtbot.waitUntil(lambda: tv.rowmap.width < 100)
    assert tv.rowmap.head_row(tv.screen_rows()[0][0]) == "Day 45, page 1"
