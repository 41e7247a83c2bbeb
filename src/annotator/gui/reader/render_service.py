"""Pages of one PDF tab, rendered on the app's PyMuPDF lane (one thread for every tab).

The view says which pages it wants (`want`); a job on the "pdf" lane renders
the newest wishes first and drops pages that scrolled away before their turn.
The PyMuPDF document is opened, used and closed on that lane only. Images land
in a small LRU cache bounded by bytes (GUI thread only), so memory stays flat
however far one scrolls.
"""

import threading
from collections import OrderedDict

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from annotator.core.library.render import PageRenderer

CACHE_BYTES = 96 * 1024 * 1024
WORD_PAGES = 300


class _Pages:
    """What lives on the pdf lane: the renderer and the wish list it takes work from."""

    def __init__(self, source, ocr=None):
        self.source = source
        self.ocr = ocr
        self.renderer: PageRenderer | None = None
        self.lock = threading.Lock()
        self.wishes: list[tuple[str, int, float]] = []  # ("img"|"words", page, zoom), most urgent first
        self.closed = False

    def next_wish(self):
        with self.lock:
            return self.wishes.pop(0) if self.wishes and not self.closed else None

    def work(self, job) -> None:
        """Render wishes until none are left; each result goes to the GUI thread by job.send."""
        if self.renderer is None:
            data = self.source() if callable(self.source) else self.source
            self.source = None
            if not data:
                raise ValueError("the original file is not in the workspace")
            self.renderer = PageRenderer(data, ocr=self.ocr)
        while not job.cancelled() and (wish := self.next_wish()) is not None:
            kind, page, zoom = wish
            try:
                if kind == "img":
                    r = self.renderer.render(page, zoom)
                    img = QImage(r.data, r.width, r.height, r.stride, QImage.Format_RGB888).copy()
                    job.send(("img", page, zoom, img))
                else:
                    job.send(("words", page, zoom, self.renderer.words(page)))
            except Exception as err:
                job.send(("error", page, zoom, str(err)))

    def close(self, _job) -> None:
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None


class RenderService(QObject):
    page_ready = Signal(int, float)  # page index, zoom it was rendered at
    words_ready = Signal(int)
    failed = Signal(str)

    def __init__(self, tasks, source, parent=None, ocr=None):
        """`tasks`: the app's TaskManager; `source`: the PDF bytes, or a function returning
        them (called on the pdf lane, so the window never waits for the blob); `ocr(i)`:
        the words recognised on a scanned page i (also called on the pdf lane)."""
        super().__init__(parent)
        self.tasks = tasks
        self._pages = _Pages(source, ocr)
        self._job = None  # the render job queued or running
        self.images: OrderedDict[tuple[int, float], QImage] = OrderedDict()
        self._image_bytes = 0
        self.words: dict[int, list] = {}
        self.error = ""

    def want(self, pages: list[int], zoom: float, words: bool = True) -> None:
        """Replace the wishes with these pages (first = most urgent)."""
        if self._pages.closed or self.error:
            return
        jobs = []
        for i in pages:
            if (i, zoom) not in self.images:
                jobs.append(("img", i, zoom))
            if words and i not in self.words:
                jobs.append(("words", i, zoom))
        with self._pages.lock:
            self._pages.wishes = jobs
        if jobs and self._job is None:
            self._start()

    def _start(self) -> None:
        self._job = self.tasks.submit("pdf", self._pages.work, "render pages", urgent=True)
        self._job.sent.connect(self._arrived)
        self._job.failed.connect(self._broken)
        self._job.ended.connect(self._ended)

    def _ended(self) -> None:
        self._job = None
        with self._pages.lock:
            more = bool(self._pages.wishes) and not self._pages.closed
        if more and not self.error:
            self._start()  # wishes that came in as the last job was ending

    def _broken(self, err) -> None:  # the file would not open: the view shows why
        self.error = str(err)
        self.failed.emit(self.error)

    def _arrived(self, item) -> None:
        kind, page, zoom, value = item
        if kind == "img":
            self._store(page, zoom, value)
            self.page_ready.emit(page, zoom)
        elif kind == "words":
            self.words[page] = value
            if len(self.words) > WORD_PAGES:  # about 50 KB a page: keep the newest pages only
                for k in list(self.words)[: len(self.words) - WORD_PAGES]:
                    del self.words[k]
            self.words_ready.emit(page)
        else:
            self.failed.emit(f"page {page + 1}: {value}")

    def image(self, page: int, zoom: float) -> QImage | None:
        key = (page, zoom)
        img = self.images.get(key)
        if img is not None:
            self.images.move_to_end(key)
        return img

    def any_image(self, page: int) -> QImage | None:
        """A picture of the page at some other zoom, to stretch while the sharp one renders."""
        for (p, _z), img in reversed(self.images.items()):
            if p == page:
                return img
        return None

    def close(self) -> None:
        """Stop rendering; the document is closed on the pdf lane, after any job still on it."""
        if self._pages.closed:
            return
        with self._pages.lock:
            self._pages.closed = True
            self._pages.wishes = []
        if self._job is not None:
            self._job.cancel()
        self.tasks.submit("pdf", self._pages.close, "close PDF", always=True)

    def _store(self, page: int, zoom: float, img: QImage) -> None:
        key = (page, zoom)
        old = self.images.pop(key, None)
        if old is not None:
            self._image_bytes -= old.sizeInBytes()
        self.images[key] = img
        self._image_bytes += img.sizeInBytes()
        while self._image_bytes > CACHE_BYTES and len(self.images) > 1:
            _k, dropped = self.images.popitem(last=False)
            self._image_bytes -= dropped.sizeInBytes()
