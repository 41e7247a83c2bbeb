"""Drive the real window on an X server: `annotator gui --demo`, select with the mouse, press 3.

Run by test_real_window.py under xvfb-run. Input goes through the X server
(xdotool), so it exercises the same path as a user's mouse and keyboard.
Usage: drive_window.py OUT_DIR
"""

import os
import subprocess
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

OUT = sys.argv[1]
app = QApplication(["annotator"])
state = {}


def log(msg: str) -> None:
    with open(os.path.join(OUT, "drive.log"), "a") as fh:
        fh.write(msg + "\n")


def window():
    from annotator.gui.main_window import MainWindow

    return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))


def xdo(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=20)


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
    QTimer.singleShot(800, step_drag)


def step_drag():
    tv, ln, k = state["tv"], state["ln"], state["k"]
    row = tv._row_of_line[k]
    y = int(tv._row_y(row) + tv.rh / 2)
    a = tv.viewport().mapToGlobal(tv.viewport().rect().topLeft())
    x1 = int(tv._x(ln.text.index("Some") + 1))
    x2 = int(tv._x(ln.text.index("pointed") + 4))
    log(f"drag from {a.x() + x1},{a.y() + y} to {a.x() + x2},{a.y() + y}")
    xdo("mousemove", str(a.x() + x1), str(a.y() + y), "mousedown", "1")
    xdo("mousemove", str(a.x() + (x1 + x2) // 2), str(a.y() + y))
    xdo("mousemove", str(a.x() + x2), str(a.y() + y), "mouseup", "1")
    QTimer.singleShot(800, step_key)


def step_key(tries: int = 20):
    if not state["reader"].model.selection and tries:  # a busy machine: wait for the drag to land
        QTimer.singleShot(300, lambda: step_key(tries - 1))
        return
    log(f"selected: {state['reader'].model.selected_text()!r}")
    state["before"] = len(state["reader"].model.marks)
    xdo("key", "3")
    QTimer.singleShot(500, step_wait_tag)


def step_wait_tag(tries: int = 30):
    if len(state["reader"].model.marks) == state["before"] and tries:
        QTimer.singleShot(300, lambda: step_wait_tag(tries - 1))
        return
    QTimer.singleShot(300, step_shoot)


def step_shoot():
    app.primaryScreen().grabWindow(0).save(os.path.join(OUT, "tagged-transcript.png"))
    reader = state["reader"]
    reader.show_view("pdf")
    QTimer.singleShot(1500, step_shoot_pdf)


def step_shoot_pdf():
    app.primaryScreen().grabWindow(0).save(os.path.join(OUT, "tagged-pdf.png"))
    log(f"status: {state['win'].statusBar().currentMessage()}")
    state["win"].close()
    app.quit()


QTimer.singleShot(1500, step_open)
from annotator.gui.app import main  # noqa: E402

sys.exit(main(["--demo"]))
