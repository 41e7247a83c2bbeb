"""OCR of a scanned hearing day: our import + `annotator ocr` beside PyMuPDF alone.

The scan is a generated transcript printed to PDF and rendered back as
200 dpi greyscale JPEG pages (samples.scanned), made once and cached. Ours:
import the file into a new workspace and recognise every page (detection,
worker processes, words stored, transcript lines and search index rebuilt).
Raw: the same number of processes, each running PyMuPDF's get_textpage_ocr
(same dpi, full page) and get_text("words") on its share of the pages.
Both sides run Tesseract single-threaded (OMP_THREAD_LIMIT=1). Peak memory
is sampled over the whole process tree (the workers included), every 0.2 s.
"""

import os
import random
import shutil
import tempfile
import threading
import time
from pathlib import Path

from bench.child import proc_status


def make_scan(path: str, pages: int) -> None:
    from annotator.core import samples
    from bench.generate import transcript_pdf

    data = samples.scanned(
        transcript_pdf(random.Random(f"ocr-{pages}"), 3, pages), dpi=200, skews=(0.0, 1.0, -1.0)
    )
    Path(path).write_bytes(data)


class TreeMemory:
    """The largest sum of resident memory of this process and its children, sampled."""

    def __init__(self):
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = str(os.getpid())
        while not self._stop.is_set():
            total = 0
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                info = proc_status(entry)
                if entry == me or info.get("PPid", "").strip() == me:
                    total += int(info.get("VmRSS", "0 kB").split()[0])
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(0.2)


def ocr_ours(pdf: str, tmp: str, workers: int) -> dict:
    from annotator.core.ingest import import_file
    from annotator.core.ocr import run
    from annotator.core.store.workspace import Workspace

    folder = tempfile.mkdtemp(dir=tmp)
    ws = Workspace.create(os.path.join(folder, "ocr.annot"), title="OCR bench")
    try:
        with TreeMemory() as mem:
            t0 = time.perf_counter()
            res = import_file(ws, pdf)
            result = run.run(ws, [res.document_id], size=workers)
            elapsed = time.perf_counter() - t0
        done = sum(d["done"] for d in result.documents)
        return {
            "value": done / elapsed,
            "pages": done,
            "seconds": elapsed,
            "tree_peak_mb": mem.peak_kb / 1024,
        }
    finally:
        ws.close()
        shutil.rmtree(folder, ignore_errors=True)


def _raw_worker(args) -> int:
    import pymupdf

    pdf, part, parts, folder = args
    doc = pymupdf.open(pdf)
    n = 0
    for i in range(part, doc.page_count, parts):
        page = doc.load_page(i)
        tp = page.get_textpage_ocr(language="eng", dpi=200, full=True, tessdata=folder)
        n += bool(page.get_text("words", textpage=tp))
    return n


def ocr_raw(pdf: str, workers: int) -> dict:
    import multiprocessing

    from annotator.core.ocr import engine

    folder = engine.tessdata("eng")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    ctx = multiprocessing.get_context("spawn")
    with TreeMemory() as mem:
        t0 = time.perf_counter()
        with ctx.Pool(workers) as pool:
            pool.map(_raw_worker, [(pdf, k, workers, folder) for k in range(workers)])
        elapsed = time.perf_counter() - t0
    import pymupdf

    pages = pymupdf.open(pdf).page_count
    return {"value": pages / elapsed, "pages": pages, "seconds": elapsed, "tree_peak_mb": mem.peak_kb / 1024}
