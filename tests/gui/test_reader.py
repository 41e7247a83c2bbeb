"""Select text on a rendered PDF page and in the transcript view, tag it, see it drawn, undo, redo."""

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtTest import QTest
from sqlmodel import select

from annotator.core.store.models import Passage, PassageTheme, Theme
from annotator.gui.main_window import MainWindow
from annotator.gui.reader.pdf_view import BAR


def _mouse(widget, kind, pos: QPointF, buttons=Qt.LeftButton):
    button = Qt.NoButton if kind == QEvent.MouseMove else Qt.LeftButton
    ev = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.NoModifier)
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(widget, ev)


def drag(widget, a: QPointF, b: QPointF) -> None:
    _mouse(widget, QEvent.MouseButtonPress, a)
    mid = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)
    _mouse(widget, QEvent.MouseMove, mid)
    _mouse(widget, QEvent.MouseMove, b)
    _mouse(widget, QEvent.MouseButtonRelease, b, Qt.NoButton)


def _open(qtbot, demo_ws_path):
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1300, 900)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    assert win.open_path(str(demo_ws_path))
    return win


def _theme(ws, name):
    with ws.session() as s:
        t = s.exec(select(Theme).where(Theme.name == name)).one()
        return t.id, t.colour


def _live(ws):
    with ws.session() as s:
        return [p for p in s.exec(select(Passage).where(Passage.deleted_at.is_(None)))]


def _reddish(img, rect, colour: QColor) -> int:
    """Light pixels tinted towards `colour` inside rect."""
    n = 0
    for x in range(int(rect.left()) + 1, int(rect.right()) - 1, 2):
        for y in range(int(rect.top()) + 1, int(rect.bottom()) - 1, 2):
            c = img.pixelColor(x, y)
            light = min(c.red(), c.green(), c.blue()) > 150
            if colour.red() > colour.green():
                tinted = c.red() - c.green() > 20
            else:
                tinted = c.green() - c.red() > 15
            n += light and tinted
    return n


def test_select_on_pdf_page_tag_with_key_undo_redo(qtbot, demo_ws, tmp_path):
    path = demo_ws.path
    demo_ws.close()
    win = _open(qtbot, path)
    reader = win.open_document(1)
    reader.show_view("pdf")
    view = reader.pdf_view
    qtbot.waitUntil(
        lambda: (
            view.service.words.get(0) is not None and view.service.image(0, view.render_zoom()) is not None
        ),
        timeout=10000,
    )
    text = reader.model.page_text(0)
    words = view.service.words[0]
    first = next(w for w in words if text[w.start : w.end] == "Some")
    last = next(w for w in words if text[w.start : w.end] == "pointed")
    view.go_to((0, first.start), align_top=True)  # the line in view, whatever the window's size
    r = view.page_rect(0)
    z = view.zoom
    a = QPointF(r.x() + (first.x0 + 1) * z, r.y() + (first.y0 + first.y1) / 2 * z)
    b = QPointF(r.x() + (last.x1 - 1) * z, r.y() + (last.y0 + last.y1) / 2 * z)
    drag(view.viewport(), a, b)
    assert reader.model.selected_text() == "Some witnesses have pointed"
    view.setFocus()
    QTest.keyClick(view, Qt.Key_C, Qt.ControlModifier)
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text() == "Some witnesses have pointed"
    safety, colour = _theme(win.ctx.ws, "Safety")
    before = len(_live(win.ctx.ws))
    QTest.keyClick(view, Qt.Key_3)
    passages = _live(win.ctx.ws)
    assert len(passages) == before + 1
    new = max(passages, key=lambda p: p.id)
    assert new.quote == "Some witnesses have pointed"
    assert (new.tpage_from, new.line_from) == (1, 13)
    with win.ctx.ws.session() as s:
        assert s.get(PassageTheme, (new.id, safety)) is not None
    assert new.rects != "[]"

    def place():  # where the passage is now (a late render or scroll may move the page)
        rect = view._rects(0, first.start, last.end, view.page_rect(0))[0]
        return rect, int(view.page_rect(0).x() - 6 - BAR + 1), int(rect.center().y())

    def shot():
        view.viewport().repaint()
        return view.viewport().grab().toImage()

    mark = reader.model.mark(new.id)
    assert mark.lane == 0

    def drawn() -> bool:  # pages and highlights paint asynchronously: wait, do not sleep
        img = shot()
        rect, bar_x, bar_y = place()
        return img.pixelColor(bar_x, bar_y) == QColor(colour) and _reddish(img, rect, QColor(colour)) > 20

    qtbot.waitUntil(drawn, timeout=15000)
    QTest.keyClick(view, Qt.Key_2)  # no selection now: a second theme for the new passage
    quality, _ = _theme(win.ctx.ws, "Quality")
    with win.ctx.ws.session() as s:
        assert s.get(PassageTheme, (new.id, quality)) is not None
    win.ctx.undo.undo()
    win.ctx.undo.undo()
    assert len(_live(win.ctx.ws)) == before

    def gone() -> bool:
        img = shot()
        rect, bar_x, bar_y = place()
        return img.pixelColor(bar_x, bar_y) != QColor(colour) and _reddish(img, rect, QColor(colour)) == 0

    qtbot.waitUntil(gone, timeout=15000)
    win.ctx.undo.redo()
    assert len(_live(win.ctx.ws)) == before + 1
    win.ctx.undo.redo()
    with win.ctx.ws.session() as s:
        assert s.get(PassageTheme, (new.id, quality)) is not None

    def both() -> bool:  # two themes: dashes of both colours
        img = shot()
        rect, bar_x, _ = place()
        bar = {img.pixelColor(bar_x, y).name().upper() for y in range(int(rect.top()), int(rect.bottom()))}
        return {colour.upper(), "#2E7D32"} <= bar

    qtbot.waitUntil(both, timeout=15000)
    win.close()


def test_select_in_transcript_view_tag_undo_redo(qtbot, demo_ws):
    path = demo_ws.path
    demo_ws.close()
    win = _open(qtbot, path)
    reader = win.open_document(1)
    reader.show_view("text")
    tv = reader.text_view
    k = next(i for i, ln in enumerate(reader.model.lines) if (ln.tpage, ln.line) == (1, 13))
    ln = reader.model.lines[k]
    tv.go_to((ln.page, ln.start), align_top=True)
    a = tv.point_of((ln.page, ln.start + ln.text.index("Some") + 1))
    b = tv.point_of((ln.page, ln.start + ln.text.index("pointed") + 3))
    y = a.y()
    drag(tv.viewport(), a, b)
    assert reader.model.selected_text() == "Some witnesses have pointed"
    quality, colour = _theme(win.ctx.ws, "Quality")
    before = len(_live(win.ctx.ws))
    tv.setFocus()
    QTest.keyClick(tv, Qt.Key_2)
    new = max(_live(win.ctx.ws), key=lambda p: p.id)
    assert len(_live(win.ctx.ws)) == before + 1 and new.quote == "Some witnesses have pointed"
    assert win.reading.details.citation.text() == "Day 45/1:13"
    table = win.reading.passages.table
    ids = lambda: [v.id for v in table.rows]  # noqa: E731
    qtbot.waitUntil(lambda: new.id in ids(), timeout=3000)
    assert table.keys == sorted(table.keys) and len(ids()) == before + 1

    bar_x = int(tv.gutter + tv.bars_w - (BAR + 2) + 1)
    from PySide6.QtCore import QRectF

    top_left = tv.point_of((ln.page, ln.start + ln.text.index("Some")), centre=False)
    hl = QRectF(top_left.x(), top_left.y(), tv.cw * 20, tv.rh)

    def shot():
        tv.viewport().repaint()
        return tv.viewport().grab().toImage()

    img = shot()
    assert img.pixelColor(bar_x, int(y)) == QColor(colour)
    assert _reddish(img, hl, QColor(colour)) > 20
    win.ctx.undo.undo()
    img = shot()
    assert len(_live(win.ctx.ws)) == before
    qtbot.waitUntil(lambda: new.id not in ids(), timeout=3000)
    assert img.pixelColor(bar_x, int(y)) != QColor(colour)
    assert _reddish(img, hl, QColor(colour)) == 0
    win.ctx.undo.redo()
    img = shot()
    assert img.pixelColor(bar_x, int(y)) == QColor(colour)
    win.close()


def test_gutter_selects_line_ranges_and_switching_views_keeps_place(qtbot, demo_ws):
    path = demo_ws.path
    demo_ws.close()
    win = _open(qtbot, path)
    reader = win.open_document(1)
    reader.show_view("text")
    tv = reader.text_view
    rows = [i for i, ln in enumerate(reader.model.lines) if ln.tpage == 2 and ln.line in (20, 22)]
    tv.go_to((reader.model.lines[rows[0]].page, reader.model.lines[rows[0]].start), align_top=True)
    lines = reader.model.lines
    ya = tv.point_of((lines[rows[0]].page, lines[rows[0]].start)).y()
    yb = tv.point_of((lines[rows[1]].page, lines[rows[1]].start)).y()
    drag(tv.viewport(), QPointF(5, ya), QPointF(5, yb))
    sel = reader.model.selection
    first, last = reader.model.lines[rows[0]], reader.model.lines[rows[1]]
    assert sel == ((first.page, first.start), (last.page, last.end))
    reader.show_view("pdf")
    qtbot.waitUntil(lambda: first.page in reader.pdf_view.visible_pages(), timeout=5000)
    reader.model.set_selection(None)
    reader.show_view("text")
    place = tv.current_place()
    assert place[0] == first.page
    win.close()


def test_go_to_and_back_forward_and_search_hits(qtbot, demo_ws):
    path = demo_ws.path
    demo_ws.close()
    win = _open(qtbot, path)
    assert win.reading.goto("Day 45/2:7")
    reader = win.reading.current_reader()
    assert reader.document_id == 1
    ln = next(x for x in reader.model.lines if (x.tpage, x.line) == (2, 7))
    assert reader.model.selection == ((ln.page, ln.start), (ln.page, ln.end))
    assert win.reading.goto("{MSF0000045/1}")
    assert win.reading.current_reader().document_id == 2
    win.reading.back()
    assert win.reading.current_reader().document_id == 1
    win.reading.forward()
    assert win.reading.current_reader().document_id == 2
    r2 = win.reading.current_reader()
    r2.set_search_hits([(0, 0, 5), (0, 10, 15)])
    assert r2.hits_label.text().strip() == "1/2 hits"
    r2.next_hit()
    assert r2.model.hit_index == 1
    win.close()


def test_theme_panel_edits_are_undoable(qtbot, demo_ws, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    path = demo_ws.path
    demo_ws.close()
    win = _open(qtbot, path)
    panel = win.themes
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Governance", True))
    panel.add()
    names = lambda: [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]  # noqa
    assert "Governance" in names()
    gov = next(t for t, it in panel._items.items() if it.text(0) == "Governance")
    panel.tree.setCurrentItem(panel.item_for(gov))
    panel.shift(-1)
    assert names()[-2] == "Governance"
    panel.tree.setCurrentItem(panel.item_for(gov))
    panel.indent()
    assert "Governance" not in names()
    win.ctx.undo.undo()
    assert "Governance" in names()
    safety, _ = _theme(win.ctx.ws, "Safety")
    quality, _ = _theme(win.ctx.ws, "Quality")
    from annotator.core.evidence import theme_ops, themes

    win.ctx.run(theme_ops.merge, safety, quality)
    assert "Safety" not in names()
    win.ctx.undo.undo()
    with win.ctx.ws.session() as s:
        assert themes.counts(s)[safety] == 6
    win.close()


def _long_transcript(folder, repeat: int) -> str:
    """A workspace holding one text transcript: the demo day's turns said `repeat` times."""
    import json

    from annotator.core import demo, samples
    from annotator.core.ingest import import_file
    from annotator.core.store.workspace import Workspace

    script = json.loads((demo.seeds_dir() / "day-45-script.json").read_text(encoding="utf-8"))
    lines = samples.layout(script["turns"] * repeat, 45, script["witness"], script["counsel"])
    txt = folder / "Day 45.txt"
    txt.write_text(samples.to_text(lines, script["inquiry"], script["date"]), encoding="utf-8")
    path = str(folder / "long.annot")
    ws = Workspace.create(path, title="long")
    try:
        assert import_file(ws, str(txt), kind="transcript").status == "imported"
    finally:
        ws.close()
    return path


def test_lines_are_read_a_few_pages_at_a_time(qtbot, tmp_path, monkeypatch):
    from annotator.gui.models import lines

    monkeypatch.setattr(lines, "BLOCK", 2)
    win = _open(qtbot, _long_transcript(tmp_path, 15))
    reader = win.open_document(1)
    reader.show_view("text")
    tv, model = reader.text_view, reader.model
    n_pages = model.lines.n_pages
    assert n_pages >= 30
    first = tv.rowmap.shown_line(0)
    assert tv.rowmap.head_row((first, 0)) == "Day 45, page 1"
    assert model.lines.loaded_pages() <= 8  # the pages on screen and the last (where scrolling stops)
    tv.key_move("doc_end")
    assert model.lines.loaded_pages() <= 10
    k = len(model.lines) - 1
    assert model.lines.page_of(k) == model.lines[k].page == n_pages - 1
    assert tv.point_of(tv.caret) is not None
    tv.key_move("doc_start")
    shown = [ln for ln in model.lines if ln.role != "header"]  # reads them all, in order
    assert model.lines.loaded_pages() == n_pages
    assert [(ln.page, ln.start) for ln in shown] == sorted((ln.page, ln.start) for ln in shown)
    heads = [h for h in (tv.rowmap.head_row((k, 0)) for k in range(len(model.lines))) if h]
    assert heads[:3] == ["Day 45, page 1", "Day 45, page 2", "Day 45, page 3"] and len(heads) == n_pages
    win.close()
