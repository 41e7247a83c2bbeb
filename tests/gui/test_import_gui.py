"""Import from the window: background work, passwords, results; and the
document details dialog with undo."""

import shutil

from helpers import CORPUS
from sqlmodel import select

from annotator.core.store.models import Document
from annotator.core.store.workspace import Workspace
from annotator.gui.main_window import MainWindow


def _window(qtbot, tmp_path):
    path = tmp_path / "w.annot"
    Workspace.create(str(path), title="W").close()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_path(str(path))
    return win


def test_folder_import_asks_for_passwords_and_lists_each_failure(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    folder = tmp_path / "bundle"
    (folder / "sub").mkdir(parents=True)
    (folder / "note.txt").write_text("MR KARK: Good morning.\n")
    (folder / "sub" / "broken.pdf").write_bytes(b"nothing like a PDF")
    shutil.copy(CORPUS / "pdf-corpus/encrypted/pdfplumber__password-example.pdf", folder / "locked.pdf")
    asked = []
    answers = iter([("wrong", True), ("test", True)])

    def fake_get_text(parent, title, prompt, mode):
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", fake_get_text)
    win = _window(qtbot, tmp_path)
    from annotator.gui.dialogs.import_flow import import_paths

    with qtbot.waitSignal(win.dialog_opened, timeout=60000) as opened:
        import_paths(win, [str(folder)])  # the results come after both passwords were tried
    results = opened.args[0]
    rows = results.rows()
    assert ("broken.pdf", "Not imported", "not a PDF: the file does not start like one") in rows
    assert any(r[0] == "locked.pdf" and r[1] == "Imported" for r in rows)
    assert any(r[0] == "note.txt" and r[1] == "Imported" for r in rows)
    assert "is encrypted" in asked[0] and "not accepted" in asked[1]
    assert "Imported 2 of 3 files." in results.summary.text()
    assert win.documents.count() == 2
    results.close()
    win.close()


def test_details_dialog_edits_and_undo_restores(qtbot, tmp_path):
    win = _window(qtbot, tmp_path)
    src = tmp_path / "letter.txt"
    src.write_text("A letter.\n")
    from annotator.core.ingest import import_file

    doc_id = import_file(win.ctx.ws, str(src)).document_id
    win.documents.refresh()
    item = win.documents.tree.topLevelItem(0)
    menu = win.documents.context_menu(item)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Open",
        "Edit document details…",
        "Replace with new version…",
        "Remove document…",
    ]
    with qtbot.waitSignal(win.dialog_opened) as opened:
        menu.actions()[1].trigger()
    dialog = opened.args[0]
    assert dialog.title.text() == "letter"
    dialog.title.setText("Letter to the trust")
    dialog.kind.setCurrentText("exhibit")
    dialog.urn.setText("MSF0000042")
    dialog.date.setText("12/05/2011")
    dialog.day.setValue(3)
    dialog.accept()
    assert "YYYY-MM-DD" in dialog.problem.text() and dialog.isVisible()
    dialog.date.setText("2011-05-12")
    dialog.accept()
    with win.ctx.ws.session() as s:
        doc = s.get(Document, doc_id)
        assert (doc.title, doc.kind, doc.urn, doc.date, doc.day) == (
            "Letter to the trust",
            "exhibit",
            "MSF0000042",
            "2011-05-12",
            3,
        )
    assert win.documents.tree.topLevelItem(0).text(0) == "Letter to the trust"
    win.ctx.undo.undo()
    with win.ctx.ws.session() as s:
        doc = s.get(Document, doc_id)
        assert (doc.title, doc.kind, doc.urn, doc.day) == ("letter", "other", "", None)
    win.ctx.undo.redo()
    with win.ctx.ws.session() as s:
        assert s.exec(select(Document)).one().title == "Letter to the trust"
    # double-click (activation) still opens the document
    opened = []
    win.documents.open_requested.connect(opened.append)
    win.documents.tree.itemActivated.emit(win.documents.tree.topLevelItem(0), 0)
    assert opened == [doc_id]
    win.close()


def test_urn_off_pattern_is_warned_about_once(qtbot, tmp_path):
    win = _window(qtbot, tmp_path)
    src = tmp_path / "x.txt"
    src.write_text("x\n")
    from annotator.core.ingest import import_file

    doc_id = import_file(win.ctx.ws, str(src)).document_id
    with qtbot.waitSignal(win.dialog_opened) as opened:
        win.edit_document_details(doc_id)
    dialog = opened.args[0]
    dialog.urn.setText("odd-ref")
    dialog.accept()
    assert "does not look like" in dialog.problem.text()
    dialog.accept()
    with win.ctx.ws.session() as s:
        assert s.get(Document, doc_id).urn == "odd-ref"
    assert dialog.result() == dialog.DialogCode.Accepted or not dialog.isVisible()
    win.close()


def test_import_dialogs_open_where_the_last_import_came_from(qtbot, tmp_path, monkeypatch):
    import os

    from PySide6.QtWidgets import QFileDialog

    from annotator.gui.dialogs import import_flow

    folder = tmp_path / "evidence" / "day 45"
    folder.mkdir(parents=True)
    (folder / "day45.txt").write_text("MR KARK: Good morning.\n")
    starts, imported = [], []
    monkeypatch.setattr(import_flow, "import_paths", lambda _w, paths: imported.append(paths))
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        lambda _w, _t, start, _f: starts.append(start) or ([str(folder / "day45.txt")], ""),
    )
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda _w, _t, start: starts.append(start) or str(folder)
    )
    win = _window(qtbot, tmp_path)
    import_flow.choose_and_import(win)  # first time: the home folder
    import_flow.choose_folder_and_import(win)  # then where the file came from
    import_flow.choose_and_import(win)  # a folder import opens next time beside that folder
    assert starts == [os.path.expanduser("~"), str(folder), str(folder.parent)]
    assert imported == [[str(folder / "day45.txt")], [str(folder)], [str(folder / "day45.txt")]]
    win.close()
