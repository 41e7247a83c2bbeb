import os
import threading

import pymupdf

from annotator.gui.dialogs.export_dialog import open_export_dialog


def _open_dialog(qtbot, win):
    with qtbot.waitSignal(win.dialog_opened) as opened:
        win.export_action.trigger()
    return opened.args[0]


def test_dialog_counts_live_exports_in_background_and_remembers(qtbot, demo_window, tmp_path):
    win = demo_window
    dlg = _open_dialog(qtbot, win)
    qtbot.waitUntil(lambda: "13 passages" in dlg.summary.text())  # counted in the background
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
    with qtbot.waitSignal(dlg.export_started) as started:
        dlg.start()
    job = started.args[0]
    assert job.lane == "pdf"  # PyMuPDF work goes through the app's one PyMuPDF lane
    reports = []
    job.finished.connect(reports.append)
    with qtbot.waitSignal(win.dialog_opened, timeout=30000) as shown:
        pass  # the report box opens once the export has finished
    (report,), box = reports, shown.args[0]
    assert os.path.exists(report.path) and report.unresolved
    with pymupdf.open(report.path) as doc:
        assert doc.page_count == report.pages
    assert "point outside the bundle" in box.text() and "not in this selection" in box.detailedText()
    box.close()
    assert win.ctx.ws.get("last_export")["selection"]["letter"] == "S"
    again = open_export_dialog(win)  # the choice comes back; the bundle's shape starts from Settings
    assert again.letter.text() == "S" and not again.sources.isChecked()
    qtbot.waitUntil(lambda: "6 passages" in again.summary.text())
    again.close()
    win.ctx.ws.set("export_source_pages", True)
    win.ctx.ws.set("export_format", "docx")
    third = open_export_dialog(win)
    assert third.sources.isChecked() and third.fmt() == "docx" and third.letter.text() == "S"
    third.close()
    win.close()


def test_a_slow_count_never_holds_the_dialog(qtbot, demo_window, monkeypatch):
    """At inquiry scale a count reads 100,000 passages; here one waits until the test lets it go."""
    from annotator.gui.dialogs import export_dialog

    real = export_dialog.count
    release = threading.Event()

    def slow(ws, sel):
        release.wait(30)
        return real(ws, sel)

    monkeypatch.setattr(export_dialog, "count", slow)
    win = demo_window
    dlg = _open_dialog(qtbot, win)
    dlg.sources.setChecked(True)
    dlg.refresh()  # as the 150 ms timer does
    # the window went on while the count is held: nothing counted yet, the work still pending
    assert dlg.counts.pending and "passages" not in dlg.summary.text()
    release.set()
    qtbot.waitUntil(lambda: "13 passages, 4 source pages" in dlg.summary.text(), timeout=5000)
    release.clear()
    dlg.important.setChecked(True)
    dlg.refresh()
    shown = dlg.summary.text()
    dlg.reject()  # closed while that count runs: its answer is dropped
    assert not dlg.counts.pending
    release.set()
    qtbot.waitUntil(lambda: not win.ctx.tasks.jobs, timeout=5000)
    assert dlg.summary.text() == shown
    win.close()


def test_reissue_from_the_menu_keeps_the_pages(qtbot, demo_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from annotator.core.evidence import tagging
    from annotator.core.export import Selection, export
    from annotator.gui.dialogs import reissue

    win = demo_window
    ws = win.ctx.ws
    first = export(ws, Selection(letter="R"), str(tmp_path))
    tagging.set_note(ws, 1, "Changed after the first edition")
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (first.path, ""))
    monkeypatch.setattr(
        QMessageBox, "question", lambda _w, _t, text, *a: asked.append(text) or QMessageBox.Ok
    )
    jobs = []
    win.ctx.tasks.job_started.connect(jobs.append)
    with qtbot.waitSignal(win.dialog_opened, timeout=30000) as shown:
        win.reissue_action.trigger()  # checked on a read lane, written on the PyMuPDF lane
    box = shown.args[0]
    assert [j.lane for j in jobs if j.name == "Re-issuing…"] == ["pdf"]
    assert "Edition 1" in asked[0] and "Bundle R - Edition 2.pdf" in asked[0]
    assert "1 changed since edition 1" in box.text() and "new pages: 1A" in box.text()
    (path,) = tmp_path.glob("*Edition 2.pdf")
    with pymupdf.open(path) as doc:
        assert doc[1].get_label() == "1A" and "Edition 2 — changes" in doc[1].get_text()
    box.close()
    refused = []
    monkeypatch.setattr(reissue, "show_error", lambda _w, err: refused.append(str(err)))
    stranger = tmp_path / "stranger.pdf"
    with pymupdf.open() as other:
        other.new_page()
        other.save(stranger)
    job = reissue.reissue_bundle(win, str(stranger))
    qtbot.waitUntil(lambda: bool(refused), timeout=10000)
    assert "was not exported from this workspace" in refused[0] and job.lane == "read"
    win.close()
