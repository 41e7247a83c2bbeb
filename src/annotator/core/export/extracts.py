"""Extract pages: section and item headings, then each passage with its citation,
quotation, themes, note and cross-references."""

from collections.abc import Callable
from typing import Any

from annotator.core.export.layout import (
    GREY,
    INK,
    LEFT,
    LINK,
    NOTE_BAR,
    NOTE_BG,
    RIGHT,
    Flow,
    Op,
    hex_rgb,
    text_width,
    tint,
    wrap,
)
from annotator.core.export.plan import CrossRef, Extract, Item, Plan, Section, page_ref

QUOTE_X = LEFT + 34  # transcript text column; the margin left of it holds line numbers
QUOTE_SIZE = 9.5
REDACTED = "[Redacted: the quoted text is withheld from this bundle]"
AREA_REDACTED = "[Redacted: the area's text is withheld; redacted words are blacked out]"
AREA_MAX_H = 330.0  # points: the tallest an area's picture is printed
AREA_MAX_SCALE = 1.5  # a small area (a signature) is enlarged, but not beyond this


def page_of(target: object) -> Callable[[Any], str]:
    """A callable text: 'p. 12' for wherever the target lands."""
    return lambda r: f"p. {r.label(r(target)[0])}"


def doc_line(e_or_item: Extract | Item) -> str:
    d = e_or_item.doc
    bits = [d.title or d.filename]
    if d.urn:
        bits.append(d.urn)
    if d.witness:
        bits.append(d.witness)
    if d.date:
        bits.append(d.date)
    return " · ".join(bits)


def section_heading(flow: Flow, sec: Section, scheme: str) -> None:
    flow.new_page()
    flow.mark(("section", sec.number))
    rgb = hex_rgb(sec.colour)
    top = flow.y
    flow.line(f"Tab {sec.number}", LEFT + 12, "sans", 10, GREY)
    flow.line(sec.title, LEFT + 12, "bold", 18, INK, leading=1.35)
    n = sum(1 for it in sec.items for e in it.extracts if not e.withdrawn)
    flow.line(
        f"{n} extract{'s' if n != 1 else ''} from {len(sec.items)} item{'s' if len(sec.items) != 1 else ''}",
        LEFT + 12,
        "sans",
        9,
        GREY,
    )
    flow.op(Op("rect", (LEFT, top, LEFT + 5, flow.y), fill=rgb))
    flow.gap(14)


def item_heading(flow: Flow, it: Item) -> None:
    flow.ensure(130)  # the heading never sits alone at the foot of a page
    flow.mark(("item", it.number))
    flow.line(f"Item {it.number}", LEFT, "bold", 12, INK)
    flow.line(doc_line(it), LEFT, "sans", 9, GREY)
    flow.gap(6)


def withdrawn(flow: Flow, e: Extract) -> None:
    """What a later edition prints where a withdrawn extract was."""
    flow.ensure(60)
    flow.mark(("passage", e.id))
    top_page, top = flow.page, flow.y
    flow.line(f"Extract {e.number}   ·   withdrawn", LEFT + 8, "bold", 8, GREY)
    flow.line(e.citation, LEFT + 8, "serif-bold", 12, GREY, leading=1.3)
    flow.para(e.withdrawn, LEFT + 8, "sans", 9.5, INK, leading=1.35)
    flow.shade(top_page, top, LEFT, LEFT + 3, GREY)
    flow.gap(14)


def extract(flow: Flow, plan: Plan, e: Extract) -> None:
    if e.withdrawn:
        withdrawn(flow, e)
        return
    sel = plan.selection
    flow.ensure(90)  # the citation stays with the start of its quotation
    flow.mark(("passage", e.id))
    top_page, top = flow.page, flow.y
    tag = f"Extract {e.number}" + ("   ·   marked important" if e.important else "")
    flow.line(tag, LEFT + 8, "bold", 8, GREY)
    flow.line(e.citation, LEFT + 8, "serif-bold", 12, INK, leading=1.3)
    if e.long_citation != e.citation:
        flow.line(e.long_citation, LEFT + 8, "sans", 8.5, GREY)
    if sel.source_pages:
        for idx in range(e.start_page, e.end_page + 1):
            target = ("source", e.doc.id, idx)
            flow.line(
                lambda r, idx=idx, t=target: (
                    f"Source page {page_ref(plan, e.doc, idx)} at bundle p. {r.label(r(t)[0])}"
                ),
                LEFT + 8,
                "sans",
                8.5,
                LINK,
                width=260,
                target=target,
            )
    _bar(flow, e, top_page, top)
    flow.gap(5)
    if e.area is not None and not e.redact:
        _area(flow, e, e.area, page_ref(plan, e.doc, int(e.area[0])))
    quote_top_page, quote_top = flow.page, flow.y
    if e.area is not None and not e.redact and plan.hidden_in(e):
        flow.line(AREA_REDACTED, QUOTE_X, "bold", 9, (1, 1, 1), fill=(0.1, 0.1, 0.1))
    else:
        _quote(flow, e)
    _bar(flow, e, quote_top_page, quote_top)
    flow.gap(5)
    if e.themes:
        _themes(flow, e)
    if sel.notes and e.note.strip():
        flow.gap(3)
        who = f"Note by {e.author}" if e.author else "Note"
        width = RIGHT - LEFT - 22
        x = LEFT + 14
        flow.ensure(8 * 1.3)
        page, top = flow.page, flow.y
        flow.para(who, x, "bold", 8, NOTE_BAR, width=width)
        flow.para(e.note, x, "italic", 9, INK, width=width)
        flow.shade(page, top, x - 5.5, x + width + 4, NOTE_BG)  # one box behind the whole note
        flow.shade(page, top, x - 8, x - 5.5, NOTE_BAR)
    if e.refs:
        flow.gap(4)
        flow.line("Cross-references", LEFT + 8, "bold", 8, GREY)
        for ref in e.refs:
            _ref(flow, plan, ref)
    flow.gap(14)


def _bar(flow: Flow, e: Extract, page: int, top: float) -> None:
    """The theme colour runs down the left of the heading and the quotation."""
    flow.shade(page, top, LEFT, LEFT + 3, hex_rgb(e.themes[0].colour) if e.themes else (0.6, 0.6, 0.6))


def _quote(flow: Flow, e: Extract) -> None:
    if e.redact:
        flow.line(REDACTED, QUOTE_X, "bold", 9, (1, 1, 1), fill=(0.1, 0.1, 0.1))
        return
    if e.lines:
        last_page = None
        for tpage, line, text in e.lines:
            parts = wrap(text, "mono", QUOTE_SIZE, RIGHT - QUOTE_X) or [""]
            for k, part in enumerate(parts):
                flow.ensure(QUOTE_SIZE * 1.45)
                if k == 0:
                    label = f"{line:>2}" if tpage == last_page else f"{tpage}:{line}"
                    lw = text_width(label, "mono", 8)
                    flow.op(
                        Op(
                            "text",
                            (QUOTE_X - 8 - lw, flow.y + 1.2, QUOTE_X - 8, flow.y + 12),
                            label,
                            "mono",
                            8,
                            GREY,
                        )
                    )
                flow.line(part, QUOTE_X, "mono", QUOTE_SIZE, INK, leading=1.45, fitted=True)
            last_page = tpage
        return
    flow.para(e.quote, QUOTE_X, "serif", 10.5, INK, leading=1.35)


def area_box(area: list[float], width: float) -> tuple[float, float]:
    """The printed size of an area's picture: as on the page, enlarged up to
    AREA_MAX_SCALE when small, shrunk to the column and AREA_MAX_H when large."""
    w, h = max(1.0, area[3] - area[1]), max(1.0, area[4] - area[2])
    scale = min(AREA_MAX_SCALE, width / w, AREA_MAX_H / h)
    return w * scale, h * scale


def _area(flow: Flow, e: Extract, area: list[float], page: str) -> None:
    """Room for the area cropped from its page (bundle.place_crops puts the picture
    there, op "image"), framed, with the page it comes from below it."""
    w, h = area_box(area, RIGHT - QUOTE_X)
    flow.ensure(h + 26)
    flow.gap(4)
    x, y = QUOTE_X, flow.y
    flow.op(Op("image", (x, y, x + w, y + h), target=("area", e.id)))
    flow.op(Op("box", (x - 1.5, y - 1.5, x + w + 1.5, y + h + 1.5), colour=GREY))
    flow.gap(h + 4)
    flow.line(f"The area as drawn on {page}", QUOTE_X, "sans", 7.5, GREY)
    flow.gap(3)


def _themes(flow: Flow, e: Extract) -> None:
    flow.ensure(14)
    x, y = LEFT + 8, flow.y
    flow.op(Op("text", (x, y + 1, x + 50, y + 12), "Themes", "bold", 8, GREY))
    x += 44
    for t in e.themes:
        w = text_width(t.name, "sans", 8) + 12
        if x + w > RIGHT:
            flow.gap(13)
            flow.ensure(14)
            x, y = LEFT + 52, flow.y
        rgb = hex_rgb(t.colour)
        flow.op(Op("rect", (x, y, x + w, y + 11.5), fill=tint(rgb, 0.8)))
        flow.op(Op("rect", (x, y, x + 3, y + 11.5), fill=rgb))
        flow.op(Op("text", (x + 7, y + 1.2, x + w, y + 11), t.name, "sans", 8, INK))
        x += w + 6
    flow.gap(14)


def _ref(flow: Flow, plan: Plan, ref: CrossRef) -> None:
    rel = ref.relation if ref.direction == "out" else f"{ref.relation} (linked from)"
    head = f"{rel[:1].upper()}{rel[1:]} {ref.printed}"
    x = LEFT + 14
    if ref.status == "ok":
        target = ("passage", ref.other_id)

        def text(r: Any, head: str = head, target: object = target) -> str:  # r: bundle.Resolver
            page, _ = r(target)
            return f"{head} — see item {r.item_of(ref.other_id)}, p. {r.label(page)}"

        flow.line(text, x, "sans", 9, LINK, target=target)
    else:
        why = "deleted passage, not in this bundle" if ref.status == "deleted" else "not in this bundle"
        flow.line(f"{head} ({why})", x, "sans", 9, GREY)


def build(plan: Plan, header: str) -> Flow:
    flow = Flow(header=header)
    for sec in plan.sections:
        section_heading(flow, sec, plan.selection.numbering)
        for it in sec.items:
            item_heading(flow, it)
            for e in it.extracts:
                extract(flow, plan, e)
    if not flow.pages:
        flow.new_page()
        flow.line("No passages match this selection.", LEFT, "sans", 11, GREY)
    return flow
