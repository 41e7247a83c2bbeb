"""Pages rendered on a background thread that alone owns the PyMuPDF document.

The view says which pages it wants (`want`); the thread renders the newest
wishes first and drops pages that scrolled away before their turn. Images
land in a small LRU cache bounded by bytes, so memory stays flat however
far one scrolls.
"""

import threading
from collections import OrderedDict

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from annotator.core.render import PageRenderer

CACHE_BYTES = 96 * 1024 * 1024
WORD_PAGES = 300


class RenderService(QObject):
    page_ready = Signal(int, float)  # page index, zoom it was rendered at
    words_ready = Signal(int)
    failed = Signal(str)

    def __init__(self, source, parent=None):
        """`source`: the PDF bytes, or a function returning them (run on the render thread)."""
        super().__init__(parent)
        self._source = source
        self._lock = threading.Condition()
        self._jobs: list[tuple[str, int, float]] = []  # ("img"|"words", page, zoom)
        self._stop = False
        self.images: OrderedDict[tuple[int, float], QImage] = OrderedDict()
        self._image_bytes = 0
        self.words: dict[int, list] = {}
        self.error = ""
        self._thread = threading.Thread(target=self._run, name="page-render", daemon=True)
        self._thread.start()

    # ---- called on the GUI thread ------------------------------------
    def want(self, pages: list[int], zoom: float, words: bool = True) -> None:
        """Replace the queue with these pages (first = most urgent)."""
        jobs = []
        with self._lock:
            have = set(self.images)
        for i in pages:
            if (i, zoom) not in have:
                jobs.append(("img", i, zoom))
            if words and i not in self.words:
                jobs.append(("words", i, zoom))
        with self._lock:
            self._jobs = jobs
            self._lock.notify()

    def image(self, page: int, zoom: float) -> QImage | None:
        key = (page, zoom)
        with self._lock:
            img = self.images.get(key)
            if img is not None:
                self.images.move_to_end(key)
        return img

    def any_image(self, page: int) -> QImage | None:
        """A picture of the page at some other zoom, to stretch while the sharp one renders."""
        with self._lock:
            for (p, _z), img in reversed(self.images.items()):
                if p == page:
                    return img
        return None

    def close(self) -> None:
        with self._lock:
            self._stop = True
            self._jobs = []
            self._lock.notify()
        self._thread.join(timeout=5)

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
        if len(self.words) > WORD_PAGES:  # about 50 KB a page: keep the newest pages only
            for k in list(self.words)[: len(self.words) - WORD_PAGES]:
                del self.words[k]

    # ---- the render thread ------------------------------------------
    def _run(self) -> None:
        try:
            data = self._source() if callable(self._source) else self._source
            self._source = None
            if not data:
                raise ValueError("the original file is not in the workspace")
            renderer = PageRenderer(data)
            del data
        except Exception as err:  # damaged file: the view shows the reason
            self.error = str(err)
            self.failed.emit(self.error)
            return
        try:
            while True:
                with self._lock:
                    while not self._jobs and not self._stop:
                        self._lock.wait()
                    if self._stop:
                        return
                    kind, page, zoom = self._jobs.pop(0)
                try:
                    if kind == "img":
                        r = renderer.render(page, zoom)
                        img = QImage(r.data, r.width, r.height, r.stride, QImage.Format_RGB888).copy()
                        self._deliver_image(page, zoom, img)
                    else:
                        self._deliver_words(page, renderer.words(page))
                except Exception as err:
                    self.failed.emit(f"page {page + 1}: {err}")
        finally:
            renderer.close()

    def _deliver_image(self, page: int, zoom: float, img: QImage) -> None:
        with self._lock:
            self._store(page, zoom, img)
        self.page_ready.emit(page, zoom)

    def _deliver_words(self, page: int, words: list) -> None:
        self.words[page] = words
        self.words_ready.emit(page)
