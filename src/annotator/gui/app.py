"""Start the window: `annotator`, `annotator gui [WS]`, `make run`."""

import os
import sys


def check_platform() -> str | None:
    """A sentence naming what is missing for a real window, or None."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform != "linux":
        return None
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return (
            "No display was found (DISPLAY is not set). Run on a desktop, or use "
            "`xvfb-run -a annotator` (Debian package: xvfb), or set QT_QPA_PLATFORM=offscreen."
        )
    from annotator.gui.sysdeps import missing_xcb_libraries

    missing = missing_xcb_libraries()
    if missing:
        return (
            "Qt needs system libraries that are missing: "
            + " ".join(missing)
            + ". Install them with: sudo apt-get install "
            + " ".join(missing)
        )
    return None


def scale_interface() -> None:
    """The user's interface scale (Edit > Settings), through Qt's own factor; it must be
    set before the application object exists, hence "applies after restart". A factor
    already in the environment wins."""
    from annotator.core.store import settings

    scale = int(settings.user_value("interface_scale"))
    if scale != 100 and "QT_SCALE_FACTOR" not in os.environ:
        os.environ["QT_SCALE_FACTOR"] = f"{scale / 100:g}"


def start(argv: list[str]):
    """The application and its window, shown, with the workspace named (or the demo, or
    the last one) open; returns (app, window) before the event loop runs."""
    # The core (SQLAlchemy, SQLModel) before PySide6: once PySide6 is loaded, shiboken
    # reads the source of every module imported after it, about 0.4 s more at start.
    import annotator.core.store.workspace  # noqa: F401

    scale_interface()
    from PySide6.QtWidgets import QApplication

    from annotator.gui.errors import install_excepthook
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["annotator"])
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    window = MainWindow()
    install_excepthook(window)
    window.show()
    if argv and argv[0] == "--demo":
        window.open_demo()
    elif argv:
        window.open_path(argv[0])
    else:
        from annotator.gui.start_page import reopen_last

        reopen_last(window)
    return app, window


def main(argv: list[str]) -> int:
    problem = check_platform()
    if problem:
        print(f"annotator: {problem}", file=sys.stderr)
        return 2
    app, _window = start(argv)
    if os.environ.get("ANNOTATOR_QUIT_WHEN_SHOWN"):  # start-up timing (make package-check)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: (print("window shown", flush=True), app.quit()))
    return app.exec()
