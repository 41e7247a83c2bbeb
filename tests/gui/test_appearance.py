"""Light and dark: the reader follows the palette; text on every highlight stays readable."""

import json

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from annotator.core.util import resources
from annotator.gui import appearance


def _theme_colours() -> list[str]:
    data = resources.load_json("themes.json")
    found = []

    def walk(items):
        for item in items:
            found.append(item["colour"])
            walk(item.get("children", []))

    walk(data if isinstance(data, list) else data.get("themes", []))
    return found + ["#FFEB3B", "#000080", "#888888", "#E53935", "#00E5FF"]  # extremes users pick


def test_contrast_formula_matches_known_values():
    assert round(appearance.contrast(QColor("#000000"), QColor("#FFFFFF")), 1) == 21.0
    assert round(appearance.contrast(QColor("#777777"), QColor("#FFFFFF")), 2) == 4.48


def test_text_on_every_theme_highlight_keeps_4_5_to_1_in_both_palettes(qapp):
    colours = _theme_colours()
    assert len(colours) >= 9
    light = QApplication.style().standardPalette()
    for palette in (light, appearance.dark_palette()):
        c = appearance.reader_colours(palette)
        for theme in colours:
            ratio = appearance.contrast(c.highlight(theme), c.text)
            assert ratio >= 4.5, (theme, c.dark, round(ratio, 2))
        for role, colour in c.roles.items():  # speaker labels, Q. and A. on the page
            assert appearance.contrast(colour, c.page) >= 4.5, (role, c.dark)


def test_the_reader_paints_with_the_dark_palette(demo_window, qtbot):
    win = demo_window
    reader = win.open_document(1)
    reader.show_view("text")
    win.set_appearance("dark")
    try:
        view = reader.text_view
        # the new palette reaches existing widgets through posted events
        qtbot.waitUntil(
            lambda: view.colours.dark or view.palette().color(view.palette().ColorRole.Base).lightness() < 80
        )
        image = view.viewport().grab().toImage()
        corner = image.pixelColor(image.width() - 5, image.height() - 5)
        assert corner.lightness() < 80  # the page is dark, not white
        assert win.appearance_actions["dark"].isChecked()
        assert appearance.chosen() == "dark"  # kept in the user's settings
    finally:
        win.set_appearance("light")
        QApplication.instance().setPalette(QApplication.style().standardPalette())


def test_themes_file_is_json():
    assert json.loads(resources.path("themes.json").read_text(encoding="utf-8"))


def test_back_to_the_system_palette_after_forcing_dark(qapp):
    base = QApplication.palette().color(QApplication.palette().ColorRole.Base)
    appearance.apply("dark")
    assert appearance.is_dark(QApplication.palette())
    appearance.apply("system")
    assert QApplication.palette().color(QApplication.palette().ColorRole.Base) == base
