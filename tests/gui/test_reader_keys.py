"""Reading and tagging without a mouse: the caret, Shift to select, number keys to tag."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlmodel import select

from annotator.core.store.models import Passage
from annotator.gui.keyboard import shortcut_rows


def _reader(win, qtbot, doc: int):
    win.resize(1000, 700)
    reader = win.open_document(doc)
    reader.show_view("text")
    tv = reader.text_view
    qtbot.waitUntil(lambda: tv.viewport().width() > 300)
    tv.setFocus()
    return reader, tv


def _line(reader, tpage: int, line: int):
    return next(ln for ln in reader.model.lines if (ln.tpage, ln.line) == (tpage, line))


def test_shift_keys_select_and_a_number_key_tags(demo_window, qtbot):
    win = demo_window
    reader, tv = _reader(win, qtbot, 1)
    ln, nxt = _line(reader, 1, 13), _line(reader, 1, 14)
    tv.go_to((ln.page, ln.start), align_top=True)
    QTest.keyClick(tv, Qt.Key_Home)  # the caret appears on the top line
    assert tv.caret == (ln.page, ln.start)
    for _ in range(4):
        QTest.keyClick(tv, Qt.Key_Right, Qt.ShiftModifier)
    assert reader.model.selected_text() == ln.text[:4]
    QTest.keyClick(tv, Qt.Key_Right, Qt.ShiftModifier | Qt.ControlModifier)  # to the word's end
    second = ln.text.index(ln.text.split()[1])
    assert reader.model.selected_text() == ln.text[: second + len(ln.text.split()[1])]
    QTest.keyClick(tv, Qt.Key_End, Qt.ShiftModifier)
    assert reader.model.selected_text() == ln.text
    QTest.keyClick(tv, Qt.Key_Home)  # no Shift: the selection goes, the caret stays
    assert reader.model.selection is None and tv.caret == (ln.page, ln.start)
    QTest.keyClick(tv, Qt.Key_Down, Qt.ShiftModifier)  # from a line's start: the whole line
    assert reader.model.selected_text() == ln.text
    QTest.keyClick(tv, Qt.Key_Down, Qt.ShiftModifier)
    assert reader.model.selected_text() == ln.text + "\n" + nxt.text
    QTest.keyClick(tv, Qt.Key_Up, Qt.ShiftModifier)
    assert reader.model.selected_text() == ln.text
    with win.ctx.ws.session() as s:
        before = len(s.exec(select(Passage)).all())
    QTest.keyClick(tv, Qt.Key_3)
    with win.ctx.ws.session() as s:
        new = s.exec(select(Passage).order_by(Passage.id.desc())).first()
        assert len(s.exec(select(Passage)).all()) == before + 1
    assert new.quote == ln.text and (new.tpage_from, new.line_from, new.line_to) == (1, 13, 13)


def test_up_and_down_follow_wrapped_rows(demo_window, qtbot):
    win = demo_window
    reader, tv = _reader(win, qtbot, 2)
    lines = reader.model.lines
    k = max(range(len(lines)), key=lambda i: len(lines[i].text))
    ln = lines[k]
    starts = tv.rowmap.starts(k)
    assert len(starts) >= 3
    tv.go_to((ln.page, ln.start), align_top=True)
    QTest.keyClick(tv, Qt.Key_Home)
    for _ in range(5):
        QTest.keyClick(tv, Qt.Key_Right)
    QTest.keyClick(tv, Qt.Key_Down, Qt.ShiftModifier)  # one row down, same column
    assert tv.caret == (ln.page, ln.start + starts[1] + 5)
    assert reader.model.selected_text() == ln.text[5 : starts[1] + 5]
    QTest.keyClick(tv, Qt.Key_Down, Qt.ShiftModifier)
    assert reader.model.selected_text() == ln.text[5 : starts[2] + 5]
    QTest.keyClick(tv, Qt.Key_Home)
    QTest.keyClick(tv, Qt.Key_Down, Qt.ShiftModifier)  # from the start: the whole wrapped line
    assert reader.model.selected_text() == ln.text


def test_document_and_page_keys_and_where_they_are_listed(demo_window, qtbot):
    win = demo_window
    reader, tv = _reader(win, qtbot, 1)
    shown = [ln for ln in reader.model.lines if ln.role != "header"]
    QTest.keyClick(tv, Qt.Key_End, Qt.ControlModifier)
    assert tv.caret == (shown[-1].page, shown[-1].end)
    assert tv.point_of(tv.caret) is not None  # the last line is on screen
    QTest.keyClick(tv, Qt.Key_Home, Qt.ControlModifier)
    assert tv.caret == (shown[0].page, shown[0].start) and tv.top == (0, 0)
    QTest.keyClick(tv, Qt.Key_PageDown)
    assert tv.top == tv.rowmap.step((0, 0), tv.page_rows())
    assert tv.point_of(tv.caret) is not None
    QTest.keyClick(tv, Qt.Key_PageUp)
    assert tv.top == (0, 0)
    # the menus name the keys, and so does Help > Keyboard shortcuts
    go = [a.text() for a in win.reading.go_menu.actions() if a.menu()]
    assert "&Caret" in go
    caret_menu = next(a.menu() for a in win.reading.go_menu.actions() if a.text() == "&Caret")
    assert "End of the document\tCtrl+End" in [a.text() for a in caret_menu.actions()]
    rows = dict(shortcut_rows(win))
    assert rows["End of the document"] == "Ctrl+End"
    assert rows["Extend down a row (from a line's start: whole lines)"] == "Shift+Down"
    assert rows["Tag with theme 3"] == "3"
    end = next(a for a in caret_menu.actions() if a.text().startswith("Start of the document"))
    QTest.keyClick(tv, Qt.Key_PageDown)
    end.trigger()  # the menu entry moves the caret as the key does
    assert tv.top == (0, 0)
    reader.show_view("pdf")
    reader.key_move("doc_end")
    bar = reader.pdf_view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0
