"""The search panel: type, get results from the background thread, open one, tag, save, export."""

from PySide6.QtCore import QItemSelectionModel

from annotator.core.evidence import themes
from annotator.core.search import actions, search


def type_query(qtbot, panel, text):
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        panel.box.setFocus()
        panel.box.clear()
        qtbot.keyClicks(panel.box, text)
    qtbot.waitUntil(
        lambda: panel.results is not None and panel.results.query == panel.query(), timeout=10_000
    )
    return blocker.args[0]


def test_type_open_and_tag(qtbot, demo_window, tmp_path):
    win = demo_window
    panel = win.search
    win.find_action.trigger()
    assert panel.box.hasFocus() or not win.isActiveWindow()
    type_query(qtbot, panel, "target")
    res = panel.results
    assert res.total == 9 and panel.model.rowCount() == 9
    assert "9 results" in panel.status.text()
    # open a line result: the reader shows the document with every hit marked
    row = next(i for i, h in enumerate(panel.model.hits) if h.kind == "line")
    hit = panel.model.hits[row]
    panel.open_row(row)
    reader = win.center.currentWidget()
    assert getattr(reader, "document_id", None) == hit.document_id
    if hasattr(reader, "model") and hasattr(reader.model, "hits"):
        assert len(reader.model.hits) >= 1
        current = reader.model.hits[reader.model.hit_index]  # the counter starts at this result
        assert (current[0], current[1]) >= (hit.page_index, hit.char_start)
    # tag two selected results with Safety in one undoable step
    ws = win.ctx.ws
    with ws.session() as s:
        safety = themes.find(s, "Safety").id
    before = search(ws, "theme:safety").total
    lines = [i for i, h in enumerate(panel.model.hits) if h.kind == "line" and "Safety" not in h.themes][:2]
    panel.table.clearSelection()
    for i in lines:
        panel.table.selectionModel().select(
            panel.model.index(i, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows
        )
    assert len(panel.selected_hits()) == 2
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):  # the list refreshes after the change
        panel.tag(safety)
    assert search(ws, "theme:safety").total > before
    assert win.ctx.undo.count() == 1
    win.ctx.undo.undo()
    assert search(ws, "theme:safety").total == before
    win.ctx.undo.redo()
    assert search(ws, "theme:safety").total > before


def test_filters_chips_paging_saved_and_export(qtbot, demo_window, tmp_path):
    win = demo_window
    panel = win.search
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):
        panel.chips.add("theme", "Safety")
    assert panel.query() == 'theme:"Safety"'
    assert panel.results.total == 6 and all("Safety" in h.themes for h in panel.model.hits)
    res = type_query(qtbot, panel, "surgery")
    assert res.query == 'surgery theme:"Safety"' and res.total >= 1
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):
        panel.chips.remove(0)
    assert panel.query() == "surgery"
    # odd input: an answer with a notice, never an error
    res = type_query(qtbot, panel, '"unbalanced AND (')
    assert panel.notices.isVisible() and res.notices
    # paging
    import annotator.gui.search.search_panel as sp

    old = sp.PAGE
    sp.PAGE = 10
    try:
        res = type_query(qtbot, panel, "day:45")
        assert res.total > 10 and panel.next_btn.isEnabled() and not panel.prev_btn.isEnabled()
        with qtbot.waitSignal(panel.results_shown, timeout=10_000):
            panel.next_btn.click()
        assert panel.results.offset == 10 and panel.prev_btn.isEnabled()
    finally:
        sp.PAGE = old
    # save by name (undoable) and export every result to CSV in the background
    ws = win.ctx.ws
    win.ctx.run(actions.save_search, "Day 45", panel.query())
    with ws.session() as s:
        assert [r.name for r in actions.saved(s)] == ["Day 45"]
    out = tmp_path / "results.csv"
    done = []
    panel.export_to(str(out), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert done[0] == panel.results.total and out.read_text(encoding="utf-8-sig").count("\n") == done[0] + 1


def test_newest_query_wins(qtbot, demo_window, tmp_path):
    win = demo_window
    panel = win.search
    seen = []
    panel.results_shown.connect(lambda r: seen.append(r.query))
    for q in ("s", "su", "sur", "surg", "surge", "surgeon"):
        panel.box.setText(q)
        panel._run_now()
    qtbot.waitUntil(lambda: "surgeon" in seen, timeout=10_000)
    assert seen[-1] == "surgeon"
    assert all(q == "surgeon" for q in seen)  # stale answers are never shown


def test_document_chip_can_pick_past_the_first_three_hundred(demo_window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from annotator.gui.search import search_chips

    chips = demo_window.search.chips
    many = [(f"EXH{n:07d} — Exhibit {n}", str(n)) for n in range(1, 1201)]  # an inquiry's documents
    monkeypatch.setattr(chips, "_choices", lambda key: many if key == "doc" else [])
    asked = []

    def pick(_parent, _title, _label, items, _current, editable):
        asked.append((len(items), editable))
        return "EXH0001000 — Exhibit 1000", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    menu = chips.pickers["doc"].menu()
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert len(texts) == search_chips.MENU_MAX + 1 and texts[-1] == "All 1,200…"
    menu.actions()[-1].trigger()
    assert asked == [(1200, True)]
    assert chips.chips[-1] == ("doc", "1000", "EXH0001000 — Exhibit 1000")
    demo_window.close()
