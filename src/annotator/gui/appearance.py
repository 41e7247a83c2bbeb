"""Light and dark: the reader's colours come from the palette, and text on a theme's
highlight keeps a contrast of at least 4.5:1 (WCAG AA) on either background.

View > Appearance (and Edit > Settings) follows the desktop (System) or forces
Light or Dark; the choice is the user setting `appearance` (core/store/settings.py).
"""

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from annotator.core.store import settings

APPEARANCE_KEY = "appearance"
CHOICES = settings.info(APPEARANCE_KEY).choices
MIN_CONTRAST = 4.5


def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(c: QColor) -> float:
    return 0.2126 * _linear(c.red()) + 0.7152 * _linear(c.green()) + 0.0722 * _linear(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(top: QColor, under: QColor, alpha: float) -> QColor:
    mix = [
        round(t * alpha + u * (1 - alpha)) for t, u in zip(top.getRgb()[:3], under.getRgb()[:3], strict=True)
    ]
    return QColor(*mix)


def highlight(theme: str, page: QColor, text: QColor, alpha: float = 0.38) -> QColor:
    """The theme's colour laid over the page, as strong as it can be while the text on it
    keeps MIN_CONTRAST."""
    colour = QColor(theme)
    while alpha > 0.05:
        mixed = blend(colour, page, alpha)
        if contrast(mixed, text) >= MIN_CONTRAST:
            return mixed
        alpha -= 0.03
    return blend(colour, page, 0.05)


MIN_LINE_CONTRAST = 3.0  # WCAG 1.4.11: outlines and other marks that are not text


def outline(theme: str, page: QColor) -> QColor:
    """The theme's colour for a line drawn on the page (an area's outline), darkened or
    lightened until it stands out from the page by MIN_LINE_CONTRAST."""
    colour = QColor(theme)
    dark_page = luminance(page) < 0.5
    for _ in range(12):
        if contrast(colour, page) >= MIN_LINE_CONTRAST:
            break
        colour = colour.lighter(125) if dark_page else colour.darker(125)
    return colour


@dataclass(frozen=True)
class ReaderColours:
    page: QColor
    text: QColor
    quiet: QColor  # stage directions, line numbers
    gutter: QColor
    band: QColor  # the page heading band
    band_text: QColor
    roles: dict[str, QColor]
    dark: bool

    def highlight(self, theme: str) -> QColor:
        return _cached(theme, self.page.rgb(), self.text.rgb())


_CACHE: dict[tuple, QColor] = {}


def _cached(theme: str, page: int, text: int) -> QColor:
    key = (theme, page, text)
    if key not in _CACHE:
        _CACHE[key] = highlight(theme, QColor.fromRgb(page), QColor.fromRgb(text))
    return _CACHE[key]


# Speaker labels, Q. and A.: a darker shade on light pages, a lighter one on dark pages.
_ROLES_LIGHT = {"question": "#0D47A1", "answer": "#1B5E20", "heading": "#6A1B9A", "speech": "#4E342E"}
_ROLES_DARK = {"question": "#90CAF9", "answer": "#A5D6A7", "heading": "#CE93D8", "speech": "#D7CCC8"}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.Base).lightness() < 128


def reader_colours(palette: QPalette) -> ReaderColours:
    page = palette.color(QPalette.Base)
    text = palette.color(QPalette.Text)
    dark = is_dark(palette)
    quiet = blend(text, page, 0.6)
    return ReaderColours(
        page=page,
        text=text,
        quiet=quiet,
        gutter=blend(text, page, 0.06),
        band=blend(palette.color(QPalette.Highlight), page, 0.16),
        band_text=blend(text, page, 0.85),
        roles={k: QColor(v) for k, v in (_ROLES_DARK if dark else _ROLES_LIGHT).items()} | {"stage": quiet},
        dark=dark,
    )


def dark_palette() -> QPalette:
    pal = QPalette()
    colours = {
        QPalette.Window: "#2b2b2b",
        QPalette.WindowText: "#e6e6e6",
        QPalette.Base: "#1e1e1e",
        QPalette.AlternateBase: "#262626",
        QPalette.Text: "#e6e6e6",
        QPalette.Button: "#353535",
        QPalette.ButtonText: "#e6e6e6",
        QPalette.Highlight: "#3d6fb4",
        QPalette.HighlightedText: "#ffffff",
        QPalette.ToolTipBase: "#353535",
        QPalette.ToolTipText: "#e6e6e6",
        QPalette.PlaceholderText: "#9a9a9a",
        QPalette.Link: "#8ab4f8",
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        pal.setColor(QPalette.Disabled, role, QColor("#7a7a7a"))
    return pal


def chosen() -> str:
    return str(settings.user_value(APPEARANCE_KEY))


def choose(choice: str) -> None:
    settings.apply(None, {APPEARANCE_KEY: choice})


def apply(choice: str) -> None:
    """Follow the desktop, or force light or dark for the whole application."""
    app = QApplication.instance()
    if app is None:
        return
    if app.property(_DESKTOP_STYLE) is None:  # what the desktop gave, to go back to
        app.setProperty(_DESKTOP_STYLE, app.style().name())
    if choice in ("dark", "light"):
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if choice == "dark" else app.style().standardPalette())
    else:
        app.setStyle(str(app.property(_DESKTOP_STYLE)))
        app.setPalette(QPalette())  # an empty palette: the platform's own again


_DESKTOP_STYLE = "annotatorDesktopStyle"
