"""Fast marking of copied source pages: highlights, links back, footer strip, stamp.

The general path (sources.decorate + bundle._stamp) goes through PyMuPDF's
Shape, insert_text and redaction calls, which re-parse the page, merge fonts
and count q/Q balance on every call: about 10 ms a page. For the common case
(an upright page whose box starts at 0,0 and holds no redacted passage) this
module writes the same result as raw PDF text instead: one content stream per
page (highlights, then the stamp) using shared Base-14 fonts, and the link
annotations, all parsed in one go. Both paths paint highlights the same way
(fill, paint_over).
"""

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from annotator.core.export.layout import (
    CAPTION_SIZE,
    FOOTER,
    STAMP_BLUE,
    STAMP_SIZE,
    dest,
    hex_rgb,
    rgb,
    tint,
    stamp_caption,
    stamp_left,
)
from annotator.core.export.pdfraw import Raw, link, literal, refs
from annotator.core.export.plan import Extract

if TYPE_CHECKING:
    from annotator.core.export.sources import SourcePage

BLUE = rgb(STAMP_BLUE)
OPACITY = 0.45
# Our names in a copied page's resources: the original's own names stay as they are,
# so ours must be ones no PDF producer would choose.
GS = "AnnotatorHighlight"
FONTS = {"sans": "AnnotatorSans", "bold": "AnnotatorBold"}


def _shared(raw: Raw) -> tuple[int, int]:
    """(graphics-state push stream, 45 % multiply ExtGState), made once per bundle and
    shared by every marked page: the push saves the original's graphics state."""
    if "marks" not in raw.shared:
        raw.shared["marks"] = (
            raw.later("<<>>", b"q\n"),
            raw.later(f"<</Type/ExtGState/CA {OPACITY}/ca {OPACITY}/BM/Multiply>>"),
        )
    push, gs = raw.shared["marks"]
    return push, gs


_ENTRY = re.compile(r"/(Rotate|MediaBox|CropBox|Resources|Contents|Annots)(\[[^\]]*\]|[^/\[>]*)")
_REF = re.compile(r"(\d+) 0 R")


def geometry(raw: Raw, xref: int) -> tuple[float, float, list[int]] | None:
    """(width, height, content stream numbers) of a page the fast path can mark, else None.

    A page dictionary without nested dictionaries or strings (the common case: its
    resources are an object of their own) is read from its printed form in one call;
    any other is read key by key with MuPDF's own calls (Document.xref_get_key
    prints and re-parses the whole object on every call)."""
    text = raw.doc.xref_object(xref, compressed=True)
    if text.count("<") != 2 or text.count(">") != 2 or "(" in text:
        return raw.page_geometry(xref)
    found = dict(_ENTRY.findall(text))
    if "Annots" in found:  # copied pages come without annotations; anything else is unusual
        return None
    try:
        if int(found.get("Rotate", "0")) % 360:
            return None
        media = _box(found["MediaBox"])
        crop = _box(found["CropBox"]) if "CropBox" in found else media
    except (KeyError, ValueError):
        return None
    if (
        media is None
        or media[0]
        or media[1]
        or crop != media
        or not _REF.fullmatch(found.get("Resources", "").strip())
    ):
        return None
    contents = found.get("Contents", "").strip()
    if contents.startswith("["):
        refs = [int(n) for n in _REF.findall(contents)]
    elif _REF.fullmatch(contents) and raw.doc.xref_is_stream(int(contents.split()[0])):
        refs = [int(contents.split()[0])]
    else:
        return None  # no contents, or a reference to an array of streams: the general path
    return media[2], media[3], refs


def _box(text: str) -> list[float] | None:
    nums = text.strip().strip("[]").split()
    return [float(n) for n in nums] if text.strip().startswith("[") and len(nums) == 4 else None


def fill(e: Extract, rects: Sequence[Sequence[float]]) -> str:
    """Drawing operators that fill an extract's rectangles (PDF space) in its first
    theme's colour (yellow without one).

    Highlights are painted into the page with a multiply blend, as a highlighter
    pen: the words stay black and selectable, and the marks print everywhere and
    cannot be hidden or stripped as annotations can."""
    base = hex_rgb(e.themes[0].colour) if e.themes else (1, 0.85, 0.2)
    colour = rgb(base)
    boxes = " ".join(f"{x0:.2f} {y0:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re" for x0, y0, x1, y1 in rects)
    if e.area is not None:
        # an area: a lighter tint (it may be large), and its rectangle drawn round at full
        # strength, outside the translucent group (closed and opened again around the line)
        return f"{rgb(tint(base, 0.6))} rg {boxes} f Q q {colour} RG 1.5 w {boxes} S Q q /{GS} gs"
    return f"{colour} rg {boxes} f"


def paint_over(raw: Raw, xref: int, fills: list[str]) -> None:
    """Add highlight fills on top of a page whose contents PyMuPDF has wrapped in q/Q
    (the general path, after it stamped the page)."""
    if not fills:
        return
    _push, gs = _shared(raw)
    raw.put(xref, f"Resources/ExtGState/{GS}", f"{gs} 0 R")
    ours = raw.later("<<>>", "\n".join([f"q /{GS} gs", *fills, "Q\n"]).encode("latin-1"))
    old = raw.content_streams(xref) or []
    # a new array rather than one grown in place: the old one may be shared with another page
    raw.put(xref, "Contents", refs([*old, ours]))


def can_mark(sp: "SourcePage", label: str, caption: str) -> bool:
    return (
        not any(e.redact for e in sp.extracts) and literal(label) is not None and literal(caption) is not None
    )


def mark(
    raw: Raw,
    xref: int,
    geo: tuple[float, float, list[int]],
    sp: "SourcePage",
    label: str,
    caption: str,
    resolve: Callable[[object], tuple[int | None, float]],
    xrefs: list[int],
    generated: set[int],
) -> None:
    """Highlight, link, grow and stamp one upright copied page, writing raw objects."""
    push, gs = _shared(raw)
    w, h, contents = geo
    fills, links = [], []
    for e in sp.extracts:
        rects = [
            r[1:] for r in e.rects if int(r[0]) == sp.index and len(r) == 5 and r[3] > r[1] and r[4] > r[2]
        ]
        if not rects:
            continue
        fills.append(fill(e, [(x0, h - y1, x1, h - y0) for x0, y0, x1, y1 in rects]))
        page_no, y = resolve(("passage", e.id))
        if page_no is not None:
            x0, y0 = min(r[0] for r in rects), min(r[1] for r in rects)
            x1, y1 = max(r[2] for r in rects), max(r[3] for r in rects)
            links.append(raw.later(link((x0, h - y1, x1, h - y0), dest(xrefs, page_no, y, generated))))
    raw.add_annots(xref, links, existing=False)
    box = f"[0 {-FOOTER:g} {w:g} {h:g}]"
    raw.put(xref, "MediaBox", box)
    raw.put(xref, "CropBox", box)
    for key in ("sans", "bold"):
        raw.put(xref, f"Resources/Font/{FONTS[key]}", f"{raw.font(key)} 0 R")
    ops = ["Q"]
    if fills:
        raw.put(xref, f"Resources/ExtGState/{GS}", f"{gs} 0 R")
        ops += [f"q /{GS} gs", *fills, "Q"]
    bx0 = stamp_left(label, w)
    lw = w - 36 - bx0
    by0 = -FOOTER + 11  # the footer strip, in PDF space (y up)
    ops += [
        f"q 1.1 w {BLUE} RG 1 1 1 rg {bx0:g} {by0:g} {lw:g} 16 re B",
        f"BT /{FONTS['bold']} {STAMP_SIZE:g} Tf {BLUE} rg {bx0 + 7:g} {by0 + 4.5:g} Td {literal(label)} Tj ET",
    ]
    if caption:
        ops.append(
            f"BT /{FONTS['sans']} {CAPTION_SIZE:g} Tf {BLUE} rg 36 {by0 + 4.5:g} Td "
            f"{literal(stamp_caption(caption, bx0))} Tj ET"
        )
    ops.append("Q\n")
    ours = raw.later("<<>>", "\n".join(ops).encode("latin-1"))
    # the original's contents between our q (push) and our stream, which opens with Q
    raw.put(xref, "Contents", refs([push, *contents, ours]))


__all__ = ["geometry", "can_mark", "mark", "fill", "paint_over"]
