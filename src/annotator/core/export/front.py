"""Cover, index and provenance appendix."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from annotator.core.export.layout import (
    GREY,
    INK,
    LEFT,
    LINK,
    RIGHT,
    Flow,
    Op,
    hex_rgb,
    text_width,
    wrap,
)
from annotator.core.export.plan import Plan
from annotator.core.store.models import saved_id

# index columns: item | reference | description | date | pages
COLS = (LEFT, LEFT + 42, LEFT + 170, RIGHT - 118, RIGHT - 52)

Colour = tuple[float, float, float]
# An index cell: x, width, text (or text from the resolver), font, colour, link target.
Cell = tuple[float, float, "str | Callable[[PageResolver], str]", str, Colour, object]


class PageResolver(Protocol):
    """What page texts are made from once every page is placed (bundle.Resolver)."""

    def __call__(self, target: object) -> tuple[int | None, float]: ...
    def label(self, page: int | None) -> str: ...


def cover(plan: Plan, title: str, letter: str, stats: Mapping[str, int | str]) -> Flow:
    """`stats`: the counts of passages, documents, pages, sections and source_pages, and
    the edition line ("Edition 2 · re-issues Edition 1 of …", empty for a first one)."""
    flow = Flow()
    flow.new_page()
    flow.gap(90)
    if plan.inquiry:
        for ln in wrap(plan.inquiry, "sans", 13, RIGHT - LEFT):
            flow.line(ln, LEFT, "sans", 13, GREY)
        flow.gap(18)
    for ln in wrap(title, "bold", 26, RIGHT - LEFT):
        flow.line(ln, LEFT, "bold", 26, INK, leading=1.25)
    flow.gap(6)
    if letter:
        flow.line(f"Bundle {letter}", LEFT, "bold", 18, (0.05, 0.25, 0.65), leading=1.4)
    if stats.get("edition"):
        flow.line(str(stats["edition"]), LEFT, "bold", 14, (0.05, 0.25, 0.65), leading=1.4)
    flow.op(Op("rect", (LEFT, flow.y + 8, LEFT + 120, flow.y + 11), fill=(0.05, 0.25, 0.65)))
    flow.gap(34)
    facts = [
        f"{stats['passages']} extract{'s' if stats['passages'] != 1 else ''} from "
        f"{stats['documents']} document{'s' if stats['documents'] != 1 else ''}, in "
        f"{stats['sections']} tab{'s' if stats['sections'] != 1 else ''}",
        f"{stats['pages']} pages"
        + (f", including {stats['source_pages']} source pages" if stats["source_pages"] else ""),
        f"Prepared {datetime.now().strftime('%d %B %Y')}" + (f" by {plan.author}" if plan.author else ""),
        f"Workspace: {plan.workspace_title}",
    ]
    for f in facts:
        flow.line(f, LEFT, "sans", 11, INK, leading=1.5)
    flow.gap(16)
    flow.line("Selection", LEFT, "bold", 10, GREY)
    titles = {saved_id(d): d.title for d in plan.documents}
    for ln in plan.selection.describe(plan.theme_names, titles):
        flow.para(ln, LEFT, "sans", 9.5, INK, leading=1.4)
    flow.y = 690
    for ln in wrap(
        "Bundle page numbers are stamped in a blue box at the bottom right of every page "
        "and match the PDF page numbers. Source page numbers printed by the original "
        "documents are unchanged. Every index row, bookmark and cross-reference is a link.",
        "italic",
        8.5,
        RIGHT - LEFT,
    ):
        flow.line(ln, LEFT, "italic", 8.5, GREY)
    return flow


def _row(flow: Flow, cells: list[Cell], size: float, room: float = 14) -> None:
    """One table row: cells are (x, width, text, font, colour, target). The row is one
    link, from its first linked cell to the end of its last, to the cells' target."""
    if flow.room() < room:
        flow.new_page()
        _index_head(flow)
    y = flow.y
    target, x0, x1 = None, None, None
    for x, width, text, key, colour, cell_target in cells:
        flow.y = y
        flow.line(text, x, key, size, colour, width=width)
        if cell_target is not None:
            target = cell_target
            x0 = x if x0 is None else x0
            x1 = x + (width if callable(text) else min(width, text_width(text, key, size)))
    if target is not None and x0 is not None and x1 is not None:
        flow.op(Op("link", (x0, y, x1, y + size * 1.3), target=target))
    flow.y = y + size * 1.3


def _pages(first: object, last: object) -> Callable[[PageResolver], str]:
    def text(r: PageResolver) -> str:
        a, b = r(first)[0], r(last)[0]
        if a is None:
            return ""
        return r.label(a) if a == b or b is None else f"{r.label(a)}–{r.label(b)}"

    return text


def index(plan: Plan, header: str, flow: Flow | None = None) -> Flow:
    flow = flow if flow is not None else Flow(header=header)
    flow.new_page()
    flow.line("Index", LEFT, "bold", 18, INK, leading=1.5)
    flow.gap(4)
    _index_head(flow)
    page_w = RIGHT - COLS[4]
    for sec in plan.sections:
        if flow.room() < 60:
            flow.new_page()
            _index_head(flow)
        flow.gap(6)
        flow.op(Op("rect", (LEFT, flow.y + 1, LEFT + 4, flow.y + 13), fill=hex_rgb(sec.colour)))
        target = ("section", sec.number)
        _row(
            flow,
            [
                (LEFT + 10, COLS[4] - LEFT - 16, f"Tab {sec.number}   {sec.title}", "bold", INK, target),
                (
                    COLS[4],
                    page_w,
                    _pages(target, ("passage", sec.items[-1].extracts[-1].id)),
                    "bold",
                    LINK,
                    target,
                ),
            ],
            10.5,
        )
        flow.gap(2)
        for it in sec.items:
            first, last = ("item", it.number), ("passage", it.extracts[-1].id)
            desc = it.doc.title + (f" ({it.doc.witness})" if it.doc.witness else "")
            _row(
                flow,
                [
                    (COLS[0], COLS[1] - COLS[0] - 4, str(it.number), "bold", INK, first),
                    (COLS[1], COLS[2] - COLS[1] - 6, it.doc.urn or "—", "sans", INK, first),
                    (COLS[2], COLS[3] - COLS[2] - 6, desc, "bold", INK, first),
                    (COLS[3], COLS[4] - COLS[3] - 4, it.doc.date or "", "sans", INK, None),
                    (COLS[4], page_w, _pages(first, last), "sans", LINK, first),
                ],
                9,
                room=40,
            )
            for e in it.extracts:
                target = ("passage", e.id)
                what = e.withdrawn or ("[redacted]" if e.redact or plan.hidden_in(e) else e.quote)
                _row(
                    flow,
                    [
                        (COLS[0] + 8, COLS[1] - COLS[0] - 10, e.number, "sans", GREY, target),
                        (COLS[1], COLS[2] - COLS[1] - 6, e.citation, "sans", LINK, target),
                        (COLS[2], COLS[4] - COLS[2] - 8, what, "serif-italic", GREY, None),
                        (COLS[4], page_w, _pages(target, target), "sans", LINK, target),
                    ],
                    8,
                )
            flow.gap(3)
    flow.gap(8)
    if plan.selection.source_pages and plan.documents:
        _row(
            flow,
            [
                (LEFT + 10, COLS[4] - LEFT - 16, "Source pages", "bold", INK, ("sources",)),
                (COLS[4], page_w, _pages(("sources",), ("sources",)), "bold", LINK, ("sources",)),
            ],
            10.5,
        )
        flow.gap(3)
    _row(
        flow,
        [
            (
                LEFT + 10,
                COLS[4] - LEFT - 16,
                "Provenance of the source documents",
                "bold",
                INK,
                ("appendix",),
            ),
            (COLS[4], page_w, _pages(("appendix",), ("appendix",)), "bold", LINK, ("appendix",)),
        ],
        10.5,
    )
    return flow


def _index_head(flow: Flow) -> None:
    y = flow.y
    for x, name in zip(COLS, ("Item", "Reference", "Description", "Date", "Pages"), strict=False):
        flow.y = y
        flow.line(name, x, "bold", 8, GREY, width=60)
    flow.op(Op("line", (LEFT, flow.y + 1, RIGHT, flow.y + 1), colour=(0.75, 0.75, 0.75)))
    flow.gap(4)


def appendix(
    plan: Plan, header: str, originals: Mapping[str, Mapping[str, int | bool]], flow: Flow | None = None
) -> Flow:
    """`originals`: by SHA-256, the original file's size and whether its bytes are present."""
    flow = flow if flow is not None else Flow(header=header)
    flow.new_page()
    flow.mark(("appendix",))
    flow.line("Provenance of the source documents", LEFT, "bold", 16, INK, leading=1.5)
    for ln in wrap(
        "Each document quoted in this bundle is listed with the SHA-256 fingerprint of the "
        "original file as imported. Anyone holding the original can check it, e.g. "
        "'sha256sum FILE' (Linux, macOS) or 'Get-FileHash -Algorithm SHA256 FILE' (Windows).",
        "sans",
        9,
        RIGHT - LEFT,
    ):
        flow.line(ln, LEFT, "sans", 9, GREY)
    flow.gap(10)
    for d in plan.documents:
        flow.ensure(80)
        flow.line(f"{d.urn + '  ' if d.urn else ''}{d.title}", LEFT, "bold", 10.5, INK)
        info = originals.get(d.sha256, {})
        facts = [f"Kind: {d.kind}", f"Pages: {d.page_count}", f"Imported: {d.imported_at[:10]}"]
        if d.witness:
            facts.append(f"Witness: {d.witness}")
        if d.date:
            facts.append(f"Date: {d.date}")
        flow.line(" · ".join(facts), LEFT + 10, "sans", 9, INK)
        flow.line(f"Original file: {d.filename} ({info.get('size', 0):,} bytes)", LEFT + 10, "sans", 9, INK)
        y = flow.y
        flow.line("SHA-256", LEFT + 10, "sans", 9, GREY)
        flow.y = y
        flow.line(d.sha256, LEFT + 60, "mono", 8.5, INK)
        if not info.get("present", True):
            flow.line(
                "The original bytes are missing from the workspace.", LEFT + 10, "bold", 9, (0.7, 0.1, 0.1)
            )
        flow.gap(10)
    return flow
