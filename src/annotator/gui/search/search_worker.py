"""Searches run on their own thread, newest request wins.

Typing sends a request per keystroke (after a short pause); the worker
keeps only the latest. A search still running when a newer one arrives is
interrupted through search()'s `cancelled` callback, so the thread is
always working on what the user typed last. Each search opens its own read
session on the workspace's engine.
"""

import threading

from PySide6.QtCore import QThread, Signal

from annotator.core.search import Results, search


class SearchWorker(QThread):
    finished_search = Signal(int, object)  # (request number, Results)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cond = threading.Condition()
        self._pending = None  # (number, ws, query, limit, offset, order)
        self._latest = 0
        self._stop = False

    def request(self, ws, query: str, limit: int, offset: int, order: str) -> int:
        with self._cond:
            self._latest += 1
            self._pending = (self._latest, ws, query, limit, offset, order)
            self._cond.notify()
            return self._latest

    def cancel(self) -> None:
        """Forget pending work and interrupt the running search."""
        with self._cond:
            self._latest += 1
            self._pending = None

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._latest += 1
            self._cond.notify()
        self.wait()

    def run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                number, ws, query, limit, offset, order = self._pending
                self._pending = None
            try:
                res = search(
                    ws,
                    query,
                    limit=limit,
                    offset=offset,
                    order=order,
                    cancelled=lambda n=number: self._latest != n,
                )
            except Exception as err:  # e.g. the workspace was closed under us
                res = Results(query, notices=[f"The search could not run: {err}"])
            if self._latest == number:
                self.finished_search.emit(number, res)
