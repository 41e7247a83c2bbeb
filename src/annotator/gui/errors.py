"""Unexpected errors: a dialog with a short message and 'Copy details', a log
entry, and the app keeps running."""

import sys
import traceback

from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from annotator.core.util.errors import AnnotatorError
from annotator.core.util.logs import log_exception


def show_error(parent, err: BaseException, title: str = "Something went wrong") -> None:
    if isinstance(err, AnnotatorError):
        QMessageBox.warning(parent, "Annotator", str(err))
        return
    where = log_exception(err)
    details = "".join(traceback.format_exception(type(err), err, err.__traceback__))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Critical)
    box.setWindowTitle(title)
    box.setText(f"{type(err).__name__}: {err}\n\nYour work is saved. Details were written to {where}.")
    box.setDetailedText(details)
    copy = box.addButton("Copy details", QMessageBox.ActionRole)
    box.addButton(QMessageBox.Close)
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.exec()


def install_excepthook(window) -> None:
    def hook(kind, err, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, err, tb)
            return
        err.__traceback__ = tb
        try:
            show_error(window, err)
        except Exception:
            sys.__excepthook__(kind, err, tb)

    sys.excepthook = hook


def problem_label() -> QLabel:
    """Where a dialog says, in red, what is wrong with what was typed."""
    from annotator.gui.appearance import is_dark

    label = QLabel()
    # a dark red on light pages, a light one on dark pages: readable on both (> 4.5:1)
    label.setStyleSheet("color: #ff8a80" if is_dark(QApplication.palette()) else "color: #b00020")
    label.setWordWrap(True)
    return label
