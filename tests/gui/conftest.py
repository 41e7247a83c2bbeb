import shutil

import pytest

from annotator.gui.main_window import MainWindow


@pytest.fixture
def demo_window(qtbot, demo_file, tmp_path):
    """The main window, shown, on a private copy of the demo workspace."""
    path = tmp_path / "demo.annot"
    shutil.copyfile(demo_file, path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_path(str(path))
    with qtbot.waitSignal(win.reading.passages.loaded, timeout=10000):
        pass  # the Passages list loads in the background
    return win
