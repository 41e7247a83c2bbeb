"""Read PDFs in a child process with a time limit.

MuPDF can crash or loop forever on a hostile file. The parent sends the
file's bytes to a long-lived child (`python -m annotator.core.ingest.worker`)
and receives plain data back, page batch by page batch. If the child dies,
the file is reported damaged; if it stops sending anything for `idle_limit`
seconds, it is killed and the file reported as timed out. The child is reused
across files so its start-up cost is paid once per session, not per file.
"""

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time

from annotator.core.ingest.pdf import NeedsPassword, PdfPage, PdfRefused
from annotator.core.ingest.rows import Row

IDLE_LIMIT = 20.0  # seconds without a page before a file counts as hung
BATCH = 50  # pages per message
_HEADER = struct.Struct("<Q")


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _recv(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    size = _HEADER.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


# ---- child side -----------------------------------------------------------
def _page_tuple(page: PdfPage) -> tuple:
    return (page.width, page.height, page.rotation, page.label,
            [(r.text, r.bbox, r.words, r.part) for r in page.rows])


def _extract(data: bytes, password: str | None, out) -> None:
    from annotator.core.ingest import pdf

    try:
        doc = pdf.open_pdf(data, password)
    except NeedsPassword as err:
        _send(out, ("error", "password", str(err)))
        return
    except PdfRefused as err:
        _send(out, ("error", "refused", str(err)))
        return
    try:
        n = doc.page_count
        _send(out, ("open", n))
        batch = []
        for i in range(n):
            try:
                page = pdf.read_page(doc, i)
            except Exception as err:
                _send(out, ("error", "refused", f"damaged: page {i + 1} cannot be read ({pdf._short(err)})"))
                return
            batch.append(_page_tuple(page))
            if len(batch) >= BATCH or i == n - 1:
                _send(out, ("pages", batch))
                batch = []
        _send(out, ("done",))
    finally:
        doc.close()


def serve() -> None:
    """Child main loop: one request (bytes, password) at a time from stdin."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stray prints must not corrupt the channel
    while True:
        try:
            data, password = _recv(inp)
        except EOFError:
            return
        try:
            _extract(data, password, out)
        except Exception as err:  # anything else: report, stay alive
            _send(out, ("error", "refused", f"damaged ({type(err).__name__}: {str(err)[:120]})"))


# ---- parent side ----------------------------------------------------------
class _Child:
    def __init__(self):
        env = dict(os.environ)
        src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "annotator.core.ingest.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        try:
            while True:
                self.messages.put(_recv(self.proc.stdout))
        except (EOFError, OSError, pickle.UnpicklingError, ValueError):
            self.messages.put(("gone",))

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


_child: _Child | None = None
_lock = threading.Lock()


def shutdown() -> None:
    global _child
    with _lock:
        if _child is not None:
            _child.kill()
            _child = None


def extract(data: bytes, password: str | None = None, progress=None, cancelled=None,
            idle_limit: float | None = None) -> list[PdfPage]:
    """Pages of a PDF read in the child process; raises PdfRefused (with a
    reason for the user), NeedsPassword or InterruptedError (cancelled)."""
    global _child
    limit = IDLE_LIMIT if idle_limit is None else idle_limit
    with _lock:
        if _child is None or not _child.alive():
            _child = _Child()
        child = _child
        try:
            _send(child.proc.stdin, (data, password))
        except OSError:
            child.kill()
            _child = None
            raise PdfRefused("damaged: the PDF reader stopped while receiving the file")
        pages: list[PdfPage] = []
        total = 0
        last = time.monotonic()
        while True:
            try:
                msg = child.messages.get(timeout=0.1)
            except queue.Empty:
                if cancelled and cancelled():
                    child.kill()
                    _child = None
                    raise InterruptedError
                if time.monotonic() - last > limit:
                    child.kill()
                    _child = None
                    raise PdfRefused(f"timed out: the PDF reader made no progress for {limit:.0f} seconds")
                continue
            last = time.monotonic()
            kind = msg[0]
            if kind == "pages":
                for w, h, rot, label, rows in msg[1]:
                    pages.append(PdfPage(w, h, rot, label, [Row(t, b, ws, p) for t, b, ws, p in rows]))
                if progress:
                    progress(len(pages), total)
                if cancelled and cancelled():
                    child.kill()
                    _child = None
                    raise InterruptedError
            elif kind == "open":
                total = msg[1]
            elif kind == "done":
                return pages
            elif kind == "error":
                if msg[1] == "password":
                    raise NeedsPassword(msg[2])
                raise PdfRefused(msg[2])
            else:  # the child died: MuPDF crashed on this file
                child.kill()
                _child = None
                raise PdfRefused("damaged: the PDF library crashed reading it")


if __name__ == "__main__":
    serve()
