"""Edit > Settings…: each setting saved in its home (workspace or config folder) and taking effect."""

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from annotator.core.evidence import tagging
from annotator.core.store import backups, settings, user_config
from annotator.gui import app as gui_app
from annotator.gui.dialogs.settings_dialog import SettingsDialog
from annotator.gui.main_window import MainWindow


def _stored_in_workspace(path) -> set[str]:
    con = sqlite3.connect(str(path))
    try:
        return {k for (k,) in con.execute("SELECT key FROM setting")}
    finally:
        con.close()


def _open(win, qtbot) -> SettingsDialog:
    assert win.settings_action.shortcut().toString() == "Ctrl+,"
    with qtbot.waitSignal(win.dialog_opened) as opened:
        win.settings_action.trigger()
    dialog = opened.args[0]
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    return dialog


def test_each_setting_is_saved_in_its_home_and_takes_effect(demo_window, qtbot, monkeypatch):
    win = demo_window
    ws = win.ctx.ws
    dialog = _open(win, qtbot)
    for key, widget in dialog.fields.items():  # every declared setting, each named for screen readers
        assert widget.accessibleName() == settings.info(key).label
    assert set(dialog.fields) == {k for k, s in settings.SETTINGS.items() if s.shown}
    dialog.fields["author"].setText("Ada Counsel")
    dialog.fields["backup_keep"].setValue(2)
    dialog.fields["interface_scale"].setValue(150)
    dialog.fields["export_format"].setCurrentIndex(dialog.fields["export_format"].findData("csv"))
    dialog.fields["appearance"].setCurrentIndex(dialog.fields["appearance"].findData("dark"))
    qtbot.keyClick(dialog.fields["author"], Qt.Key_Return, Qt.ControlModifier)  # Ctrl+Enter accepts
    try:
        assert not dialog.isVisible() and dialog.result() == SettingsDialog.Accepted
        mine = user_config.load()
        assert mine == {
            "author": "Ada Counsel",
            "backup_keep": 2,
            "interface_scale": 150,
            "appearance": "dark",
        }
        in_ws = _stored_in_workspace(ws.path)
        assert "export_format" in in_ws and not {"backup_keep", "interface_scale", "appearance"} & in_ws
        assert ws.get("export_format") == "csv"
        # the author signs a new passage and the change to its note (the audit log)
        pid = win.ctx.run(tagging.tag, 1, start=(0, 0), end=(0, 30), theme_ids=[1]).result
        win.ctx.run(tagging.set_note, pid, "Seen by Ada")
        con = sqlite3.connect(ws.path)
        try:
            assert (
                con.execute("SELECT author FROM passage WHERE id = ?", (pid,)).fetchone()[0] == "Ada Counsel"
            )
            assert (
                con.execute("SELECT who FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0] == "Ada Counsel"
            )
        finally:
            con.close()
        # the backup count is honoured
        for i in range(4):
            win.ctx.run(tagging.set_note, pid, f"note {i}")
            backups.make(ws, "manual")
        assert len(backups.list_backups(ws.path, counts=False)) == 2
        # the scale waits for the next start; the appearance is at once, and the menu follows
        monkeypatch.delenv("QT_SCALE_FACTOR", raising=False)
        gui_app.scale_interface()
        import os

        assert os.environ["QT_SCALE_FACTOR"] == "1.5"
        assert win.appearance_actions["dark"].isChecked()
    finally:
        win.set_appearance("light")
        QApplication.instance().setPalette(QApplication.style().standardPalette())
    win.close()


def test_a_refused_value_is_named_beside_its_field_and_nothing_is_saved(demo_window, qtbot):
    win = demo_window
    dialog = _open(win, qtbot)
    dialog.fields["author"].setText("Someone Else")
    dialog.fields["urn_pattern"].setText(r"\d*")
    dialog.accept()
    problem = dialog.problems["urn_pattern"]
    assert dialog.isVisible() and problem.isVisibleTo(dialog)
    assert problem.text().count(". ") == 0 and "matches empty text" in problem.text()
    assert dialog.focusWidget() is dialog.fields["urn_pattern"] or not dialog.isActiveWindow()
    assert "author" not in user_config.load()  # nothing saved while one value is refused
    dialog.reject()
    win.close()


def test_without_a_workspace_only_your_settings_can_change(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    dialog = _open(win, qtbot)
    assert not dialog.fields["urn_pattern"].isEnabled() and dialog.fields["author"].isEnabled()
    author = dialog.fields["author"]
    assert isinstance(author, QLineEdit)
    author.setText("Ada Counsel")
    dialog.fields["reopen_last"].setChecked(False)
    dialog.accept()
    assert user_config.load() == {"author": "Ada Counsel", "reopen_last": False}
    assert settings.user_value("reopen_last") is False
    win.close()
