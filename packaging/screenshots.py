"""`make screenshots`: the README's pictures, taken from the real window.

Runs itself under xvfb-run on a 1366x768 screen (a common laptop), opens
the demo workspace and photographs each main screen, once with a light and
once with a dark system colour scheme. Usage: screenshots.py OUT_FOLDER
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SCREEN = "1366x768x24"
SHOTS = ("transcript", "wrapped", "pdf", "search", "export", "about")


def outer(out: Path) -> int:
    """Start Xvfb and this script inside it, once per colour scheme."""
    if not shutil.which("xvfb-run"):
        print("make screenshots needs xvfb-run (Debian package xvfb).", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(
                os.environ,
                QT_QPA_PLATFORM="xcb",
                ANNOTATOR_DATA_DIR=str(Path(tmp) / "data"),
                ANNOTATOR_LOG_DIR=str(Path(tmp) / "logs"),
                XDG_CONFIG_HOME=str(Path(tmp) / "config"),
            )
            cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}", sys.executable, __file__, "--inside"]
            proc = subprocess.run([*cmd, str(out), scheme], env=env, timeout=300)
            if proc.returncode != 0:
                return proc.returncode
    print("\n".join(sorted(str(p) for p in out.glob("*.png"))))
    return 0


def inside(out: Path, scheme: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.gui.appearance import dark_palette
    from annotator.gui.main_window import MainWindow

    app = QApplication(["annotator"])
    if scheme == "dark":  # what a desktop set to dark hands every application
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    win = MainWindow()
    win.resize(1366, 740)
    win.show()
    win.open_demo()
    steps = iter(_steps(win))

    def shoot(name: str) -> None:
        app.primaryScreen().grabWindow(0).save(str(out / f"{name}-{scheme}.png"))

    def next_step() -> None:
        try:
            name, action, wait = next(steps)
        except StopIteration:
            app.quit()
            return
        try:
            widget = action()
        except Exception as err:  # a broken step ends the run, said, rather than hanging it
            print(f"screenshot {name} failed: {err!r}", file=sys.stderr)
            app.exit(1)
            return

        def done():
            shoot(name)
            if widget is not None:
                widget.close()
            next_step()

        QTimer.singleShot(wait, done)

    def when_open(tries: int = 600) -> None:
        # the demo is built in the background the first time: wait for it (60 s at most)
        if win.ctx.ws is not None:
            QTimer.singleShot(1500, next_step)
        elif tries:
            QTimer.singleShot(100, lambda: when_open(tries - 1))
        else:
            print("the demo workspace did not open", file=sys.stderr)
            app.exit(1)

    when_open()
    if app.exec() != 0:
        return 1
    missing = [n for n in SHOTS if not (out / f"{n}-{scheme}.png").exists()]
    if missing:
        print(f"screenshots missing: {missing}", file=sys.stderr)
        return 1
    return 0


def _steps(win):
    """(name, action returning a window to close afterwards or None, wait in ms)."""

    def transcript():
        reader = win.open_document(1)
        reader.show_view("text")
        return None

    def wrapped():
        """The press report (a paragraph a line): long lines wrapped, a passage selected
        from a word on one row of a wrapped line to a word two rows below."""
        reader = win.open_document(2)
        reader.show_view("text")
        tv, lines = reader.text_view, reader.model.lines
        k = max(range(len(lines)), key=lambda i: len(lines[i].text))
        ln, starts = lines[k], tv.rowmap.starts(k)
        tv.go_to((ln.page, ln.start), align_top=False)
        a = ln.text.index(" ", starts[0] + 12) + 1  # a word on the first row ...
        last = starts[2] if len(starts) > 2 else len(ln.text)
        b = ln.text.index(" ", last + 8) if " " in ln.text[last + 8 :] else len(ln.text)  # ... to the third
        reader.model.set_selection((ln.page, ln.start + a), (ln.page, ln.start + b))
        tv.setFocus()
        return None

    def pdf():
        win.open_document(1).show_view("pdf")
        return None

    def search():
        win.search.set_query('"quality of care" OR staffing')
        return None

    def export():
        from annotator.gui.dialogs.export_dialog import open_export_dialog

        return open_export_dialog(win)

    def about():
        from annotator.gui.dialogs.about import AboutDialog

        dialog = AboutDialog(win)
        dialog.show()
        return dialog

    return [
        ("transcript", transcript, 1200),
        ("wrapped", wrapped, 1200),
        ("pdf", pdf, 1500),
        ("search", search, 1500),
        ("export", export, 1500),
        ("about", about, 800),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inside"]:
        sys.exit(inside(Path(sys.argv[2]), sys.argv[3]))
    sys.exit(outer(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots").resolve()))
