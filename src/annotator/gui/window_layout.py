"""The window on a laptop screen: fits the screen, remembers its layout, reading mode.

The size and the docks' arrangement are kept in the user's settings
(QSettings), not in the workspace: they belong to this screen, not to the
inquiry. A layout saved on a larger screen is moved back inside this one.
"""

from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

PREFERRED = (1400, 900)
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
STATE_VERSION = 1  # bump when the docks change, so an old arrangement is not applied
DOCK_MINIMUM = (180, 90)


def available(window: QMainWindow) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QMainWindow) -> None:
    """The preferred size, or what the screen has room for, centred on it."""
    area = available(window)
    width = min(PREFERRED[0], area.width())
    height = min(PREFERRED[1], area.height())
    frame = window.frameGeometry().size() - window.geometry().size()  # title bar and borders
    width, height = width - frame.width(), height - frame.height()
    window.resize(width, height)
    window.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)


def settle_docks(window: QMainWindow) -> None:
    """Minimum sizes so that no panel collapses to nothing or overlaps another."""
    for dock in window.findChildren(QDockWidget):
        dock.setMinimumSize(*DOCK_MINIMUM)


def scrollable(widget: QWidget) -> QScrollArea:
    """A tall panel inside a scroll area, so that on a short screen it scrolls instead of
    pushing the window taller than the screen."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    return area


def save(window: QMainWindow, settings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState(STATE_VERSION))


def restore(window: QMainWindow, settings) -> bool:
    """Put back the saved size and docks; False (and a fitted window) when there are none."""
    geometry, state = settings.value(GEOMETRY_KEY), settings.value(STATE_KEY)
    if not isinstance(geometry, QByteArray) or not window.restoreGeometry(geometry):
        fit_to_screen(window)
        return False
    if isinstance(state, QByteArray):
        window.restoreState(state, STATE_VERSION)
    keep_inside(window)
    return True


def keep_inside(window: QMainWindow) -> None:
    """A window saved on a bigger screen, or off its edge, is brought back inside."""
    area = available(window)
    rect = window.geometry()
    if area.contains(rect):
        return
    width, height = min(rect.width(), area.width()), min(rect.height(), area.height())
    x = min(max(rect.x(), area.x()), area.right() - width + 1)
    y = min(max(rect.y(), area.y()), area.bottom() - height + 1)
    window.setGeometry(x, y, width, height)


def reset(window: QMainWindow, default_state: QByteArray, settings) -> None:
    """View > Reset layout: the docks as on first start, the window fitted."""
    window.restoreState(default_state, STATE_VERSION)
    for dock in window.findChildren(QDockWidget):
        dock.setFloating(False)
        dock.show()
    settings.remove(GEOMETRY_KEY)
    settings.remove(STATE_KEY)
    if window.isFullScreen() or window.isMaximized():
        window.showNormal()
    fit_to_screen(window)


class ReadingMode:
    """F11: the docks step aside and the reader fills the window; F11 again puts them back."""

    def __init__(self, window: QMainWindow):
        self.window = window
        self.hidden: list[QDockWidget] = []

    @property
    def on(self) -> bool:
        return bool(self.hidden)

    def toggle(self) -> None:
        if self.hidden:
            for dock in self.hidden:
                dock.show()
            self.hidden = []
            return
        self.hidden = [d for d in self.window.findChildren(QDockWidget) if d.isVisible()]
        for dock in self.hidden:
            dock.hide()
        self.window.centralWidget().setFocus(Qt.OtherFocusReason)
