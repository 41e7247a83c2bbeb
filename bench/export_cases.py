"""The export benchmark: every passage of the bundle workspace, with source pages.

Raw side: PyMuPDF alone copying the same source pages (each passage's pages,
in the same order) from the original PDF into a new file.
"""

import os
import sqlite3
import time


def export_ours(ws_path: str, out_dir: str) -> dict:
    from annotator.core.export import Selection, export
    from annotator.core.export import bundle, plan  # noqa: F401  (they import PyMuPDF: before the clock, as on the raw side)
    from annotator.core.store.workspace import Workspace

    out = os.path.join(out_dir, "bench-bundle.pdf")
    ws = Workspace.open(ws_path, readonly=True)
    try:
        sel = Selection(source_pages=True)
        t = time.perf_counter()
        result = export(ws, sel, out, "pdf")
        dt = time.perf_counter() - t
    finally:
        ws.close()
    size = os.path.getsize(out)
    os.unlink(out)
    return {"value": dt, "bytes": size, "result": str(result)[:200]}


def export_raw(ws_path: str, pdf: str, out_dir: str) -> dict:
    import pymupdf

    with sqlite3.connect(f"file:{ws_path}?mode=ro", uri=True) as db:
        spans = db.execute(
            "SELECT start_page, end_page FROM passage WHERE deleted_at IS NULL "
            "ORDER BY document_id, start_page, start_char"
        ).fetchall()
    out = os.path.join(out_dir, "bench-raw.pdf")
    t = time.perf_counter()
    src = pymupdf.open(pdf)
    doc = pymupdf.open()
    for a, b in spans:
        doc.insert_pdf(src, from_page=a, to_page=b, widgets=False)  # widgets=True reloads every source page
    doc.save(out, garbage=1, deflate=True)
    dt = time.perf_counter() - t
    pages = doc.page_count
    doc.close()
    os.unlink(out)
    return {"value": dt, "pages": pages, "passages": len(spans)}
