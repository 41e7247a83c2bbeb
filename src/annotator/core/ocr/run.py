"""OCR of a workspace's scanned pages: the one operation the CLI and the window call."""

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core.ingest import worker
from annotator.core.library.render import load_pdf_bytes
from annotator.core.ocr import engine, pages
from annotator.core.ocr.margin import repair
from annotator.core.ocr.pool import Pool

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

Progress = Callable[[int, int, str], None]

FLUSH_PAGES = 8  # pages stored together (one transaction, one audit entry)
FLUSH_SECONDS = 5.0  # ... or after this long: a crash loses at most this much work


@dataclass
class OcrResult:
    documents: list[dict[str, Any]] = field(default_factory=list)  # {"document", "done", "failed", "reasons"}
    cancelled: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "cancelled": self.cancelled}


def language(ws: "Workspace", lang: str | None = None) -> str:
    return (lang or str(ws.get("ocr_language") or "eng")).strip() or "eng"


def check(ws: "Workspace", lang: str | None = None) -> str:
    """The Tesseract language folder, or raise OcrUnavailable with one sentence."""
    return engine.tessdata(language(ws, lang))


def documents_needing(ws: "Workspace", document_ids: list[int] | None = None) -> dict[int, int]:
    """{document: pages waiting} for the documents named (default: every PDF)."""
    from annotator.core.library import documents
    from annotator.core.store.models import saved_id

    ids = document_ids or [saved_id(d) for d in documents.listed(ws) if d.source_format == "pdf"]
    out = {}
    for d in ids:
        n = pages.queue(ws, d)
        if n:
            out[d] = n
    return out


def _to_file(ws: "Workspace", document_id: int) -> str:
    """The document's PDF written to a temporary file, in pieces (a scan can be large)."""
    from annotator.core.library import documents

    sha = documents.get(ws, document_id).sha256
    fd, path = tempfile.mkstemp(prefix="annotator-ocr-", suffix=".pdf")
    raw = ws.engine.raw_connection()
    try:
        con = raw.driver_connection
        assert con is not None
        rowid = con.execute("SELECT rowid FROM blob WHERE sha256 = ?", (sha,)).fetchone()[0]
        with os.fdopen(fd, "wb") as out, con.blobopen("blob", "data", rowid, readonly=True) as blob:
            while chunk := blob.read(1 << 20):
                out.write(chunk)
    finally:
        raw.close()
    return path


def run(
    ws: "Workspace",
    document_ids: list[int] | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    retry: bool = False,
    size: int | None = None,
    page_limit: float | None = None,
) -> OcrResult:
    """Recognise the text of every page that needs it; pages done stay done.
    `progress(done, total, text)`; raises engine.OcrUnavailable without Tesseract."""
    lang = language(ws, lang)
    folder = engine.tessdata(lang)
    waiting = documents_needing(ws, document_ids)
    todo = {d: pages.pending(ws, d, retry) for d in (document_ids or list(waiting))}
    todo = {d: p for d, p in todo.items() if p}
    total = sum(len(p) for p in todo.values())
    result = OcrResult()
    count = [0, total]
    if total:
        worker.shutdown()  # the import's idle PDF readers hold a big file's memory: they restart when needed
    kwargs = {"page_limit": page_limit} if page_limit else {}
    with Pool(size, **kwargs) as pool:
        for d, page_list in todo.items():
            path = _to_file(ws, d)
            batch = _Batch(ws, d, lang, count, progress)
            try:
                pool.run(path, page_list, lang, folder, engine.DPI, batch.page, cancelled)
            except InterruptedError:
                result.cancelled = True
            finally:
                batch.flush()
                os.unlink(path)
                pages.rebuild(ws, d, _loader(ws, d))
                result.documents.append(batch.summary)
            if result.cancelled:
                break
    for d in pages.unbuilt(ws):  # read before a crash or a quit, not yet in the text
        pages.rebuild(ws, d, _loader(ws, d))
    return result


def _loader(ws: "Workspace", document_id: int) -> Callable[[], bytes | None]:
    return lambda: load_pdf_bytes(ws, document_id)


class _Batch:
    """One document's finished pages, stored a few at a time."""

    def __init__(
        self, ws: "Workspace", document_id: int, lang: str, count: list[int], progress: Progress | None
    ):
        self.ws, self.document_id, self.lang = ws, document_id, lang
        self.count, self.progress = count, progress
        self.summary: dict[str, Any] = {"document": document_id, "done": 0, "failed": 0, "reasons": {}}
        self.buffer: list[tuple[int, list[tuple[Any, ...]] | None, str]] = []
        self.last = time.monotonic()

    def page(self, i: int, words: list[tuple[Any, ...]] | None, reason: str) -> None:
        self.count[0] += 1
        if words is None:
            self.summary["failed"] += 1
            self.summary["reasons"][i + 1] = reason
        else:
            self.summary["done"] += 1
        self.buffer.append((i, repair(words) if words else words, reason))
        if len(self.buffer) >= FLUSH_PAGES or time.monotonic() - self.last > FLUSH_SECONDS:
            self.flush()
        if self.progress:
            self.progress(self.count[0], self.count[1], f"Recognising text (OCR): page {i + 1}")

    def flush(self) -> None:
        pages.record(self.ws, self.document_id, self.buffer, self.lang)
        self.buffer.clear()
        self.last = time.monotonic()
