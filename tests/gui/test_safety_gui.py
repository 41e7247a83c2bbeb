import os
import shutil
import sys

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from annotator.core.store import backups

from annotator.core.evidence import tagging
from annotator.core.store.workspace import Workspace
from annotator.gui.main_window import MainWindow
from safety_checks import read_only_medium


@pytest.fixture
def win(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def _copy_demo(demo_file, folder) -> str:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "demo.annot")
    shutil.copyfile(demo_file, path)
    return path


def test_workspace_on_a_read_only_medium_opens_read_only_with_a_banner(win, demo_file, tmp_path, monkeypatch):
    path = _copy_demo(demo_file, tmp_path / "medium")
    with read_only_medium(tmp_path / "medium", monkeypatch) as how:
        assert win.open_path(path), how
        assert win.ctx.ws.readonly
        assert win.banner.isVisible() and "read-only" in win.banner.text().lower()
        assert win.documents.count() == 2
        assert not win.restore_action.isEnabled()
        win.ctx.set_workspace(None)
        assert not win.banner.isVisible()
    assert not os.path.exists(path + "-backups")  # nothing was written beside it


def test_a_second_writer_gets_the_holder_and_a_read_only_view(win, demo_file, tmp_path, monkeypatch):
    path = _copy_demo(demo_file, tmp_path)
    holder = Workspace.open(path)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or QMessageBox.Yes
    )
    try:
        assert win.open_path(path)
        assert "open for writing by" in asked[0]
        assert win.ctx.ws.readonly and win.banner.isVisible()
        assert f"process {os.getpid()}" in win.banner.text()
        tagging.set_note(holder, 1, "written by the other window")  # the reader keeps working
        from annotator.core.evidence import passages

        with win.ctx.ws.session() as s:
            assert passages.views(s, ids=[1])[0].note == "written by the other window"
    finally:
        win.ctx.set_workspace(None)
        holder.close()


def test_backup_on_open_and_restore_from_the_file_menu(win, demo_file, tmp_path, monkeypatch, qtbot):
    path = _copy_demo(demo_file, tmp_path)
    with qtbot.waitSignal(win.backup_service.made, timeout=10000):
        assert win.open_path(path)  # backed up on the write lane
    made = backups.list_backups(path)
    assert [b.reason for b in made] == ["open"] and made[0].passages == 13
    win.ctx.run(tagging.delete_passage, 1)
    assert win.themes.total_passages() == 12
    from annotator.gui.dialogs.backup_ui import RestoreDialog

    dialog = RestoreDialog(win.ctx, win)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 3).text() == "13"
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    assert dialog.restore_selected()
    assert win.ctx.ws.engine is not None and not win.ctx.ws.readonly
    assert win.themes.total_passages() == 13
    assert "before-restore" in [b.reason for b in backups.list_backups(path)]


def test_periodic_backup_runs_off_the_gui_thread_after_changes(win, demo_file, tmp_path, qtbot):
    path = _copy_demo(demo_file, tmp_path)
    service = win.backup_service
    with qtbot.waitSignal(service.made, timeout=10000):
        assert win.open_path(path)
    now = [0.0]
    service.schedule.clock = lambda: now[0]
    service.schedule.last_time = 0.0
    now[0] = 3600
    service.tick()
    assert service.task is None  # no change, no backup
    win.ctx.run(tagging.set_note, 2, "a change")
    with qtbot.waitSignal(service.made, timeout=10000):
        service.tick()
        assert service.task is not None and service.task.lane == "write"
    assert [b.reason for b in backups.list_backups(path)] == ["auto", "open"]


def test_a_backup_cancelled_by_closing_its_workspace_does_not_hold_up_the_next(
    win, demo_file, tmp_path, qtbot
):
    def hold_the_lane(job):  # a long write, ended only by the cancel of the closing workspace
        while not job.cancelled():
            job._cancel.wait(0.01)

    win.ctx.tasks.submit("write", hold_the_lane)
    assert win.open_path(_copy_demo(demo_file, tmp_path / "a"))  # its backup waits behind the write
    assert win.backup_service.task is not None and not win.backup_service.task.started
    with qtbot.waitSignal(win.backup_service.made, timeout=10000) as made:
        assert win.open_path(_copy_demo(demo_file, tmp_path / "b"))  # cancels that backup unrun
    assert made.args[0].path.startswith(backups.candidate_folders(str(tmp_path / "b" / "demo.annot"))[0])
    assert backups.list_backups(str(tmp_path / "a" / "demo.annot")) == []


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_a_dialog_logs_it_and_the_app_keeps_running(win, tmp_path, monkeypatch):
    from annotator.gui.errors import install_excepthook

    shown = []

    def fake_exec(box):
        shown.append((box.text(), box.detailedText(), [b.text() for b in box.findChildren(QPushButton)]))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(win)
    button = QPushButton("boom")

    def boom():
        raise RuntimeError("a bug in a slot")

    button.clicked.connect(boom)
    button.click()
    assert shown, "no dialog was shown"
    text, details, buttons = shown[0]
    assert "a bug in a slot" in text and "Traceback" in details and "Copy details" in buttons
    log = tmp_path / "logs" / "annotator.log"
    assert "RuntimeError: a bug in a slot" in log.read_text()
    button.click()  # still alive and still reporting
    assert len(shown) == 2 and win.isVisible()


def test_a_failing_background_task_goes_through_the_same_dialog(win, tmp_path, monkeypatch, qtbot):
    from annotator.gui.tasks import run_with_progress

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)

    def work(progress, cancelled):
        raise ValueError("the worker failed")

    run_with_progress(win, "Working", work, on_done=lambda _r: None)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "the worker failed" in shown[0]
    assert "ValueError: the worker failed" in (tmp_path / "logs" / "annotator.log").read_text()
