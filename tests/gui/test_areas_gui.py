"""Draw a rectangle on a PDF page with the mouse, tag it with a theme key, see it in both
views, undo and redo; the keyboard's way: the whole page as an area."""

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from annotator.core.store.models import Passage, PassageTheme, Theme
from annotator.gui.appearance import outline
from annotator.gui.main_window import MainWindow


def _mouse(widget, kind, pos: QPointF, buttons=Qt.LeftButton, mods=Qt.NoModifier):
    button = Qt.NoButton if kind == QEvent.MouseMove else Qt.LeftButton
    QApplication.sendEvent(widget, QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, mods))


def drag(widget, a: QPointF, b: QPointF, mods=Qt.NoModifier) -> None:
    _mouse(widget, QEvent.MouseButtonPress, a, mods=mods)
    _mouse(widget, QEvent.MouseMove, QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2), mods=mods)
    _mouse(widget, QEvent.MouseMove, b, mods=mods)
    _mouse(widget, QEvent.MouseButtonRelease, b, Qt.NoButton, mods=mods)


def _areas(ws):
    with ws.session() as s:
        return list(
            s.exec(select(Passage).where(Passage.deleted_at.is_(None), Passage.area_page.is_not(None)))
        )


def _open(qtbot, path):
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1300, 900)
    win.show()
    assert win.open_path(str(path))
    reader = win.open_document(1)
    reader.show_view("pdf")
    view = reader.pdf_view
    qtbot.waitUntil(
        lambda: view.service.image(1, view.render_zoom()) is not None or _render(view), timeout=10000
    )
    return win, reader, view


def _render(view) -> bool:
    view.viewport().repaint()
    return False


def test_draw_an_area_tag_it_and_see_it_in_both_views(qtbot, demo_ws):
    path = demo_ws.path
    demo_ws.close()
    win, reader, view = _open(qtbot, path)
    view.show_area((1, 0, 600, 0, 700))
    r = view.page_rect(1)
    z = view.zoom
    at = lambda x, y: QPointF(r.x() + x * z, r.y() + y * z)  # noqa: E731  points on page 2
    reader.draw_area_action.trigger()
    assert view.draw_areas and reader.draw_area_action.isChecked()
    drag(view.viewport(), at(60, 580), at(300, 700))
    page, x0, y0, x1, y1 = reader.model.area
    assert page == 1 and abs(x0 - 60) < 1 and abs(y0 - 580) < 1 and abs(x1 - 300) < 1 and abs(y1 - 700) < 1
    with win.ctx.ws.session() as s:
        safety = s.exec(select(Theme).where(Theme.name == "Safety")).one()
    view.setFocus()
    QTest.keyClick(view, Qt.Key_3)
    [new] = _areas(win.ctx.ws)
    assert (new.area_page, round(new.area_x0), round(new.area_y1)) == (1, 60, 700)
    assert reader.model.area is None and reader.model.current_mark == new.id
    with win.ctx.ws.session() as s:
        assert s.get(PassageTheme, (new.id, safety.id)) is not None
    assert win.reading.details.citation.text() == "Day 45/2, area"

    line = outline(safety.colour, QColor("white"))

    def outlined() -> bool:  # the rectangle's edge in the theme's colour, wherever the page sits now
        view.viewport().repaint()
        img = view.viewport().grab().toImage()
        rr = view.area_rect(new_area(), view.page_rect(1))
        edge = img.pixelColor(int(rr.center().x()), int(rr.top()) + 1)
        current = line.darker(130)  # the area just tagged is the current passage: a bolder edge
        return abs(edge.red() - current.red()) < 25 and abs(edge.green() - current.green()) < 25

    new_area = lambda: reader.model.mark(new.id).area  # noqa: E731
    qtbot.waitUntil(outlined, timeout=10000)
    # the text view: a marker on the page's first line; a click on it goes back to the area
    reader.show_view("text")
    tv = reader.text_view
    m = reader.model.mark(new.id)
    tv.go_to((1, m.start[1]), align_top=True)
    tv.viewport().repaint()
    assert new.id in tv._badges
    reader.model.set_current_mark(None)
    box = tv._badges[new.id]
    _mouse(tv.viewport(), QEvent.MouseButtonPress, box.center())
    _mouse(tv.viewport(), QEvent.MouseButtonRelease, box.center(), Qt.NoButton)
    assert reader.view_name() == "pdf" and reader.model.current_mark == new.id
    # undo and redo, as for any passage
    win.ctx.undo.undo()
    assert _areas(win.ctx.ws) == [] and reader.model.mark(new.id) is None
    win.ctx.undo.redo()
    assert [a.id for a in _areas(win.ctx.ws)] == [new.id]
    win.close()


def test_shift_drag_and_the_keyboard_way_to_an_area(qtbot, demo_ws):
    path = demo_ws.path
    demo_ws.close()
    win, reader, view = _open(qtbot, path)
    assert not view.draw_areas
    r = view.page_rect(0)
    z = view.zoom
    drag(
        view.viewport(),
        QPointF(r.x() + 100 * z, r.y() + 20 * z),
        QPointF(r.x() + 200 * z, r.y() + 50 * z),
        Qt.ShiftModifier,
    )
    assert reader.model.area is not None and reader.model.area[0] == 0 and reader.model.selection is None
    QTest.keyClick(view, Qt.Key_Escape)
    assert reader.model.area is None
    # keyboard only: the whole page at the top of the view, then a theme key
    view.setFocus()
    QTest.keyClick(view, Qt.Key_A, Qt.ControlModifier | Qt.ShiftModifier)
    assert reader.model.area == (0, 0.0, 0.0, *reader.model.page_sizes[0])
    QTest.keyClick(view, Qt.Key_1)
    [new] = _areas(win.ctx.ws)
    assert (new.area_x0, new.area_y0) == (0.0, 0.0) and new.quote  # the page's words, inside it
    assert "Ctrl+Shift+D" in dict(_shortcuts(win)).get("Draw area", "")
    win.close()


def _shortcuts(win):
    from annotator.gui.keyboard import shortcut_rows

    return shortcut_rows(win)
