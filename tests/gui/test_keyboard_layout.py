"""Laptop screens and the keyboard: fit, remember, reading mode, F6, Tab, Ctrl+Enter, shortcuts list."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog

from annotator.gui import keyboard, window_layout
from annotator.gui.main_window import MainWindow


def _panel_of(win, widget):
    for i, panel in enumerate(win.panels()):
        if widget is panel or panel.isAncestorOf(widget):
            return i
    return None


def test_f6_and_shift_f6_cycle_through_the_panels_in_order(demo_window, qtbot):
    win = demo_window
    win.open_document(1)
    win.activateWindow()
    seen = []
    for _ in range(len(win.panels())):
        qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key_F6)
        seen.append(_panel_of(win, QApplication.focusWidget()))
    assert sorted(seen) == list(range(len(win.panels())))  # every panel once
    assert all((b - a) % len(seen) == 1 for a, b in zip(seen, seen[1:] + seen[:1], strict=True))
    before = seen[-1]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_F6, Qt.ShiftModifier)
    assert _panel_of(win, QApplication.focusWidget()) == (before - 1) % len(seen)


def test_tab_leaves_every_table(demo_window):
    views = demo_window.findChildren(QAbstractItemView)
    assert views and not any(v.tabKeyNavigation() for v in views)


def test_window_opens_inside_the_screen(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    area = window_layout.available(win)
    assert win.width() <= area.width() and win.height() <= area.height()
    assert area.contains(win.geometry().topLeft())


def test_layout_saved_on_close_and_restored(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)
    first.themes_dock.hide()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (700, 500)
    assert not second.themes_dock.isVisible() and second.documents_dock.isVisible()
    second.reset_layout()
    assert second.themes_dock.isVisible()
    assert second.ctx.settings.value(window_layout.STATE_KEY) is None


def test_a_layout_from_a_bigger_screen_is_brought_inside(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    area = window_layout.available(win)
    win.setGeometry(area.right() - 50, area.bottom() - 50, area.width() + 400, area.height() + 300)
    window_layout.keep_inside(win)
    assert area.contains(win.geometry())


def test_reading_mode_hides_and_brings_back_the_panels(demo_window, qtbot):
    win = demo_window
    shown = [d for d in (win.documents_dock, win.themes_dock, win.search_dock) if d.isVisible()]
    win.reading_mode_action.trigger()
    assert win.reading_mode_action.isChecked() and not any(d.isVisible() for d in shown)
    win.reading_mode_action.trigger()
    assert all(d.isVisible() for d in shown) and not win.reading_mode_action.isChecked()


def test_ctrl_enter_accepts_a_note(qtbot):
    dialog = keyboard.NoteDialog(None, text="first line")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.edit.setFocus()
    qtbot.keyClick(dialog.edit, Qt.Key_Return)  # a new line, not OK
    qtbot.keyClicks(dialog.edit, "second line")
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.edit, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.result() == QDialog.Accepted and dialog.text() == "first line\nsecond line"


def test_shortcuts_list_reads_the_window_actions(demo_window, qtbot):
    rows = dict(keyboard.shortcut_rows(demo_window))
    assert rows["Reading mode"] == "F11" and rows["Undo"] == "Ctrl+Z"
    assert rows["Next panel, previous panel"] == "F6, Shift+F6"
    with qtbot.waitSignal(demo_window.dialog_opened, timeout=2000) as opened:
        demo_window.show_shortcuts()
    dialog = opened.args[0]
    assert dialog.table.rowCount() == len(rows)
    dialog.close()


def test_panels_have_accessible_names(demo_window):
    names = [p.accessibleName() for p in demo_window.panels()]
    assert all(names) and len(set(names)) == len(names)
