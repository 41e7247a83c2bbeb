"""Documents > Replace with new version… in the window: the report, an orphan placed
by hand from it, and Edit > Undo back to the draft."""

from sqlmodel import select
from versions_pairs import script_pair

from annotator.core import versions
from annotator.core.store.models import Passage
from annotator.gui.documents import replace_flow
from annotator.gui.main_window import MainWindow


def _window(qtbot, ws, doc_id: int) -> MainWindow:
    """The window on this workspace (closed here first), the document open."""
    path = ws.path
    ws.close()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_path(path)
    win.open_document(doc_id)
    return win


def test_replace_from_the_menu_report_place_an_orphan_and_undo(qtbot, ws, tmp_path, monkeypatch):
    doc_id, pids, _link, path, _ = script_pair(ws, tmp_path)
    win = _window(qtbot, ws, doc_id)
    ws = win.ctx.ws
    first_reader = win.reading.current_reader()
    monkeypatch.setattr(replace_flow.QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
    assert win.replace_action.text() == "&Replace with new version…"
    with qtbot.waitSignal(win.dialog_opened, timeout=20000) as opened:
        win.replace_action.trigger()  # acts on the document in the front reader
    dialog = opened.args[0]
    assert "1 orphaned" in dialog.summary.text() and "1 changed" in dialog.summary.text()
    rows = {
        dialog.tree.topLevelItem(i).text(0): dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
    }
    assert set(rows) == {str(pids[0]), str(pids[1])}
    assert rows[str(pids[1])].text(1) == "changed" and "tonight?" in rows[str(pids[1])].text(5)
    assert "Replace" in win.ctx.undo.undoText()
    table = win.reading.passages.table

    def citation_cell(pid):
        rows = [v.id for v in table.rows]
        return table.data(table.index(rows.index(pid), 0)) if pid in rows else ""

    qtbot.waitUntil(lambda: citation_cell(pids[0]).startswith("? "), timeout=5000)  # the Passages list
    assert citation_cell(pids[1]).startswith("Δ ") and citation_cell(pids[2])[:1] not in "?Δ"
    listed = win.documents.tree.topLevelItem(0)
    assert listed.text(0).endswith("(v2)") and "earlier: draft.txt" in listed.toolTip(0)
    # the open reader was reopened on the new version
    qtbot.waitUntil(lambda: win.reading.current_reader() is not first_reader, timeout=5000)
    reader = win.reading.current_reader()
    assert reader.document_id == doc_id
    # place the orphan on words selected in the reader
    dialog.tree.setCurrentItem(rows[str(pids[0])])
    with ws.session() as s:
        from annotator.core.evidence import anchors

        a = anchors.from_quote(s, doc_id, "Could we have the rota for March on screen")
    reader.model.set_selection((a.start_page, a.start_char), (a.end_page, a.end_char))
    dialog.selection_btn.click()
    with ws.session() as s:
        p = s.get(Passage, pids[0])
        assert p.anchor == "changed" and p.quote.startswith("Could we have")
    win.reading.details.show_passage(pids[1])
    assert "before: «" in win.reading.details.meta.text()
    # undo the placing, then the replacement: the draft and every anchor come back
    win.ctx.undo.undo()
    with ws.session() as s:
        assert s.get(Passage, pids[0]).anchor == "orphaned"
    win.ctx.undo.undo()
    with ws.session() as s:
        rows_now = list(s.exec(select(Passage).where(Passage.document_id == doc_id)))
        assert all(p.anchor == "" for p in rows_now)
        assert len(versions.versions(s, doc_id)) == 1
    dialog.close()
    win.close()


def test_the_report_opens_again_from_the_menu(qtbot, ws, tmp_path):
    doc_id, _pids, _link, path, _ = script_pair(ws, tmp_path)
    versions.replace(ws, doc_id, path)
    ws_path = ws.path
    ws.close()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_path(ws_path)
    win.open_document(doc_id)
    with qtbot.waitSignal(win.dialog_opened) as opened:
        win.reanchoring_report()
    dialog = opened.args[0]
    assert dialog.tree.topLevelItemCount() == 2
    orphan = next(
        dialog.tree.topLevelItem(i) for i in range(2) if dialog.tree.topLevelItem(i).text(1) == "orphaned"
    )
    dialog.tree.setCurrentItem(orphan)
    assert dialog.candidate_btn.isEnabled() == bool(orphan.data(0, 0x0100)["candidate"])
    dialog.grab().save(str(tmp_path / "report.png"))
    dialog.close()
    win.close()
