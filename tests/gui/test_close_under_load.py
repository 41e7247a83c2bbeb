"""Closing a workspace while a search, a page render and an export are all under way.

Each job is held at a point inside its real work until the workspace starts to
close, so all three are running when it does: the task manager must cancel them,
wait for them, and only then close the file.
"""

import sqlite3
import threading

from annotator.core.export import ExportCancelled, Selection
from annotator.core.export import bundle as bundle_module
from annotator.core.library.render import PageRenderer
from annotator.gui.dialogs.export_dialog import start_export
from annotator.gui.search import search_panel


def test_close_workspace_while_search_render_and_export_run(qtbot, demo_window, tmp_path, monkeypatch):
    win, tasks = demo_window, demo_window.ctx.tasks
    path = win.ctx.ws.path
    closing = threading.Event()  # set on the GUI thread as the workspace starts to close
    exporting = threading.Event()  # the export has reached its first progress report
    render_queued = threading.Event()  # a page of the reader waits on the pdf lane
    win.ctx.workspace_closing.connect(closing.set)

    real_build, real_render, real_search = bundle_module.build, PageRenderer.render, search_panel.search

    def held_build(ws, plan, title, letter, out, progress=None, cancelled=None, *more, **named):
        def first_progress(done, total, text):
            if not exporting.is_set():
                exporting.set()
                render_queued.wait(20)  # then this report lets the waiting page through
            progress(done, total, text)

        return real_build(ws, plan, title, letter, out, first_progress, cancelled, *more, **named)

    def held_render(self, *args, **kwargs):
        closing.wait(20)
        return real_render(self, *args, **kwargs)

    def held_search(ws, query, **kwargs):
        closing.wait(20)
        return real_search(ws, query, **kwargs)

    monkeypatch.setattr(bundle_module, "build", held_build)
    monkeypatch.setattr(PageRenderer, "render", held_render)
    monkeypatch.setattr(search_panel, "search", held_search)
    before = set(threading.enumerate())

    out = tmp_path / "out"
    out.mkdir()
    export = start_export(win, win.ctx.ws, Selection(source_pages=True), str(out), "pdf", False)
    qtbot.waitUntil(exporting.is_set, timeout=10000)

    reader = win.open_document(1)
    reader.show_view("pdf")
    qtbot.waitUntil(lambda: any(j.name == "render pages" for j in tasks.jobs), timeout=10000)
    render_queued.set()
    win.search.set_query("hospital")
    qtbot.waitUntil(lambda: len(tasks.running()) == 3, timeout=10000)
    held = tasks.running()
    assert {j.name for j in held} == {"Exporting…", "render pages", "search"}
    assert export.lane == "pdf" and export in held  # the page renders inside the export's lane
    ended, answers = [], {}
    for job in held:
        job.ended.connect(lambda j=job: ended.append(j))
        job.finished.connect(lambda value, j=job: answers.setdefault(j.name, value))
        job.failed.connect(lambda err, j=job: answers.setdefault(j.name, err))

    win.reading.close_all()  # as the window does before it closes a workspace
    win.ctx.set_workspace(None)  # all three still under way

    assert sorted(map(id, ended)) == sorted(map(id, held))  # each answered before the file closed
    assert not tasks.jobs and not tasks.running()
    assert isinstance(answers["Exporting…"], ExportCancelled)  # it saw the cancel, not a closed file
    assert not any("could not run" in n for n in answers["search"].notices)
    assert answers["render pages"] is None  # stopped between pages, no error
    assert set(threading.enumerate()) - before <= set(tasks.threads())  # only the lanes' own threads
    assert not list(out.iterdir())  # the cancelled export left nothing half-written
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    lanes = tasks.threads()
    win.close()
    assert not tasks.threads() and not any(t.is_alive() for t in lanes)
