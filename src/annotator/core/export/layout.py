"""A small page-layout engine: text flows down A4 pages as a list of drawing ops.

Layout runs before anything is drawn, so every page number is known when
the ops are finally painted; texts that name a bundle page are callables
resolved at paint time (their width never changes the layout: they are
kept on one line of fixed width).
"""

import bisect
import functools
from dataclasses import dataclass, field
from collections.abc import Callable
from itertools import accumulate
from typing import Any

import pymupdf

from annotator.core.export.pdfraw import FONT_RES, Raw, link, literal, show_string

WIDTH, HEIGHT = 595.0, 842.0  # A4 portrait
LEFT, RIGHT, TOP, BOTTOM = 56.0, 539.0, 58.0, 778.0  # the footer (stamp) lives below BOTTOM

# The bundle page stamp: a boxed number bottom right, a caption bottom left, on every
# page (on copied pages in a strip added below the original).
STAMP_SIZE, CAPTION_SIZE = 10.0, 7.5
STAMP_BLUE = (0.0, 0.22, 0.62)
FOOTER = 34.0  # height of the strip added below copied pages

INK = (0.12, 0.12, 0.14)
GREY = (0.42, 0.42, 0.46)
LINK = (0.05, 0.25, 0.65)
NOTE_BG = (0.95, 0.95, 0.92)
NOTE_BAR = (0.62, 0.55, 0.30)

_FONTS: dict[str, pymupdf.Font] = {}
FONT_NAMES = {
    "sans": "helv",
    "bold": "hebo",
    "italic": "heit",
    "serif": "tiro",
    "serif-bold": "tibo",
    "serif-italic": "tiit",
    "mono": "cour",
    "mono-bold": "cobo",
}


def font(key: str) -> pymupdf.Font:
    if key not in _FONTS:
        _FONTS[key] = pymupdf.Font(FONT_NAMES[key])
    return _FONTS[key]


_ADVANCES: dict[str, dict[str, float]] = {}
# Printable ASCII glyphs of our fonts are between these widths (em): a short text
# needs no measuring, and of a long one only a head can fit.
WIDEST, NARROWEST = 1.05, 0.17


def text_width(text: str, key: str, size: float) -> float:
    # Font.text_length crosses into MuPDF once per character; wrapping a 1,000-passage
    # bundle measures millions of characters, so each glyph's advance is asked once.
    adv = _ADVANCES.get(key) or _advances(key, text)
    try:
        return size * sum(map(adv.__getitem__, text))
    except KeyError:
        return size * sum(map(_advances(key, text).__getitem__, text))


def stamp_left(label: str, right: float) -> float:
    """Left edge of the stamp box whose right edge is 36 pt in from `right`."""
    return right - 36 - (text_width(label, "bold", STAMP_SIZE) + 14)


def stamp_caption(caption: str, box_left: float) -> str:
    """The caption cut to the room left of the stamp."""
    return fit(caption, "sans", CAPTION_SIZE, box_left - 48)


@functools.lru_cache(maxsize=1024)  # a bundle asks for the same few theme colours thousands of times
def hex_rgb(colour: str) -> tuple[float, float, float]:
    c = (colour or "#888888").lstrip("#")
    try:
        return tuple(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return (0.5, 0.5, 0.5)


@functools.lru_cache(maxsize=1024)
def tint(rgb: tuple[float, float, float], amount: float) -> tuple[float, float, float]:
    """Mix a colour with white (amount 0 = colour, 1 = white)."""
    return tuple(c + (1 - c) * amount for c in rgb)  # type: ignore[return-value]


def fit(text: str, key: str, size: float, width: float) -> str:
    """Cut a text to one line of the given width, with an ellipsis."""
    text = " ".join((text or "").split())
    longest = int(width / (size * NARROWEST)) + 1
    if not (text.isascii() and text.isprintable()):
        if text_width(text, key, size) <= width:
            return text
    elif len(text) * size * WIDEST <= width:
        return text
    elif len(text) > longest:
        text = text[:longest]  # it cannot fit, and the cut below is the same without the rest
    elif text_width(text, key, size) <= width:
        return text
    adv = _advances(key, "…")
    cum = list(accumulate(map(adv.__getitem__, text)))  # cum[k - 1]: width of text[:k]
    keep = bisect.bisect_right(cum, width / size - adv["…"] + 1e-9)
    return text[:keep].rstrip() + "…"


def _advances(key: str, text: str) -> dict[str, float]:
    """Glyph advances at size 1 for every character of `text` (asked of MuPDF once
    each; printable ASCII all at once, the first time a font is used)."""
    adv = _ADVANCES.get(key)
    if adv is None:
        adv = _ADVANCES[key] = {}
        text = _PRINTABLE + text
    elif text.isascii() and text.isprintable():
        return adv
    missing = set(text) - adv.keys()
    if missing:
        f = font(key)
        for ch in missing:
            adv[ch] = f.text_length(ch, fontsize=1.0)
    return adv


_PRINTABLE = "".join(map(chr, range(32, 127)))


def wrap(text: str, key: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; paragraphs (newlines) are kept; runs of spaces become one;
    a word wider than the column is split.

    Each line is found by bisecting the running width of the paragraph for the
    furthest character that fits, then backing off to the last space: a few
    steps per line rather than one per word."""
    adv = _advances(key, (text or "") + " ")  # lines are joined with plain spaces
    limit = width / size
    out: list[str] = []
    for para in (text or "").split("\n"):
        line = " ".join(para.split())
        if not line:
            out.append("")
            continue
        cum = [0.0, *accumulate(map(adv.__getitem__, line))]  # cum[k]: width of line[:k]
        n, start = len(line), 0
        while start < n:
            end = bisect.bisect_right(cum, cum[start] + limit + 1e-9) - 1  # line[start:end] fits
            if end >= n:
                out.append(line[start:])
                break
            cut = line.rfind(" ", start, end + 1)
            if cut <= start:  # no space to break at: split the word
                cut = max(end, start + 1)
                out.append(line[start:cut])
                start = cut
            else:
                out.append(line[start:cut])
                start = cut + 1
    return out


@dataclass(slots=True)  # millions in a whole-inquiry bundle: no per-op __dict__
class Op:
    kind: str  # text | rect | line | link
    rect: tuple[float, float, float, float]
    text: str | Callable[..., str] = ""  # or, once pages are placed, text from the resolver
    font: str = "sans"
    size: float = 10.0
    colour: tuple[Any, ...] = INK
    fill: tuple[Any, ...] | None = None
    target: object = None


@dataclass
class Flow:
    """Lays text out down the page; starts new pages as needed."""

    header: str = ""
    pages: list[list[Op]] = field(default_factory=list)
    marks: dict[object, tuple[int, float]] = field(default_factory=dict)  # key -> (page in this flow, y)
    y: float = TOP

    def new_page(self) -> None:
        self.pages.append([])
        self.y = TOP
        if self.header:
            self.pages[-1].append(
                Op("text", (LEFT, 30, RIGHT, 42), fit(self.header, "sans", 8, RIGHT - LEFT), "sans", 8, GREY)
            )
            self.pages[-1].append(Op("line", (LEFT, 44, RIGHT, 44), colour=(0.8, 0.8, 0.8)))

    @property
    def page(self) -> int:
        return len(self.pages) - 1

    def room(self) -> float:
        return BOTTOM - self.y

    def ensure(self, height: float) -> None:
        if not self.pages or self.y + height > BOTTOM:
            self.new_page()

    def gap(self, height: float) -> None:
        self.y += height

    def mark(self, key: object) -> None:
        self.ensure(0)
        self.marks[key] = (self.page, self.y)

    def op(self, op: Op) -> None:
        self.pages[-1].append(op)

    def line(
        self,
        text: str | Callable[..., str],
        x: float = LEFT,
        key: str = "sans",
        size: float = 10,
        colour: tuple[float, float, float] = INK,
        width: float | None = None,
        leading: float = 1.3,
        target: object = None,
        fill: tuple[float, float, float] | None = None,
        fitted: bool = False,
    ) -> tuple[Any, ...]:
        """One line of text (a callable text is resolved at paint time); `fitted` says
        the caller has already wrapped it to the width."""
        h = size * leading
        if not self.pages or self.y + h > BOTTOM:  # ensure(h), inline: this runs for every line
            self.new_page()
        ops, y = self.pages[-1], self.y
        w = width if width is not None else RIGHT - x
        rect = (x, y, x + w, y + h)
        if fill is not None:
            ops.append(Op("rect", (x - 5.5, y, x + w + 4, y + h), fill=fill))
        if not fitted and not callable(text):
            text = fit(text, key, size, w)
        ops.append(Op("text", rect, text, key, size, colour))
        if target is not None:
            tw = w if callable(text) else min(w, text_width(text, key, size))
            ops.append(Op("link", (x, y, x + tw, y + h), target=target))
        self.y = y + h
        return rect

    def para(
        self,
        text: str,
        x: float = LEFT,
        key: str = "sans",
        size: float = 10,
        colour: tuple[float, float, float] = INK,
        width: float | None = None,
        leading: float = 1.3,
    ) -> None:
        w = width if width is not None else RIGHT - x
        for ln in wrap(text, key, size, w):
            self.line(ln, x, key, size, colour, w, leading, fitted=True)

    def shade(self, page: int, top: float, x0: float, x1: float, fill: tuple[float, float, float]) -> None:
        """A band from (page, top) down to where the flow is now, one rectangle per page."""
        for p in range(page, self.page + 1):
            y0 = top if p == page else TOP
            y1 = self.y if p == self.page else BOTTOM
            self.pages[p].append(Op("rect", (x0, y0, x1, y1), fill=fill))


def paint(
    raw: Raw, n: int, xref: int, ops: list[Op], resolve: Callable[[object], tuple[int | None, float]]
) -> list[tuple[Any, ...]]:
    """Draw page n's ops; `resolve` turns link targets and callables into numbers.

    Links are returned as (rect, target page, y) for `add_links`, which writes
    them all at once (insert_link one by one is slow)."""
    links: list[tuple[Any, ...]] = []
    texts: list[tuple[Op, str]] = []
    shapes: list[str] = []
    for op in ops:
        kind = op.kind
        if kind == "text":
            text = op.text(resolve) if callable(op.text) else op.text
            if text:
                texts.append((op, text))
        elif kind == "link":
            page_no, y = resolve(op.target)
            if page_no is not None:
                links.append((op.rect, page_no, y))
        else:
            _shape(op, shapes)
    literals = [literal(text) for _op, text in texts]
    if None in literals:  # text outside WinAnsi: MuPDF embeds a font that has it
        # resources of its own, for PyMuPDF to add its fonts to (not the shared ones)
        raw.put(xref, "Resources", "<<>>")
        if shapes:
            drawing = raw.later("<<>>", ("q\n" + "\n".join(shapes) + "\nQ\n").encode("latin-1"))
            raw.put(xref, "Contents", f"{drawing} 0 R")
        raw.hand_over()  # PyMuPDF writes this page's text
        page = raw.doc[n]
        writers: dict[tuple[Any, ...], pymupdf.TextWriter] = {}
        for op, text in texts:
            tw = writers.get(op.colour)
            if tw is None:
                tw = writers[op.colour] = pymupdf.TextWriter(page.rect)
            _show(tw, op.rect[0], op.rect[1] + op.size * 1.0, text, op.font, op.size)
        for ink, tw in writers.items():
            tw.write_text(page, color=ink)
        return links
    out = ["q", *shapes, "Q", "BT"]
    font: str | None = None
    size: float | None = None
    colour: tuple[Any, ...] | None = None
    for (op, _text), lit in zip(texts, literals, strict=False):
        if op.font != font or op.size != size:
            font, size = op.font, op.size
            out.append(f"/{FONT_RES[font]} {size:g} Tf")
        if op.colour != colour:
            colour = op.colour
            out.append(f"{rgb(colour)} rg")
        out.append(f"1 0 0 1 {op.rect[0]:.2f} {HEIGHT - op.rect[1] - op.size:.2f} Tm {lit} Tj")
    out.append("ET\n")
    # a new page (Raw.new_pages): the shared fonts are its resources already
    contents = raw.later("<<>>", "\n".join(out).encode("latin-1"))
    raw.put(xref, "Contents", f"{contents} 0 R")
    return links


@functools.lru_cache(maxsize=1024)
def rgb(c: tuple[Any, ...]) -> str:
    """A colour as PDF operands ("0 0.22 0.62")."""
    return " ".join(f"{v:.4g}" for v in c)


def _shape(op: Op, out: list[str]) -> None:
    """A rectangle, box or rule as PDF drawing operators (pages we paint are
    unrotated A4, so y is simply flipped)."""
    x0, y0, x1, y1 = op.rect
    if op.kind == "line":
        out.append(f"0.6 w {rgb(op.colour)} RG {x0:.2f} {HEIGHT - y0:.2f} m {x1:.2f} {HEIGHT - y1:.2f} l S")
        return
    r = f"{x0:.2f} {HEIGHT - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re"
    if op.kind == "rect" and op.fill is not None:
        out.append(f"{rgb(op.fill)} rg {r} f")
    elif op.kind == "box":
        stroke = f"1.1 w {rgb(op.colour)} RG " if op.colour is not None else ""
        fill = f"{rgb(op.fill)} rg " if op.fill is not None else ""
        if stroke or fill:
            out.append(f"{stroke}{fill}{r} {'B' if stroke and fill else ('S' if stroke else 'f')}")


def _show(tw: pymupdf.TextWriter, x: float, baseline: float, text: str, key: str, size: float) -> None:
    """TextWriter.append without its per-call bounding box and point objects (which
    cost more than the text itself: 4x as fast); the page is unrotated A4."""
    show_string(tw, font(key), size, x, HEIGHT - baseline, text)


def add_links(
    raw: Raw, page_no: int, links: list[tuple[Any, ...]], xrefs: list[int], generated: set[int]
) -> None:
    """Write GoTo link annotations for an unrotated A4 page we generated, in one go.

    Targets we generated open at the linked line; copied source pages open whole."""
    if not links:
        return
    raw.add_annots(
        xrefs[page_no],
        [
            raw.later(link((x0, HEIGHT - y1, x1, HEIGHT - y0), dest(xrefs, target, y, generated)))
            for (x0, y0, x1, y1), target, y in links
        ],
    )


def dest(xrefs: list[int], target: int, y: float, generated: set[int]) -> str:
    """A page we generated opens at the linked line; a copied source page opens whole."""
    if target in generated:
        return f"[{xrefs[target]} 0 R/XYZ 0 {HEIGHT - max(0.0, y - 12):g} 0]"
    return f"[{xrefs[target]} 0 R/Fit]"
