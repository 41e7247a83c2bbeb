import os

import pymupdf

from annotator.gui.widgets.export_dialog import open_export_dialog


def test_dialog_counts_live_exports_in_background_and_remembers(qtbot, demo_window, tmp_path):
    win = demo_window
    win.export_action.trigger()
    dlg = win.export_dialog
    assert "13 passages" in dlg.summary.text()
    dlg.sources.setChecked(True)
    qtbot.waitUntil(lambda: "4 source pages" in dlg.summary.text())
    for i in range(dlg.themes.count()):  # tick Safety only
        item = dlg.themes.item(i)
        if item.text() == "Safety":
            item.setCheckState(item.checkState().Checked)
    qtbot.waitUntil(lambda: "6 passages" in dlg.summary.text())
    out = tmp_path / "out"
    out.mkdir()
    dlg.folder.setText(str(out))
    dlg.letter.setText("S")
    dlg.refresh()
    assert dlg.file_label.text().endswith("Bundle S.pdf")
    dlg.start()
    qtbot.waitUntil(lambda: getattr(win, "last_export_report", None) is not None, timeout=30000)
    report = win.last_export_report
    assert os.path.exists(report.path) and report.unresolved
    with pymupdf.open(report.path) as doc:
        assert doc.page_count == report.pages
    box = win.export_report_box
    assert "point outside the bundle" in box.text() and "not in this selection" in box.detailedText()
    box.close()
    assert win.ctx.ws.get("last_export")["selection"]["letter"] == "S"
    again = open_export_dialog(win)  # the choice comes back
    assert again.letter.text() == "S" and again.sources.isChecked()
    assert "6 passages" in again.summary.text()
    again.close()
    win.close()
