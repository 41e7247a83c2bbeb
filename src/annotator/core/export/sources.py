"""Source pages: the real pages copied from the originals, passages highlighted.

PDF originals are opened once each and copied with one insert_pdf per
contiguous run of pages. Text and DOCX originals have no pages to copy, so
their stored page text is set on a page of its own (said so on the page).
Redacted passages are removed with real redactions, not covered.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pymupdf

from annotator.core.export import marks, pdfraw
from annotator.core.export.layout import FOOTER, GREY, HEIGHT, INK, WIDTH, Op, hex_rgb, text_width
from annotator.core.export.plan import Extract, Plan, page_ref
from annotator.core.store.models import Document, saved_id

MONO = 7.5
CROP_DPI = 200  # an area's picture in the extract
CROP_MAX_PX = 2400  # ... and its longest side at most (an area of an A0 drawing)


@dataclass
class SourcePage:
    doc_id: int
    index: int
    extracts: list[Extract] = field(default_factory=list)
    out_page: int = -1  # first bundle page (0-based) holding it
    pages: int = 1  # bundle pages used (text pages can run over)
    text_ops: list[list[Op]] | None = None  # set when the page is typeset from stored text
    note: str = ""  # a later edition's notice in place of a withdrawn page: its caption
    keep: tuple[int, int] | None = None  # a later edition: (first old page, old page count)
    after: int | None = None  # a later edition: the old page a new source page follows


def collect(plan: Plan) -> list[SourcePage]:
    """Every page holding a selected passage, grouped by document, in page order."""
    pages: dict[tuple[int, int], SourcePage] = {}
    for e in plan.live:
        for idx in range(e.start_page, e.end_page + 1):
            doc_id = saved_id(e.doc)
            pages.setdefault((doc_id, idx), SourcePage(doc_id, idx)).extracts.append(e)
    order = {d.id: n for n, d in enumerate(plan.documents)}
    return sorted(pages.values(), key=lambda sp: (order[sp.doc_id], sp.index))


def open_original(data: bytes | None, fmt: str) -> pymupdf.Document | None:
    """A PyMuPDF document of the original, or None when it cannot be copied."""
    if not data or fmt != "pdf":
        return None
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception:
        return None
    if doc.needs_pass or doc.page_count == 0:  # no password is kept: typeset the stored text
        doc.close()
        return None
    return doc


def crop(src: pymupdf.Document, area: list[float], hidden: list[list[float]]) -> bytes | None:
    """An area of its page as a JPEG picture; `hidden`: rectangles of redacted passages,
    blacked out in the pixels. None when the area is not on the page."""
    page = src[int(area[0])]
    clip = pymupdf.Rect(area[1:]) & page.rect
    if clip.is_empty:
        return None
    zoom = min(CROP_DPI / 72, CROP_MAX_PX / max(clip.width, clip.height))
    m = pymupdf.Matrix(zoom, zoom)
    pix = page.get_pixmap(matrix=m, clip=clip, alpha=False)
    for r in hidden:
        cut = pymupdf.Rect(r) & clip
        if not cut.is_empty:
            pix.set_rect((cut * m).irect, (0, 0, 0))
    picture: bytes = pix.tobytes("jpeg", jpg_quality=88)
    return picture


def typeset(plan: Plan, sp: SourcePage, text: str, doc: Document) -> list[list[Op]]:
    """Stored page text on A4 pages in a fixed-width font, passages shaded."""
    cw = MONO * 0.6
    left, top, bottom = 48.0, 70.0, HEIGHT - 70
    cols = int((WIDTH - 2 * left) / cw)
    ranges = []
    for e in sp.extracts:
        a = e.start[1] if sp.index == e.start[0] else 0
        b = e.end[1] if sp.index == e.end[0] else len(text)
        ranges.append((a, b, e))
    rows: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        if not raw:
            rows.append((pos, pos))
        k = 0
        while k < len(raw):
            end = min(len(raw), k + cols)
            if end < len(raw):  # break after the last space that fits, when there is one
                space = raw.rfind(" ", k + 1, end + 1)
                if space > k + cols // 2:
                    end = space + 1
            rows.append((pos + k, pos + end))
            k = end
        pos += len(raw) + 1
    pages: list[list[Op]] = [[]]
    y = top
    fmt = {"text": "a text file", "docx": "a Word file", "pdf": "a PDF that cannot be copied"}.get(
        doc.source_format, "not a PDF"
    )
    head = f"Text of {page_ref(plan, doc, sp.index)} as stored (the original is {fmt})"
    pages[0].append(Op("text", (left, 36, WIDTH - left, 48), head, "italic", 8.5, GREY))
    for a, b in rows:
        if y + MONO * 1.35 > bottom:
            pages.append(
                [Op("text", (left, 36, WIDTH - left, 48), head + " (continued)", "italic", 8.5, GREY)]
            )
            y = top
        line = text[a:b]
        for ra, rb, e in ranges:
            lo, hi = max(a, ra), min(b, rb)
            if lo >= hi:
                continue
            x0, x1 = left + (lo - a) * cw, left + (hi - a) * cw
            if e.redact:
                line = line[: lo - a] + " " * (hi - lo) + line[hi - a :]
                pages[-1].append(Op("rect", (x0, y - 1, x1, y + MONO * 1.3), fill=(0, 0, 0)))
            else:
                colour = hex_rgb(e.themes[0].colour) if e.themes else (1, 0.85, 0.2)
                pages[-1].append(
                    Op(
                        "rect",
                        (x0, y - 1, x1, y + MONO * 1.3),
                        fill=tuple(c + (1 - c) * 0.65 for c in colour),
                    )
                )
                pages[-1].append(Op("link", (x0, y - 1, x1, y + MONO * 1.3), target=("passage", e.id)))
        if line.strip():
            pages[-1].append(
                Op("text", (left, y, WIDTH - left, y + MONO * 1.3), line.rstrip(), "mono", MONO, INK)
            )
        y += MONO * 1.35
    return pages


def decorate(
    page: pymupdf.Page, plan: Plan, sp: SourcePage, resolve: Callable[[object], tuple[int | None, float]]
) -> list[str]:
    """Redact passages and link highlights back on a copied page, then add the footer
    strip. Returns the highlight fills (marks.fill) to paint once the page is stamped."""
    redact_any = False
    to_pdf = ~page.transformation_matrix  # stored rects are in the unrotated page space, as text is extracted
    fills = []
    for e in sp.extracts:
        rects = [pymupdf.Rect(r[1:]) for r in e.rects if int(r[0]) == sp.index and len(r) == 5]
        rects = [r for r in rects if not r.is_empty]
        if not rects:
            continue
        if e.redact:
            for r in rects:
                page.add_redact_annot(r, fill=(0, 0, 0))
            redact_any = True
            continue
        fills.append(marks.fill(e, [tuple(pymupdf.Rect(r * to_pdf).normalize()) for r in rects]))
        page_no, y = resolve(("passage", e.id))
        if page_no is not None:
            box = rects[0]
            for r in rects[1:]:
                box |= r
            page.insert_link(
                {
                    "kind": pymupdf.LINK_GOTO,
                    "from": box,
                    "page": page_no,
                    "to": pymupdf.Point(0, max(0.0, y - 12)),
                    "zoom": 0,
                }
            )
    if redact_any:
        # Text under the boxes is deleted; images are blanked under the boxes only.
        page.apply_redactions(images=pdfraw.REDACT_IMAGE_PIXELS)
    extend_bottom(page, FOOTER)
    return fills


def _box(page: pymupdf.Page, key: str) -> list[float] | None:
    kind, value = page.parent.xref_get_key(page.xref, key)
    if kind != "array":
        return None
    try:
        return [float(v) for v in value.strip("[]").split()]
    except ValueError:
        return None


def extend_bottom(page: pymupdf.Page, amount: float) -> None:
    """Grow the page at its visible bottom edge, so the stamp never covers the original."""
    box = _box(page, "CropBox") or _box(page, "MediaBox")
    if not box or len(box) != 4:
        return  # an odd page box: the stamp then sits in the page's own margin
    x0, y0, x1, y1 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])
    rot = page.rotation % 360
    if rot == 0:
        y0 -= amount
    elif rot == 90:
        x1 += amount
    elif rot == 180:
        y1 += amount
    else:
        x0 -= amount
    value = f"[{x0:g} {y0:g} {x1:g} {y1:g}]"
    page.parent.xref_set_key(page.xref, "MediaBox", value)
    page.parent.xref_set_key(page.xref, "CropBox", value)


def caption(plan: Plan, sp: SourcePage) -> str:
    if sp.note:
        return sp.note
    doc = next(d for d in plan.documents if d.id == sp.doc_id)
    cited = ", ".join(e.number for e in sp.extracts)
    return f"Source page {page_ref(plan, doc, sp.index)} · {doc.title} · highlighted: extract {cited}"


def caption_width(text: str) -> float:
    return text_width(text, "sans", 7.5)
