"""Drive the real window on an X server: `annotator gui --demo`, select with the mouse, press 3.

Run by test_real_window.py under xvfb-run. Input goes through the X server
(xdotool), so it exercises the same path as a user's mouse and keyboard.
Each screenshot comes with the on-screen rectangle of the tagged words
(regions.json), so the test can look for the highlight there.

A step that raises, or waits in vain, ends the run at once with exit code 2
and the reason in drive.log; a watchdog ends a run that stops answering.
Usage: drive_window.py OUT_DIR
"""

import json
import os
import subprocess
import sys
import threading
import traceback

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication

OUT = sys.argv[1]
WATCHDOG_S = 90
app = QApplication(["annotator"])
state: dict = {"regions": {}}


def log(msg: str) -> None:
    with open(os.path.join(OUT, "drive.log"), "a") as fh:
        fh.write(msg + "\n")


def fail(reason: str) -> None:
    log(f"FAILED: {reason}")
    os._exit(2)  # at once: no dialog, no event loop left to hang in


def step(fn):
    """Run a step on a timer; any exception fails the whole run."""

    def run(*args):
        state["step"] = fn.__name__
        try:
            fn(*args)
        except Exception:
            fail(f"{fn.__name__}: {traceback.format_exc()}")

    return run


def later(ms: int, fn, *args) -> None:
    def run() -> None:
        try:
            fn(*args)
        except Exception:
            fail(f"{state.get('step')}: {traceback.format_exc()}")

    QTimer.singleShot(ms, run)


def wait_for(condition, then, what: str, tries: int = 40) -> None:
    """Poll every 250 ms (a busy machine is slow), then fail naming what never happened."""
    if condition():
        then()
    elif tries:
        later(250, wait_for, condition, then, what, tries - 1)
    else:
        fail(f"{state.get('step')}: {what} did not happen")


def window():
    from annotator.gui.main_window import MainWindow

    return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))


def xdo(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=20)


def on_screen(widget, x0: float, y0: float, x1: float, y1: float) -> list[int]:
    """A rectangle in a widget's coordinates, in screen pixels (as in the screenshot)."""
    a = widget.mapToGlobal(QPoint(int(x0), int(y0)))
    b = widget.mapToGlobal(QPoint(int(x1), int(y1)))
    return [a.x(), a.y(), b.x(), b.y()]


@step
def step_open():
    win = window()
    win.activateWindow()
    reader = win.open_document(1)
    reader.show_view("text")
    tv = reader.text_view
    k = next(i for i, ln in enumerate(reader.model.lines) if (ln.tpage, ln.line) == (1, 13))
    ln = reader.model.lines[k]
    tv.go_to((ln.page, ln.start), align_top=True)
    state.update(win=win, reader=reader, tv=tv, k=k, ln=ln)
    later(800, step_drag)


@step
def step_drag():
    tv, ln = state["tv"], state["ln"]
    y = int(tv.point_of((ln.page, ln.start)).y())
    a = tv.viewport().mapToGlobal(tv.viewport().rect().topLeft())
    x1 = int(tv.point_of((ln.page, ln.start + ln.text.index("Some") + 1), centre=False).x())
    x2 = int(tv.point_of((ln.page, ln.start + ln.text.index("pointed") + 4), centre=False).x())
    log(f"drag from {a.x() + x1},{a.y() + y} to {a.x() + x2},{a.y() + y}")
    xdo("mousemove", str(a.x() + x1), str(a.y() + y), "mousedown", "1")
    xdo("mousemove", str(a.x() + (x1 + x2) // 2), str(a.y() + y))
    xdo("mousemove", str(a.x() + x2), str(a.y() + y), "mouseup", "1")
    wait_for(lambda: bool(state["reader"].model.selection), step_key, "the drag selecting text")


@step
def step_key():
    reader = state["reader"]
    log(f"selected: {reader.model.selected_text()!r}")
    state["before"] = {m.id for m in reader.model.marks}
    xdo("key", "3")
    wait_for(lambda: len(reader.model.marks) > len(state["before"]), step_shoot, "key 3 tagging")


@step
def step_shoot():
    reader, tv, ln = state["reader"], state["tv"], state["ln"]
    state["pid"] = next(m.id for m in reader.model.marks if m.id not in state["before"])
    top_left = tv.point_of((ln.page, ln.start + ln.text.index("Some")), centre=False)
    y, x0 = top_left.y(), top_left.x()
    x1 = tv.point_of((ln.page, ln.start + ln.text.index("pointed") + len("pointed")), centre=False).x()
    state["regions"]["tagged-transcript.png"] = on_screen(tv.viewport(), x0, y, x1, y + tv.rh)
    app.primaryScreen().grabWindow(0).save(os.path.join(OUT, "tagged-transcript.png"))
    reader.show_view("pdf")
    view = reader.pdf_view
    wait_for(
        lambda: _pdf_mark_rects(view) and view.service.image(0, view.render_zoom()),
        step_shoot_pdf,
        "page 1 rendering",
    )


def _pdf_mark_rects(view):
    m = view.model.mark(state["pid"])
    if m is None or view.service.words.get(m.start[0]) is None:
        return []
    page = m.start[0]
    a, b = view._span_on(page, m.start, m.end)
    return view._rects(page, a, b, view.page_rect(page))


@step
def step_shoot_pdf():
    view = state["reader"].pdf_view
    view.viewport().repaint()
    rects = _pdf_mark_rects(view)
    left = min(r.left() for r in rects)
    top = min(r.top() for r in rects)
    right = max(r.right() for r in rects)
    bottom = max(r.bottom() for r in rects)
    state["regions"]["tagged-pdf.png"] = on_screen(view.viewport(), left, top, right, bottom)
    app.primaryScreen().grabWindow(0).save(os.path.join(OUT, "tagged-pdf.png"))
    with open(os.path.join(OUT, "regions.json"), "w") as fh:
        json.dump(state["regions"], fh)
    log(f"status: {state['win'].statusBar().currentMessage()}")
    state["win"].close()
    app.quit()


watchdog = threading.Timer(
    WATCHDOG_S, lambda: fail(f"no answer for {WATCHDOG_S} s (last step {state.get('step')})")
)
watchdog.daemon = True
watchdog.start()
later(500, wait_for, lambda: window().ctx.ws is not None, step_open, "the demo workspace opening", 120)
from annotator.gui.app import main  # noqa: E402

sys.exit(main(["--demo"]))
