from annotator.gui.main_window import MainWindow


def test_window_opens_demo_with_documents_and_theme_counts(demo_window):
    win = demo_window
    assert win.documents.count() == 2
    counts = {}
    for i in range(win.themes.tree.topLevelItemCount()):
        item = win.themes.tree.topLevelItem(i)
        counts[item.text(0)] = int(item.text(2))
    assert counts == {"Targets": 4, "Quality": 7, "Safety": 6, "Clinical leadership": 4}
    assert "Mid Staffs demo" in win.windowTitle()
    menus = [a.text() for a in win.menuBar().actions()]
    assert menus[:2] == ["&File", "&Edit"] and "&Help" in menus
    file_items = [a.text() for a in win.file_menu.actions() if a.text()]
    for wanted in (
        "&New workspace…",
        "&Open workspace…",
        "Open &recent",
        "&Import documents…",
        "&Export bundle…",
        "&Quit",
    ):
        assert wanted in file_items
    win.close()


def test_opening_a_locked_workspace_offers_read_only(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from annotator.core.store.workspace import Workspace

    path = tmp_path / "held.annot"
    holder = Workspace.create(str(path), title="Held")
    # flock is per open file description, so a second open in this process is refused too
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    win = MainWindow()
    qtbot.addWidget(win)
    try:
        assert win.open_path(str(path))
        assert win.ctx.ws.readonly
        assert "[read-only]" in win.windowTitle()
    finally:
        win.close()
        holder.close()


def test_passage_details_list_themes_as_the_themes_panel_orders_them(demo_window):
    from annotator.core.evidence import passages, theme_ops, themes

    win = demo_window
    with win.ctx.ws.session() as s:
        quality = themes.find(s, "Quality").id
        pid = passages.views(s)[0].id
    win.ctx.run(theme_ops.add, "Aardvark audit", parent_id=quality)  # sorts first by name
    details = win.reading.details
    details.show_passage(pid)
    names = [details.themes.item(i).text() for i in range(details.themes.count())]
    assert names == ["Targets", "Quality", "Quality / Aardvark audit", "Safety", "Clinical leadership"]
    assert details.themes.minimumHeight() >= 5 * details.themes.sizeHintForRow(0)  # all five, no scrolling
    win.close()


def test_remove_a_document_from_the_documents_list_and_undo(demo_window, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from annotator.core.library import documents

    from annotator.core.evidence import passages, tagging
    from annotator.gui.documents import document_details

    win = demo_window
    ws = win.ctx.ws
    with ws.session() as s:
        report = documents.find(s, "MSF0000045").id
        pids = [v.id for v in passages.views(s) if v.document_id == report]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    refusals = []
    monkeypatch.setattr(document_details, "show_error", lambda _w, err: refusals.append(str(err)))
    win.open_document(report)
    item = next(
        win.documents.tree.topLevelItem(i)
        for i in range(2)
        if win.documents.tree.topLevelItem(i).data(0, Qt.UserRole) == report
    )
    menu = win.documents.context_menu(item)
    remove = next(a for a in menu.actions() if a.text() == "Remove document…")
    remove.trigger()
    assert refusals and "tagged on it" in refusals[0] and win.documents.count() == 2
    for pid in pids:
        tagging.delete_passage(ws, pid)
    win.documents.remove_requested.emit(report)  # as the menu item and the Delete key do
    assert win.documents.count() == 1
    assert report not in [r.document_id for r in win.reading.readers()]  # its tab closed
    assert "Remove" in win.ctx.undo.undoText()
    win.ctx.undo.undo()
    assert win.documents.count() == 2
    win.close()


def test_mark_a_passage_for_redaction_in_its_details_and_undo(demo_window, qtbot):
    from PySide6.QtCore import Qt

    from annotator.core.evidence import passages

    win = demo_window
    ws = win.ctx.ws
    with ws.session() as s:
        pid = passages.views(s)[0].id
    details = win.reading.details
    details.show_passage(pid)
    assert details.redact.isEnabled() and not details.redact.isChecked()
    qtbot.mouseClick(details.redact, Qt.LeftButton)
    with ws.session() as s:
        assert passages.views(s, ids=[pid])[0].redact
    assert details.redact.isChecked()
    table = win.reading.passages.table

    def citation_cell():
        return table.data(table.index(table.rows.index(next(v for v in table.rows if v.id == pid)), 0))

    qtbot.waitUntil(lambda: citation_cell().startswith("■ "), timeout=3000)  # the Passages list shows it
    row = table.rows.index(next(v for v in table.rows if v.id == pid))
    assert table.data(table.index(row, 0), Qt.ToolTipRole).endswith(": redacted in bundles")
    win.ctx.undo.undo()
    with ws.session() as s:
        assert not passages.views(s, ids=[pid])[0].redact
    assert not details.redact.isChecked()  # the panel follows the undo
    qtbot.waitUntil(lambda: not citation_cell().startswith("■ "), timeout=3000)
    win.close()


def test_new_workspace_never_replaces_an_existing_one(qtbot, tmp_path, monkeypatch):
    import os

    from PySide6.QtWidgets import QFileDialog

    from annotator.core.store.workspace import Workspace
    from annotator.gui import main_window

    existing = tmp_path / "keogh.annot"
    with Workspace.create(str(existing), title="Keep me"):
        pass
    before = existing.read_bytes()
    starts, errors = [], []
    monkeypatch.setattr(main_window, "show_error", lambda _w, err: errors.append(str(err)))
    # the user types the name without its extension, so the dialog never asked about keogh.annot
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda _w, _t, start, *_a: starts.append(start) or (str(tmp_path / "keogh"), ""),
    )
    win = main_window.MainWindow()
    qtbot.addWidget(win)
    win.new_workspace()
    assert errors and "already exists" in errors[0] and "Nothing was changed" in errors[0]
    assert existing.read_bytes() == before and win.ctx.ws is None
    assert starts == [os.path.expanduser("~")]
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda _w, _t, start, *_a: starts.append(start) or (str(tmp_path / "fresh"), ""),
    )
    win.new_workspace()
    assert win.ctx.ws is not None and win.ctx.ws.path.endswith("fresh.annot")
    win.new_workspace()  # opens beside the workspace now open
    assert starts[-1] == str(tmp_path)
    win.close()


def test_link_two_passages_through_the_link_dialog(demo_window, monkeypatch, qtbot):
    from annotator.core.evidence import passages
    from annotator.gui.passages import link_dialog

    win = demo_window
    ws = win.ctx.ws
    with ws.session() as s:
        views = passages.views(s)
    source, target = views[0], next(v for v in views if "laparoscopic" in v.quote)
    seen = {}

    def choose(dlg):  # what the user does in the dialog: filter, pick, name the relation
        with qtbot.waitSignal(dlg.listed, timeout=10000):
            pass  # the passages are read in the background
        seen["all"] = dlg.model.rowCount()
        dlg.filter.setText("LAPAROSCOPIC")
        seen["shown"] = dlg.model.rowCount()
        seen["count"] = dlg.count.text()
        dlg.list.setCurrentIndex(dlg.model.index(0, 0))
        dlg.relation.setCurrentText("contradicts")
        return True

    monkeypatch.setattr(link_dialog.LinkDialog, "exec", choose)
    details = win.reading.details
    details.show_passage(source.id)
    details.link_btn.click()
    assert seen["all"] == len(views) - 1  # every passage but itself
    assert seen["shown"] >= 1 and seen["count"].endswith(f"of {len(views) - 1} passages")
    with ws.session() as s:
        links = passages.views(s, ids=[source.id])[0].links
    assert [(ln["to"], ln["relation"]) for ln in links if ln["direction"] == "out"][-1] == (
        target.id,
        "contradicts",
    )
    assert details.links.count() == len(links)  # the details show it
    win.close()


def test_theme_filters_clicked_in_quick_succession_show_the_last_one(demo_window, qtbot):
    from annotator.core.evidence import passages

    win = demo_window
    panel = win.reading.passages
    with win.ctx.ws.session() as s:
        safety = [v.id for v in passages.views(s) if "Safety" in v.themes]
    for tid in (1, 2, None, 4, 3):  # each starts a load; only the last may land
        panel.show_theme(tid)
    qtbot.waitUntil(lambda: not panel.loads.pending, timeout=10000)
    assert sorted(v.id for v in panel.table.rows) == sorted(safety)
    assert panel.theme_label.text() == f"Passages with theme 'Safety' ({len(safety)})"
    panel.show_theme(1)
    tasks = list(panel.loads.running)
    win.close()  # with a load under way: waited for, no thread left running
    assert tasks and all(t.is_done() for t in tasks)
    assert not win.ctx.tasks.jobs and not win.ctx.tasks.threads()
