"""In the window: document details change only what was edited, undo/redo of
a merge merges again, the workspace settings dialog changes the citation style
and re-reads URNs, and long titles stay distinguishable in every list."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.library import documents

from annotator.core.evidence import passages, theme_ops, themes
from annotator.core.ingest import import_file
from annotator.core.store.models import Theme
from annotator.gui.dialogs.export_dialog import ExportDialog, open_export_dialog
from annotator.gui.dialogs.settings_dialog import SettingsDialog
from annotator.gui.documents.document_details import DocumentDetails

LONG = "Transcript of the oral hearing of the Mid Staffordshire inquiry, morning session, Day 45"


def _transcript(ws):
    with ws.session() as s:
        return next(d for d in documents.all_documents(s) if d.kind == "transcript")


def test_renaming_in_document_details_keeps_the_day_and_undoes(demo_window):
    win = demo_window
    ws = win.ctx.ws
    doc = _transcript(ws)
    win.edit_document_details(doc.id)
    dialog = win.findChild(DocumentDetails)
    dialog.title.setText("Day 45 (renamed)")
    dialog.accept()
    after = _transcript(ws)
    assert (after.title, after.day, after.witness, after.date) == (
        "Day 45 (renamed)",
        45,
        doc.witness,
        doc.date,
    )
    win.ctx.undo.undo()
    assert _transcript(ws).title == doc.title
    win.ctx.undo.redo()
    assert _transcript(ws).title == "Day 45 (renamed)" and _transcript(ws).day == 45
    win.edit_document_details(doc.id)
    dialog = [d for d in win.findChildren(DocumentDetails) if d.isVisible()][-1]
    dialog.date.setText("45/2011")
    dialog.accept()
    assert "YYYY-MM-DD" in dialog.problem.text() and dialog.isVisible()  # refused, nothing changed
    dialog.reject()
    win.close()


def test_merge_undo_redo_in_the_window_merges_again(demo_window):
    win = demo_window
    ws = win.ctx.ws
    with ws.session() as s:
        quality, targets = themes.find(s, "Quality").id, themes.find(s, "Targets").id
    sub = win.ctx.run(theme_ops.add, "Ward staffing", "#123456", quality).result
    win.ctx.run(theme_ops.merge, quality, targets)
    win.ctx.undo.undo()
    with ws.session() as s:
        assert s.get(Theme, quality) is not None and s.get(Theme, sub).parent_id == quality
    win.ctx.undo.redo()
    with ws.session() as s:
        assert s.get(Theme, quality) is None and s.get(Theme, sub).parent_id == targets
    win.close()


def test_settings_dialog_changes_citations_and_rereads_urns(demo_window, qtbot, monkeypatch, tmp_path):
    win = demo_window
    ws = win.ctx.ws
    minutes = tmp_path / "CAB12345 minutes.txt"
    minutes.write_text("Cabinet minutes\n\nThe board met.\n", encoding="utf-8")
    doc = import_file(ws, str(minutes)).document_id
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes)
    win.settings_action.trigger()
    dialog = win.findChild(SettingsDialog)
    pattern, style = dialog.fields["urn_pattern"], dialog.fields["citation_style"]
    assert pattern.text() == ws.get("urn_pattern") and "Day 45/12:3-9" in dialog.example.text()
    pattern.setText("[A-Z")
    dialog.accept()
    problem = dialog.problems["urn_pattern"]
    assert "regular expression" in problem.text() and problem.isVisibleTo(dialog) and dialog.isVisible()
    pattern.setText(r"CAB\d{5}|MSF\d{7}")
    assert not problem.isVisibleTo(dialog)  # gone once the field is edited
    style.setCurrentIndex(style.findData("long"))
    assert "Day 45, page 12, lines 3 to 9" in dialog.example.text()
    table = win.reading.passages.table
    with qtbot.waitSignal(win.reading.passages.loaded, timeout=10000):
        dialog.accept()
    assert ws.get("citation_style") == "long" and ws.get("urn_pattern") == r"CAB\d{5}|MSF\d{7}"
    assert len(asked) == 1 and "(none) → CAB12345" in asked[0]
    qtbot.waitUntil(lambda: all(", page " in v.citation for v in table.rows), timeout=5000)
    with ws.session() as s:
        assert documents.find(s, doc).urn == "CAB12345"
    win.ctx.undo.undo()  # the re-read URNs go back
    with ws.session() as s:
        assert documents.find(s, doc).urn == ""
    win.close()


def test_long_titles_are_elided_in_the_middle_with_the_whole_title_in_tooltips(demo_window):
    win = demo_window
    ws = win.ctx.ws
    doc = _transcript(ws)
    win.ctx.run(documents.update_metadata, doc.id, title=LONG)
    tree = win.documents.tree
    assert tree.textElideMode() == Qt.ElideMiddle
    item = next(
        tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if tree.topLevelItem(i).text(0) == LONG
    )
    assert item.toolTip(0).startswith(LONG)
    assert win.reading.passages.view.textElideMode() == Qt.ElideMiddle
    with ws.session() as s:
        view = next(v for v in passages.views(s) if v.document_id == doc.id)
    table = win.reading.passages.table
    assert view.document == LONG
    assert win.search.table.textElideMode() == Qt.ElideMiddle
    assert win.center.elideMode() == Qt.ElideMiddle
    open_export_dialog(win)
    dialog = win.findChild(ExportDialog)
    docs = dialog.docs
    assert docs.textElideMode() == Qt.ElideMiddle
    assert LONG in [docs.item(i).toolTip() for i in range(docs.count())]
    dialog.reject()
    assert table is not None
    win.close()


def test_an_undo_that_cannot_be_saved_is_reported_and_dropped(demo_window, qtbot, monkeypatch):
    from annotator.core.evidence import tagging
    from annotator.gui import main_window

    shown = []
    monkeypatch.setattr(main_window, "show_error", lambda _w, err: shown.append(str(err)))
    win = demo_window
    ws = win.ctx.ws
    with ws.session() as s:
        pid = passages.views(s)[0].id
    win.ctx.run(tagging.set_note, pid, "Changed")
    steps = win.ctx.undo.count()
    ws.readonly = True  # as when the medium turns read-only under the window
    with qtbot.waitSignal(win.ctx.failed, timeout=3000):
        win.ctx.undo.undo()
    ws.readonly = False
    assert shown and "read-only" in shown[0]
    assert win.ctx.undo.count() == steps - 1  # the step no longer matches the workspace: gone
    with ws.session() as s:
        assert passages.views(s, ids=[pid])[0].note == "Changed"  # nothing half-undone
    win.close()
