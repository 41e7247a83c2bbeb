import sys

from PySide6.QtCore import QObject, Signal

from annotator.gui import pyside_fix


class _S(QObject):
    sig = Signal(int)


def test_many_signal_emits_do_not_exhaust_true(qapp):
    pyside_fix.install()
    s = _S()
    before = sys.getrefcount(True)
    for i in range(20000):  # enough to abort Python on PySide6 6.12 without the guard
        s.sig.emit(i)
    assert sys.getrefcount(True) > 1000
    assert before > 1000
