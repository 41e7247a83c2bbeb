"""The reader at inquiry scale: open a long transcript in the transcript view and
jump to its last page, in a real (offscreen) window, at two sizes side by side.

The workspaces (one text transcript each) are built once and cached beside the
rest of the generated data; building is not timed.
"""

import os
import random
import tempfile
import time
from pathlib import Path


def long_transcript(folder: Path, pages: int) -> Path:
    """A workspace holding one transcript of `pages` pages (cached in folder)."""
    from annotator.core.ingest import import_file
    from annotator.core.store.workspace import Workspace
    from bench.generate import log, transcript_text

    path = folder / f"long-{pages}.annot"
    done = folder / f"long-{pages}.done"
    if done.exists() and path.exists():
        return path
    log(f"writing a {pages}-page text transcript for the reader benchmark")
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    txt = folder / f"Day 001 - {pages} pages.txt"
    txt.write_text(transcript_text(random.Random(f"long-{pages}"), 1, pages), encoding="utf-8")
    ws = Workspace.create(str(path), title=f"{pages}-page transcript")
    try:
        r = import_file(ws, str(txt), kind="transcript")
        if r.status != "imported" or r.pages != pages:
            raise RuntimeError(f"the {pages}-page transcript did not import: {r.reason}")
    finally:
        ws.close()
        txt.unlink(missing_ok=True)
    done.write_text("1")
    return path


def open_and_jump(ws_path: str) -> dict:
    """Seconds from asking for the document to its last page painted in the transcript view."""
    scratch = tempfile.mkdtemp(prefix="reader-bench-")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var, sub in (
        ("ANNOTATOR_DATA_DIR", "data"),
        ("ANNOTATOR_LOG_DIR", "logs"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        os.environ[var] = os.path.join(scratch, sub)
    from PySide6.QtWidgets import QApplication

    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["annotator-bench"])
    win = MainWindow()
    win.resize(1366, 740)
    win.show()
    if not win.open_path(ws_path):
        raise RuntimeError(f"cannot open {ws_path}")
    for _ in range(20):  # the window's own start-up work settles first
        app.processEvents()
    t = time.perf_counter()
    reader = win.open_document(1)
    reader.show_view("text")
    tv = reader.text_view
    tv.setFocus()
    tv.key_move("doc_end")
    tv.viewport().repaint()
    dt = time.perf_counter() - t
    n_pages = reader.model.lines.n_pages
    on_last_page = tv.point_of(tv.caret) is not None and tv.caret[0] == n_pages - 1
    out = {
        "value": dt,
        "pages": n_pages,
        "lines": len(reader.model.lines),
        "pages_read": reader.model.lines.loaded_pages(),
        "on_last_page": on_last_page,
    }
    win.close()
    return out
