"""Time to a visible window: Annotator's main window on the demo workspace beside a bare
PySide6 QMainWindow, each in a fresh process, from before PySide6 is imported until the
window's first paint has been delivered. Ours goes through the window's own start-up
(annotator.gui.app.start), as `annotator demo.annot` does."""

import os
import tempfile
import time


def build_demo(path: str) -> dict:
    from annotator.core import demo

    if not os.path.exists(path):
        demo.build(path).close()
    return {"value": 0, "path": path}


def _prepare() -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # no saved layout or settings of the person running the benchmark
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bench-config-")


def _until_painted(app, window) -> None:
    from PySide6.QtCore import QEvent, QObject

    class Seen(QObject):
        painted = False

        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    seen = Seen()
    window.installEventFilter(seen)
    while not seen.painted:
        app.processEvents()
    app.processEvents()  # the rest of that first round of painting (the panels)


def window_ours(demo_path: str) -> dict:
    _prepare()
    t0 = time.perf_counter()
    from annotator.gui import app as gui_app

    app, window = gui_app.start([demo_path])  # what `annotator demo.annot` does before its event loop
    _until_painted(app, window)
    value = time.perf_counter() - t0
    window.close()
    return {"value": value}


def window_raw() -> dict:
    _prepare()
    t0 = time.perf_counter()
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(["bare"])
    window = QMainWindow()
    window.resize(1280, 720)
    window.show()
    _until_painted(app, window)
    value = time.perf_counter() - t0
    window.close()
    return {"value": value}
