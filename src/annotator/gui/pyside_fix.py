"""Guard against a PySide6 reference-count bug on `True`.

In PySide6 6.12.0 every `SignalInstance.emit()` from Python returns `True`
without taking a reference, so each emit lowers True's count by one. After
a few thousand emits (scrolling a long PDF emits two per page) the count
reaches zero and Python aborts with "bool_dealloc". We probe once; if the
bug is there we give True and False a large reserve and top it up on a
timer, which keeps the app alive whatever the Qt version.
"""

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer, Signal

RESERVE = 1 << 24
_state = {"checked": False, "buggy": False, "timer": None}


class _Probe(QObject):
    ping = Signal()


def _top_up() -> None:
    for obj in (True, False):
        if sys.getrefcount(obj) < RESERVE // 2:
            # ob_refcnt is the first field of every CPython object; Py_IncRef in a loop is slow.
            ctypes.c_ssize_t.from_address(id(obj)).value += RESERVE


def install() -> bool:
    """Probe once; returns True when the bug was found and the guard is on."""
    if _state["checked"]:
        return _state["buggy"]
    _state["checked"] = True
    if hasattr(sys, "_is_immortal") and sys._is_immortal(True):  # Python 3.12+ bools are immortal
        return False
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.ping.emit()
    after = sys.getrefcount(True)
    if after >= before - 8:
        return False
    _state["buggy"] = True
    _top_up()
    timer = QTimer()
    timer.setInterval(2000)
    timer.timeout.connect(_top_up)
    timer.start()
    _state["timer"] = timer
    return True


def top_up() -> None:
    """Call from hot loops that emit many signals between timer ticks."""
    if _state["buggy"]:
        _top_up()
