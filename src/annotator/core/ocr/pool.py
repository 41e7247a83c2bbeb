"""OCR worker processes: one per core, one page at a time each, with a time limit a page.

Tesseract runs single-threaded in each (OMP_THREAD_LIMIT=1): on a busy
machine a process per core reads more pages a second than one process
using every core. A worker that crashes or passes the time limit on a page
is killed, the page reported failed with the reason, and a fresh worker
takes the next page. The workers open the PDF from a file, so a long scan
is never held in memory, and they send back only each page's words.
"""

import os
import queue
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from annotator.core.ingest.worker import Child, _recv, _send

OnPage = Callable[[int, list[Any] | None, str], None]  # page index, its words (None: failed), why
PAGE_LIMIT = 180.0  # seconds for one page before its worker is killed
STARTUP = 60.0  # seconds for a worker to load Python, MuPDF and Tesseract


def workers() -> int:
    return max(1, os.cpu_count() or 1)


def _command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "--ocr-worker"]
    return [sys.executable, "-m", "annotator.core.ocr.pool"]


# ---- worker side ----------------------------------------------------------
def serve() -> None:
    """Worker main loop: ("open", path, lang, tessdata, dpi) then ("page", i) requests."""
    import pymupdf

    from annotator.core.ocr import engine

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stray prints must not corrupt the channel
    doc = None
    lang, folder, dpi = "eng", "", engine.DPI
    _send(out, ("ready",))
    while True:
        try:
            msg = _recv(inp)
        except EOFError:
            return
        if msg[0] == "open":
            _, path, lang, folder, dpi = msg
            try:
                doc = pymupdf.open(path)
                if doc.needs_pass:
                    doc = None
                    _send(out, ("opened", "encrypted: OCR cannot read a password-protected PDF"))
                else:
                    _send(out, ("opened", ""))
            except Exception as err:
                doc = None
                _send(out, ("opened", f"damaged: the PDF cannot be opened ({str(err)[:120]})"))
            continue
        i = msg[1]
        try:
            if doc is None:
                raise RuntimeError("no PDF open")
            words = engine.recognise(doc.load_page(i), lang, folder, dpi)
            pymupdf.TOOLS.store_shrink(100)  # decoded pictures are not read twice: memory stays flat
            _send(out, ("page", i, words, ""))
        except Exception as err:  # a damaged page, an image MuPDF cannot decode
            _send(out, ("page", i, None, f"cannot be read ({type(err).__name__}: {str(err)[:120]})"))


# ---- parent side ----------------------------------------------------------
class _Worker(Child):
    """A worker process, with the page it is reading and the file it has open."""

    def __init__(self, number: int, messages: "queue.Queue[Any]"):
        super().__init__(number, messages, _command(), {"OMP_THREAD_LIMIT": "1"})
        self.job: tuple[int, float] | None = None  # page index, when it was sent
        self.file: str | None = None


class Pool:
    """OCR of the pages of one PDF file at a time in `size` worker processes."""

    def __init__(self, size: int | None = None, page_limit: float = PAGE_LIMIT):
        self.size = size or workers()
        self.page_limit = page_limit
        self.inbox: queue.Queue[Any] = queue.Queue()
        self.kids: list[_Worker] = []
        self._number = 0
        self.failed_starts = 0

    def _start(self) -> _Worker:
        self._number += 1
        kid = _Worker(self._number, self.inbox)
        self.kids.append(kid)
        return kid

    def _drop(self, kid: _Worker) -> None:
        kid.kill()
        if kid in self.kids:
            self.kids.remove(kid)

    def close(self) -> None:
        for kid in list(self.kids):
            self._drop(kid)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(
        self,
        path: str,
        pages: Iterable[int],
        lang: str,
        tessdata: str,
        dpi: int,
        on_page: OnPage,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        """OCR these pages of the file; on_page(index, words or None, failure reason)
        for each as it is done (in any order). Raises InterruptedError when cancelled."""
        todo = list(pages)
        todo.reverse()
        opening = ("open", path, lang, tessdata, dpi)
        for kid in self.kids:  # workers kept from the previous file
            if kid.ready and kid.file != path:
                self._tell(kid, opening)
        while len(self.kids) < min(self.size, len(todo)):
            self._start()
        started = time.monotonic()
        busy = 0
        while todo or busy:
            for kid in list(self.kids):  # give every idle, ready worker a page
                if kid.ready and kid.job is None and kid.file == path and todo:
                    i = todo.pop()
                    kid.job = (i, time.monotonic())
                    busy += 1
                    self._tell(kid, ("page", i))
            got: tuple[_Worker, tuple[Any, ...]] | None
            try:
                got = self.inbox.get(timeout=0.1)
            except queue.Empty:
                got = None
            if cancelled and cancelled():
                self.close()
                raise InterruptedError
            if got is not None and got[0] in self.kids:
                busy -= self._answer(got[0], got[1], path, opening, on_page, todo)
            busy -= self._time_out(on_page, todo, started)

    def _tell(self, kid: _Worker, msg: tuple[Any, ...]) -> None:
        try:
            _send(kid.proc.stdin, msg)
        except OSError:
            pass  # the worker died: its "gone" message follows and is handled there

    def _answer(
        self,
        kid: _Worker,
        msg: tuple[Any, ...],
        path: str,
        opening: tuple[Any, ...],
        on_page: OnPage,
        todo: list[int],
    ) -> int:
        """Handle one message; returns 1 when it ended a page."""
        kind = msg[0]
        if kind == "ready":
            kid.ready = True
            self._tell(kid, opening)
            return 0
        if kind == "opened":
            if msg[1]:  # the file cannot be read at all: every page fails with the reason
                while todo:
                    on_page(todo.pop(), None, msg[1])
            kid.file = path
            return 0
        if kind == "page":
            _, i, words, reason = msg
            kid.job = None
            on_page(i, words, reason)
            return 1
        # the worker is gone: MuPDF or Tesseract crashed
        job = kid.job
        self._drop(kid)
        if not kid.ready:
            self.failed_starts += 1
            if self.failed_starts > 3:
                raise RuntimeError("the OCR workers could not be started")
        if todo or job:
            self._start()
        if job:
            on_page(job[0], None, "the OCR engine crashed on this page")
            return 1
        return 0

    def _time_out(self, on_page: OnPage, todo: list[int], started: float) -> int:
        ended = 0
        now = time.monotonic()
        for kid in list(self.kids):
            if kid.job and now - kid.job[1] > self.page_limit:
                i = kid.job[0]
                self._drop(kid)
                on_page(i, None, f"timed out: no text after {self.page_limit:.0f} seconds")
                ended += 1
                if todo:
                    self._start()
            elif not kid.ready and now - started > STARTUP and not kid.alive():
                self._drop(kid)
        if not self.kids and todo:
            raise RuntimeError("the OCR workers could not be started")
        return ended


if __name__ == "__main__":
    serve()
