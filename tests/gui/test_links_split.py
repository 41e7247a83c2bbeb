"""References are links (in notes, quotes and the reader) and the split view."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from annotator.core.library import reading
from annotator.gui import window_layout
from annotator.gui.reader.reader import ReaderWidget


def _line(ws, doc_id: int, tpage: int, line: int):
    """(page index, char start, char end) of a transcript line."""
    row = next(r for r in reading.line_rows(ws, doc_id) if (r[4], r[5]) == (tpage, line) and r[8] != "header")
    return row[1], row[2], row[3]


def _ctrl_click_in_note(qtbot, win, text: str, word: str, shift: bool = False) -> None:
    details = win.reading.details
    details.show_passage(2)
    details.note.setPlainText(text)
    details.note.setFocus()
    cursor = QTextCursor(details.note.document())
    cursor.setPosition(text.index(word) + 2)
    point = details.note.cursorRect(cursor).center()
    mods = Qt.ControlModifier | (Qt.ShiftModifier if shift else Qt.NoModifier)
    QTest.mouseClick(details.note.viewport(), Qt.LeftButton, mods, point)


def test_ctrl_click_on_a_reference_in_a_note_opens_that_line(qtbot, demo_window):
    win = demo_window
    _ctrl_click_in_note(qtbot, win, "Compare Day 45/2:7 with the report.", "45/2:7")
    qtbot.waitUntil(lambda: win.reading.current_reader() is not None)
    r = win.reading.current_reader()
    page, start, end = _line(win.ctx.ws, 1, 2, 7)
    assert r.document_id == 1
    assert r.model.selection == ((page, start), (page, end))  # the cited line, selected
    assert "Opened Day 45/2:7" in win.statusBar().currentMessage()
    # the keyboard path: caret on a reference, Go > Follow reference
    details = win.reading.details
    details.note.setPlainText("see {MSF0000045/1}")
    details.note.setFocus()
    qtbot.waitUntil(details.note.hasFocus)
    cursor = details.note.textCursor()
    cursor.setPosition(6)
    details.note.setTextCursor(cursor)
    win.reading.follow_action.trigger()
    assert win.reading.current_reader().document_id == 2


def test_a_reference_to_a_document_not_in_the_workspace_says_so(qtbot, demo_window):
    win = demo_window
    with qtbot.waitSignal(win.reading.links.said, timeout=3000) as said:
        _ctrl_click_in_note(qtbot, win, "The memo INQ000123456 is missing.", "INQ000123456")
    assert said.args == ["INQ000123456 is not in this workspace."]
    assert win.statusBar().currentMessage() == "INQ000123456 is not in this workspace."
    assert win.reading.current_reader() is None or win.reading.current_reader().document_id == 1


def test_references_in_the_quote_are_links(qtbot, demo_window):
    win = demo_window
    details = win.reading.details
    details.show_passage(1)
    details._quote = "as the report {MSF0000045/1} says"
    details._show_quote()
    assert '<a href="ref:0">{MSF0000045/1}</a>' in details.quote.text()
    details.quote.linkActivated.emit("ref:0")
    assert win.reading.current_reader().document_id == 2


def test_split_view_side_by_side_and_a_link_followed_into_the_other_side(qtbot, demo_window):
    win = demo_window
    reading_ = win.reading
    reading_.show_passage(1)  # Day 45, linked to passage 11 in the press report
    assert not win.sides.split
    reading_.split_action.trigger()  # View > Split view: the same document on both sides
    assert win.sides.split and reading_.split_action.isChecked()
    first, second = win.sides.first, win.sides.second
    assert [r.document_id for r in reading_.readers(first)] == [1]
    assert [r.document_id for r in reading_.readers(second)] == [1]
    assert win.sides.active is first
    rules = [side.rule.styleSheet() for side in win.sides._sides]
    assert rules[0] != rules[1]  # the active side is marked
    # follow the passage link with Shift+click: it opens in the other side
    details = reading_.details
    details.show_passage(1)
    item = details.links.item(0)
    point = details.links.visualItemRect(item).center()
    QTest.mouseClick(details.links.viewport(), Qt.LeftButton, Qt.ShiftModifier, point)
    qtbot.waitUntil(lambda: any(r.document_id == 2 for r in reading_.readers(second)))
    assert second.currentWidget().document_id == 2 and win.sides.active is second
    assert [r.document_id for r in reading_.readers(first)] == [1]  # the first side kept its place
    assert second.currentWidget().model.current_mark == 11
    # a reference from the first side into the other: Ctrl+Shift+click in a note
    win.sides.set_active(first)
    _ctrl_click_in_note(qtbot, win, "See Day 45/2:7.", "45/2:7", shift=True)
    r = second.currentWidget()
    assert isinstance(r, ReaderWidget) and r.document_id == 1
    page, start, end = _line(win.ctx.ws, 1, 2, 7)
    assert r.model.selection == ((page, start), (page, end))
    # the layout still saves and restores with the split on
    window_layout.save(win, win.ctx.settings)
    assert window_layout.restore(win, win.ctx.settings)
    # closing the split brings the second side's documents back into one
    reading_.split_action.trigger()
    assert not win.sides.split and not second.isVisible()
    assert sorted(r.document_id for r in reading_.readers(first)) == [1, 2]
    assert reading_.readers(second) == []
    assert win.sides.active is first


def test_a_note_in_the_passages_list_shows_its_references_and_follows_the_first(qtbot, demo_window):
    from annotator.core.evidence import tagging

    win = demo_window
    panel = win.reading.passages
    win.ctx.run(tagging.set_note, 2, "Contradicted by {MSF0000045/1}.")
    row = next(i for i in range(panel.proxy.rowCount()) if panel.proxy.index(i, 0).data(Qt.UserRole) == 2)
    qtbot.waitUntil(lambda: "MSF0000045" in (panel.proxy.index(row, 4).data(Qt.DisplayRole) or ""))
    tip = panel.proxy.index(row, 4).data(Qt.ToolTipRole)
    assert '<a href="ref:0">{MSF0000045/1}</a>' in tip and "Ctrl+Return" in tip
    win.reading.passages_dock.show()
    panel.view.setCurrentIndex(panel.proxy.index(row, 4))
    panel.view.setFocus()
    qtbot.waitUntil(panel.view.hasFocus)
    win.reading.follow_action.trigger()
    assert win.reading.current_reader().document_id == 2


def test_a_tab_moves_to_the_other_side_and_f6_reaches_both_sides(qtbot, demo_window):
    win = demo_window
    reading_ = win.reading
    reading_.open_document(1)
    report = reading_.open_document(2)
    reading_.move_to_other_side(report)
    first, second = win.sides.first, win.sides.second
    assert win.sides.split and reading_.split_action.isChecked()
    assert [r.document_id for r in reading_.readers(first)] == [1]
    assert [r.document_id for r in reading_.readers(second)] == [2]
    assert win.sides.active is second and reading_.current_reader() is report
    panels = win.panels()
    assert panels.index(second) == panels.index(first) + 1
    first.currentWidget().current_view().setFocus()
    qtbot.waitUntil(lambda: win.sides.active is first)  # the focus makes a side active
    assert win.panel_cycle.move(1) is second
    qtbot.waitUntil(lambda: win.sides.active is second)
