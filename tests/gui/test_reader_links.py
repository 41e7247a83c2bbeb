"""References in the reader's text view: underlined, a pointing hand, click follows."""

import shutil

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from annotator.core.library import reading
from annotator.gui.main_window import MainWindow

LETTER = (
    "Letter to the inquiry\n"
    "As the witness said at Day 45/2:7, the board knew.\n"
    "The memo INQ000123456 was never produced.\n"
    "The press report {MSF0000045/1} says the same.\n"
)


@pytest.fixture
def letter_window(qtbot, demo_file, tmp_path):
    """The demo with a letter citing the transcript, the report and a missing memo."""
    from annotator.core.ingest import import_file
    from annotator.core.store.workspace import Workspace

    path = tmp_path / "demo.annot"
    shutil.copyfile(demo_file, path)
    letter = tmp_path / "letter.txt"
    letter.write_text(LETTER, encoding="utf-8")
    ws = Workspace.open(str(path))
    doc_id = import_file(ws, str(letter), kind="other", urn="LET0000001").document_id
    ws.close()
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1300, 760)
    win.show()
    assert win.open_path(str(path))
    reader = win.open_document(doc_id)
    reader.show_view("text")
    qtbot.waitUntil(lambda: len(reader.model.lines) > 0)
    return win, reader


def _point(reader, needle: str) -> QPoint:
    """Where the middle of a piece of the letter is drawn in the text view."""
    lines = reader.model.lines
    ln = next(lines[k] for k in range(len(lines)) if needle in lines[k].text)
    col = ln.text.index(needle) + 2
    view = reader.text_view
    return view.point_of((ln.page, ln.start + col), centre=True).toPoint()


def _line(ws, tpage: int, line: int):
    row = next(r for r in reading.line_rows(ws, 1) if (r[4], r[5]) == (tpage, line) and r[8] != "header")
    return (row[1], row[2]), (row[1], row[3])


def test_a_reference_in_the_text_is_underlined_and_a_click_opens_that_line(qtbot, letter_window):
    win, reader = letter_window
    view = reader.text_view
    at = _point(reader, "Day 45/2:7")
    QTest.mouseMove(view.viewport(), at)
    qtbot.waitUntil(lambda: view.viewport().cursor().shape() == Qt.PointingHandCursor)
    QTest.mouseMove(view.viewport(), _point(reader, "board knew"))
    qtbot.waitUntil(lambda: view.viewport().cursor().shape() != Qt.PointingHandCursor)
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, at)
    r = win.reading.current_reader()
    assert r.document_id == 1
    assert r.model.selection == _line(win.ctx.ws, 2, 7)


def test_shift_click_opens_it_in_the_other_side(qtbot, letter_window):
    win, reader = letter_window
    QTest.mouseClick(
        reader.text_view.viewport(), Qt.LeftButton, Qt.ShiftModifier, _point(reader, "MSF0000045")
    )
    assert win.sides.split
    assert win.sides.second.currentWidget().document_id == 2
    assert reader in win.reading.readers(win.sides.first)  # the letter stays where it was


def test_a_reference_to_a_missing_document_says_so(qtbot, letter_window):
    win, reader = letter_window
    with qtbot.waitSignal(win.reading.links.said, timeout=3000) as said:
        QTest.mouseClick(
            reader.text_view.viewport(), Qt.LeftButton, Qt.NoModifier, _point(reader, "INQ000123456")
        )
    assert said.args == ["INQ000123456 is not in this workspace."]
    assert win.statusBar().currentMessage() == said.args[0]
    assert win.reading.current_reader() is reader


def test_follow_reference_from_the_keyboard_at_the_selection(qtbot, letter_window):
    win, reader = letter_window
    lines = reader.model.lines
    ln = next(lines[k] for k in range(len(lines)) if "Day 45/2:7" in lines[k].text)
    a = ln.start + ln.text.index("45/2:7")
    reader.model.set_selection((ln.page, a), (ln.page, a + 3))
    reader.text_view.setFocus()
    win.reading.follow_action.trigger()
    r = win.reading.current_reader()
    assert r.document_id == 1 and r.model.selection == _line(win.ctx.ws, 2, 7)
