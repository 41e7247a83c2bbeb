"""Guard against Qt bindings that drop references to None (fatal on Python 3.11).

PySide6 6.12.0 decrements None's reference count on every call of a method
that returns nothing; on Python < 3.12 None is not immortal, so a busy window
eventually aborts with "deallocating None". pyproject.toml excludes that
release; this test catches a binding with the same fault.
"""

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_keep_none_alive(qtbot):
    label = QLabel("x")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.update()
        label.setText("y")
    assert sys.getrefcount(None) - before > -100
