"""The start page (no workspace open), reopening the last workspace, and a read-only
window that follows its writer."""

import os
import shutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from annotator.core import demo
from annotator.core.evidence import tagging
from annotator.core.ingest import import_file
from annotator.core.store import settings
from annotator.core.store.workspace import Workspace
from annotator.gui.main_window import MainWindow
from annotator.gui.start_page import reopen_last


def _window(qtbot, recent: list[str]) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.ctx.settings.setValue("recent", recent)
    win.start_page.refresh()
    win.show()
    return win


def _made(tmp_path, name: str) -> str:
    path = str(tmp_path / name)
    Workspace.create(path).close()
    return path


def test_start_page_lists_recent_workspaces_and_opens_them(qtbot, tmp_path, demo_file, monkeypatch):
    a, b = _made(tmp_path, "a.annot"), _made(tmp_path, "b.annot")
    gone = str(tmp_path / "moved.annot")
    win = _window(qtbot, [gone, a])
    page = win.start_page
    assert page.isVisible() and not win.center.isVisible()
    texts = [page.recent.item(i).text() for i in range(page.recent.count())]
    assert texts[0].endswith("(missing)") and "a.annot" in texts[1] and "missing" not in texts[1]
    # keyboard: the buttons, then the list, then Remove, in that order
    assert page.demo_button.nextInFocusChain() is page.new_button
    assert page.new_button.nextInFocusChain() is page.open_button
    page.recent.setFocus()
    page.recent.setCurrentRow(0)
    qtbot.keyClick(page.recent, Qt.Key_Delete)  # removes the missing one from the list
    assert win.ctx.recent() == [a] and page.recent.count() == 1
    page.recent.setCurrentRow(0)
    qtbot.keyClick(page.recent, Qt.Key_Return)
    assert win.ctx.ws is not None and win.ctx.ws.path == a
    assert not page.isVisible() and win.center.isVisible()
    win.ctx.set_workspace(None)  # closed: the start page is back, a first in its list
    assert page.isVisible() and "a.annot" in page.recent.item(0).text()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (b, ""))
    qtbot.mouseClick(page.open_button, Qt.LeftButton)
    assert win.ctx.ws.path == b
    win.ctx.set_workspace(None)
    new = str(tmp_path / "fresh")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (new, ""))
    qtbot.mouseClick(page.new_button, Qt.LeftButton)
    assert win.ctx.ws.path == new + ".annot" and os.path.exists(new + ".annot")
    win.ctx.set_workspace(None)
    shutil.copyfile(demo_file, demo.default_path())  # the demo already built: it just opens
    qtbot.mouseClick(page.demo_button, Qt.LeftButton)
    assert win.ctx.ws.path == demo.default_path() and win.center.count() == 1
    win.close()


def test_the_last_workspace_reopens_on_start_unless_turned_off(qtbot, tmp_path):
    a = _made(tmp_path, "a.annot")
    win = _window(qtbot, [a])
    assert reopen_last(win) and win.ctx.ws.path == a
    win.close()
    settings.apply(None, {"reopen_last": False})
    again = _window(qtbot, [a])
    assert not reopen_last(again) and again.ctx.ws is None and again.start_page.isVisible()
    again.close()


def test_a_last_workspace_that_cannot_open_is_explained_in_one_sentence(qtbot, tmp_path):
    a = _made(tmp_path, "held.annot")
    bad = tmp_path / "damaged.annot"
    bad.write_bytes(b"this is not a database at all")
    cases = {
        str(tmp_path / "moved.annot"): "no longer at",
        str(bad): "is not an Annotator workspace",
        a: "has it open for writing",
    }
    holder = Workspace.open(a)  # a writer elsewhere holds it (flock: this process counts too)
    try:
        for path, why in cases.items():
            win = _window(qtbot, [path])
            assert not reopen_last(win) and win.ctx.ws is None
            text = win.start_page.message.text()
            assert win.start_page.message.isVisible() and why in text and "was not reopened" in text
            assert text.endswith(".") and text.count(". ") == 0, text  # one sentence
            win.close()
    finally:
        holder.close()


def test_a_read_only_window_shows_the_writers_new_work(qtbot, tmp_path):
    path = str(tmp_path / "shared.annot")
    writer = Workspace.create(path)
    text = tmp_path / "minutes.txt"
    text.write_text("Board minutes\n\nThe board discussed staffing on ward eleven.\n", encoding="utf-8")
    doc = import_file(writer, str(text)).document_id
    win = _window(qtbot, [])
    try:
        win.adopt(Workspace.open(path, readonly=True))  # as after "Open it read-only?"
        label = win.read_only_watch.label
        assert label.isVisible() and label.text().startswith("Read-only · updated ")
        assert win.themes.total_passages() == 0
        with qtbot.waitSignal(win.read_only_watch.reloaded, timeout=10000):
            tagging.tag(writer, doc, start=(0, 0), end=(0, 13), theme_ids=[1])  # the writer commits
        qtbot.waitUntil(lambda: win.themes.total_passages() == 1, timeout=5000)
        qtbot.waitUntil(lambda: len(win.reading.passages.table.rows) == 1, timeout=5000)
    finally:
        win.close()
        writer.close()
