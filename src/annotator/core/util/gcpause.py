"""Pause Python's cyclic garbage collector around bulk work.

Importing a transcript, listing every passage or writing a bundle builds
hundreds of thousands of small objects that live to the end of the work and
form no reference cycles. Each time enough objects have been made, the
cyclic collector scans them all again, for nothing: that was 30-50 % of
the time of these operations. Reference counting still frees everything.

The collector is one for the whole process, so a pause is a `with` block
around the loop that builds the objects, inside the function that runs on
the worker thread: never a whole operation, its waits and its file writes,
and never a decorator that would pause whoever calls the function.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """`with paused():` — nests, and is safe across threads (the collector is
    switched back on when the last pause ends, if it was on before the first)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
