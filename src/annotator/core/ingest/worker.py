"""Read PDFs in a child process with a time limit.

MuPDF can crash or loop forever on a hostile file. The parent sends the
file's bytes to a long-lived child (`python -m annotator.core.ingest.worker`)
and receives plain data back, page batch by page batch. If the child dies,
the file is reported damaged; if it stops sending anything for `idle_limit`
seconds, it is killed and the file reported as timed out. The child is reused
across files so its start-up cost is paid once per session, not per file.
"""

import gc
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from typing import Any

from annotator.core.ingest.pdf import NeedsPassword, PdfPage, PdfRefused
from annotator.core.ingest.rows import Row
from annotator.core.util.gcpause import paused

IDLE_LIMIT = 20.0  # seconds without a page before a file counts as hung
STARTUP = 30.0  # extra seconds for a reader process to start
BATCH = 50  # pages per message
BIG_FILE = 500_000  # bytes (some 350 transcript pages): above this, two child processes share the pages
_HEADER = struct.Struct("<Q")
PIPE_SIZE = 1 << 20  # bytes: the Linux default limit for one pipe
COMMAND: list[str] | None = None  # the child's command line; tests put stand-ins here


def _send(stream: Any, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _recv(stream: Any) -> Any:
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
    return (
        page.width,
        page.height,
        page.rotation,
        page.label,
        [(r.text, r.bbox, r.part, r.ends_x) for r in page.rows],
    )


def _extract(data: bytes, password: str | None, part: int, parts: int, out) -> None:
    """Send pages part, part + parts, ... of the PDF (all of them when parts == 1)."""
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
        labels = pdf.has_labels(doc)
        _send(out, ("open", n))
        batch = []
        for i in range(part, n, parts):
            try:
                page = pdf.read_page(doc, i, boxes=False, labels=labels)
            except Exception as err:
                _send(out, ("error", "refused", f"damaged: page {i + 1} cannot be read ({pdf._short(err)})"))
                return
            batch.append((i, _page_tuple(page)))
            if len(batch) >= BATCH:
                _send(out, ("pages", batch))
                batch = []
        if batch:
            _send(out, ("pages", batch))
        _send(out, ("done",))
    finally:
        doc.close()


def _widen(stream) -> None:
    """Let a whole page batch fit in the pipe (Linux): the reader then goes on
    with the next pages instead of waiting for the busy parent to drain it."""
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass  # other systems, or a limit lower than asked for: smaller pipe, same result


def serve() -> None:
    """Child main loop: one request (bytes, password) at a time from stdin."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    _widen(out)
    sys.stdout = sys.stderr  # stray prints must not corrupt the channel
    while True:
        try:
            data, password, part, parts = _recv(inp)
        except EOFError:
            return
        try:
            # Each page's words are a few hundred tuples: the cyclic collector would keep
            # scanning them for nothing. Whatever cycles a file leaves are freed after it.
            with paused():
                _extract(data, password, part, parts, out)
        except Exception as err:  # anything else: report, stay alive
            _send(out, ("error", "refused", f"damaged ({type(err).__name__}: {str(err)[:120]})"))
        gc.collect()  # the file is sent: the parent is storing it meanwhile


# ---- parent side ----------------------------------------------------------
def _command() -> list[str]:
    """The reader process: this same program when frozen, else this module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--ingest-worker"]
    return [sys.executable, "-m", "annotator.core.ingest.worker"]


class Child:
    def __init__(self, number: int, messages: queue.Queue, command: list[str] | None = None, env_extra=None):
        env = dict(os.environ)
        src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
        env.update(env_extra or {})
        self.number = number
        self.ready = False  # True once it has answered: Python and MuPDF are loaded
        self.proc = subprocess.Popen(
            command or COMMAND or _command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.messages = messages
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        try:
            while True:
                self.messages.put((self, _recv(self.proc.stdout)))
        except (EOFError, OSError, pickle.UnpicklingError, ValueError):
            self.messages.put((self, ("gone",)))

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
                if stream is not None:
                    stream.close()
            except OSError:
                pass


_children: list[Child] = []
_messages: queue.Queue = queue.Queue()
_lock = threading.Lock()


def shutdown() -> None:
    """Stop the reader processes (they start again when needed)."""
    with _lock:
        _kill_all()


def _pool(n: int) -> list[Child]:
    global _messages
    if any(not c.alive() for c in _children):
        for c in _children:
            c.kill()
        _children.clear()
        _messages = queue.Queue()  # nothing stale from a killed child
    while len(_children) < n:
        _children.append(Child(len(_children), _messages))
    return _children[:n]


def _kill_all() -> None:
    global _messages
    for c in _children:
        c.kill()
    _children.clear()
    _messages = queue.Queue()


def warm_up(size: int) -> None:
    """Start the readers a file of `size` bytes will need, without waiting."""
    if _lock.acquire(blocking=False):
        try:
            _pool(_parts(size))
        finally:
            _lock.release()


def parts_for(data: bytes) -> int:
    return _parts(len(data))


def _parts(size: int) -> int:
    """Two readers for big files when there are two cores or more. Even on two
    cores, where the importing process keeps one busy too (it works on the pages
    as they arrive), two readers finish sooner: the reading is most of the work.
    Below some 300 pages a second start-up (0.15 s) costs what it saves."""
    return 2 if size > BIG_FILE and (os.cpu_count() or 1) >= 2 else 1


def extract(
    data: bytes,
    password: str | None = None,
    progress=None,
    cancelled=None,
    idle_limit: float | None = None,
    on_page=None,
) -> list[PdfPage]:
    """Pages of a PDF read in child processes; raises PdfRefused (with a
    reason for the user), NeedsPassword or InterruptedError (cancelled).
    `on_page(index, page)` sees each page as it arrives (in any order)."""
    limit = IDLE_LIMIT if idle_limit is None else idle_limit
    parts = parts_for(data)
    with _lock:
        kids = _pool(parts)
        inbox = _messages
        for part, child in enumerate(kids):
            try:
                _send(child.proc.stdin, (data, password, part, parts))
            except OSError:
                _kill_all()
                raise PdfRefused("damaged: the PDF reader stopped while receiving the file") from None
        pages: dict[int, PdfPage] = {}
        total = 0
        busy = set(kids)
        error = None
        last = time.monotonic()
        while busy:
            try:
                child, msg = inbox.get(timeout=0.1)
            except queue.Empty:
                if cancelled and cancelled():
                    _kill_all()
                    raise InterruptedError from None
                # a reader just started is still importing Python and MuPDF
                allowed = limit + (STARTUP if any(not c.ready for c in busy) else 0)
                if time.monotonic() - last > allowed:
                    _kill_all()
                    raise PdfRefused(
                        f"timed out: the PDF reader made no progress for {limit:.0f} seconds"
                    ) from None
                continue
            if child not in kids:  # a message from a reader stopped earlier
                continue
            child.ready = True
            last = time.monotonic()
            kind = msg[0]
            if kind == "pages":
                for i, (w, h, rot, label, rows) in msg[1]:
                    page = PdfPage(w, h, rot, label, [Row(t, b, None, p, xs) for t, b, p, xs in rows])
                    pages[i] = page
                    if on_page:
                        on_page(i, page)
                if progress:
                    progress(len(pages), total)
                if cancelled and cancelled():
                    _kill_all()
                    raise InterruptedError
            elif kind == "open":
                total = msg[1]
            elif kind == "done":
                busy.discard(child)
            elif kind == "error":
                busy.discard(child)
                error = error or (NeedsPassword(msg[2]) if msg[1] == "password" else PdfRefused(msg[2]))
            else:  # the child died: MuPDF crashed on this file
                _kill_all()
                raise PdfRefused("damaged: the PDF library crashed reading it")
        if error:
            raise error
        return [pages[i] for i in range(total)]


if __name__ == "__main__":
    serve()
