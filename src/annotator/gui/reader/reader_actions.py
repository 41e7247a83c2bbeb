"""Keyboard and context-menu actions of the reader: copy, tag by number key, notes, links."""

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.core.evidence import tagging, themes
from annotator.core.util.errors import AnnotatorError
from annotator.gui.errors import show_error
from annotator.gui.keyboard import ask_note


def _act(reader, text: str, slot, shortcut: str | None = None) -> QAction:
    a = QAction(text, reader)
    if shortcut:
        a.setShortcut(QKeySequence(shortcut))
        a.setShortcutContext(Qt.WidgetWithChildrenShortcut)
    a.triggered.connect(slot)
    reader.addAction(a)
    return a


def install(reader) -> None:
    reader.copy_action = _act(reader, "Copy", reader.copy, "Ctrl+C")
    reader.clear_action = _act(reader, "Clear selection", reader.model.clear_targets, "Esc")
    for key in "123456789":
        _act(reader, f"Tag with theme {key}", lambda _=False, k=key: tag_by_key(reader, k), key)
    reader.note_action = _act(reader, "Tag with note…", lambda: tag_with_note(reader), "Ctrl+Shift+N")
    for view in (reader.text_view, reader.pdf_view):
        if view is not None:
            view.context_requested.connect(lambda pos, r=reader: context_menu(r, pos))


def tag_by_key(reader, key: str) -> None:
    tid = themes.by_shortcut(reader.ctx.ws, key)
    if tid is None:
        reader.window().statusBar().showMessage(f"No theme has key {key}; set one in the Themes panel.", 5000)
        return
    pid = reader.model.current_mark
    if not reader.model.has_target() and pid is not None and reader.model.mark(pid) is not None:
        # no new selection: the key gives the passage just tagged (or clicked) one more theme
        if tid not in reader.model.mark(pid).theme_ids:
            _run(reader, tagging.add_theme_to, [pid], tid)
        return
    safe_tag(reader, [tid])


def safe_tag(reader, theme_ids: list[int], note: str = "") -> int | None:
    if reader.ctx.ws is None or reader.ctx.ws.readonly:
        show_error(reader, AnnotatorError("This workspace is open read-only; tags cannot be saved."))
        return None
    if not reader.model.has_target():
        win = reader.window()
        if hasattr(win, "statusBar"):
            win.statusBar().showMessage("Select some text or draw an area first, then choose a theme.", 5000)
        return None
    try:
        pid = reader.tag_selection(theme_ids, note)
    except Exception as err:
        show_error(reader, err)
        return None
    win = reader.window()
    if hasattr(win, "statusBar"):
        what = "area" if (m := reader.model.mark(pid)) is not None and m.is_area else "passage"
        win.statusBar().showMessage(f"Tagged {what} {pid}.", 4000)
    return pid


def tag_with_note(reader, theme_ids: list[int] | None = None) -> None:
    if not reader.model.has_target():
        return
    note, ok = ask_note(reader)
    if ok:
        safe_tag(reader, theme_ids or [], note)


def context_menu(reader, pos) -> None:
    menu = QMenu(reader)
    view = reader.current_view()
    ref = view.span_at(QPointF(view.viewport().mapFromGlobal(pos))) if view is reader.text_view else None
    if ref is not None:  # a reference under the mouse: follow it, here or in the other side
        menu.addAction(f"Follow {ref.text}").triggered.connect(
            lambda: reader.reference_activated.emit(ref, False)
        )
        menu.addAction("Open it in other side").triggered.connect(
            lambda: reader.reference_activated.emit(ref, True)
        )
        menu.addSeparator()
    has_sel = reader.model.has_target()
    menu.addAction(reader.copy_action).setEnabled(bool(reader.model.selection))
    tag_menu = menu.addMenu("Tag as")
    tag_menu.setEnabled(has_sel)
    names = themes.named(reader.ctx.ws)
    for tid, name, key in names:
        a = tag_menu.addAction(f"{name}\t{key}" if key else name)
        a.triggered.connect(lambda _=False, t=tid: safe_tag(reader, [t]))
    note_menu = menu.addMenu("Tag with note as")
    note_menu.setEnabled(has_sel)
    for tid, name, _key in names:
        note_menu.addAction(name).triggered.connect(lambda _=False, t=tid: tag_with_note(reader, [t]))
    if reader.pdf_view is not None:
        menu.addSeparator()
        menu.addAction(reader.draw_area_action)
        menu.addAction(reader.page_area_action)
    pid = reader.model.current_mark
    if pid is not None and reader.model.mark(pid) is not None:
        menu.addSeparator()
        menu.addAction("Edit note of this passage…").triggered.connect(lambda: edit_note(reader, pid))
        menu.addAction("Link this passage to…").triggered.connect(lambda: link_from(reader, pid))
        menu.addAction("Delete this passage").triggered.connect(
            lambda: _run(reader, tagging.delete_passage, pid)
        )
    menu.exec(pos)


def _run(reader, op, *args) -> None:
    try:
        reader.ctx.run(op, *args)
    except Exception as err:
        show_error(reader, err)


def edit_note(reader, pid: int) -> None:
    m = reader.model.mark(pid)
    note, ok = ask_note(reader, text=m.note if m else "")
    if ok:
        _run(reader, tagging.set_note, pid, note)


def link_from(reader, pid: int) -> None:
    from annotator.gui.passages.link_dialog import LinkDialog

    dlg = LinkDialog(reader.ctx, pid, reader)
    if dlg.exec():
        target, relation = dlg.choice()
        _run(reader, tagging.link, pid, target, relation)
