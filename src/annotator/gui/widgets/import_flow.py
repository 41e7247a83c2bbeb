"""Import files from the File menu or by drag and drop, in the background."""

import os

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.ingest import import_file
from annotator.gui.tasks import run_with_progress

FILTER = "Documents (*.pdf *.txt *.docx *.rst *.text);;All files (*)"


def expand(paths: list[str]) -> list[str]:
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                out += [os.path.join(root, f) for f in sorted(files)]
        else:
            out.append(p)
    return out


def choose_and_import(window) -> None:
    if window.ctx.ws is None:
        QMessageBox.information(window, "Import", "Open or create a workspace first.")
        return
    paths, _ = QFileDialog.getOpenFileNames(window, "Import documents", "", FILTER)
    if paths:
        import_paths(window, paths)


def import_paths(window, paths: list[str]) -> None:
    ws = window.ctx.ws
    files = expand(paths)

    def work(progress, cancelled):
        results = []
        for i, path in enumerate(files):
            if cancelled():
                break
            progress(i, len(files), f"Importing {os.path.basename(path)} ({i + 1} of {len(files)})")
            results.append(import_file(ws, path, cancelled=cancelled))
        return results

    def done(results):
        from annotator.core.changes import Change

        window.ctx.announce(Change("Import", documents=True))
        ok = [r for r in results if r.status == "imported"]
        dup = [r for r in results if r.status == "duplicate"]
        bad = [r for r in results if r.status == "failed"]
        text = f"Imported {len(ok)} of {len(files)} files."
        if dup:
            text += f"\n{len(dup)} already in the workspace."
        if bad:
            text += "\n\nNot imported:\n" + "\n".join(f"• {os.path.basename(r.path)}: {r.reason}" for r in bad[:30])
        QMessageBox.information(window, "Import finished", text)

    run_with_progress(window, "Importing documents", work, done)
