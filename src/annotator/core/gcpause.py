"""Pause Python's cyclic garbage collector around bulk work.

Importing a transcript, listing every passage or writing a bundle builds
hundreds of thousands of small objects that live to the end of the work and
form no reference cycles. Each time enough objects have been made, the
cyclic collector scans them all again, for nothing: that was 30-50 % of
the time of these operations. Reference counting still frees everything.
"""

import gc
import threading
from contextlib import ContextDecorator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


class paused(ContextDecorator):
    """`with paused():` or `@paused()`; nests, and is safe across threads (the
    collector is switched back on when the last pause ends, if it was on)."""

    def __enter__(self):
        global _depth, _was_enabled
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        return self

    def __exit__(self, *exc):
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
        return False
