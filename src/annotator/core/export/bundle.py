"""Assemble the bundle PDF: lay out, copy source pages, paint, stamp, label, outline."""

from dataclasses import dataclass, field

import pymupdf
from sqlmodel import col, select

from annotator.core.export import extracts as extract_pages
from annotator.core.export import front, marks, pdfraw, safety, sources
from annotator.core.ocr import textlayer
from annotator.core.export.layout import (
    CAPTION_SIZE,
    FONT_NAMES,
    GREY,
    HEIGHT,
    LINK,
    STAMP_BLUE,
    STAMP_SIZE,
    WIDTH,
    Flow,
    Op,
    add_links,
    dest,
    font,
    paint,
    stamp_caption,
    stamp_left,
)
from annotator.core.export.plan import Plan, page_ref
from annotator.core.store.models import Blob, Page, saved_id


class Cancelled(Exception):
    pass


@dataclass
class Built:
    """A written bundle: its page count, every page's label, where each unit landed."""

    pages: int
    labels: list[str]
    places: dict
    ranges: dict  # cover, changes, index, body, appendix: their pages
    src_pages: list = field(default_factory=list)


class Numbering:
    """Bundle page labels for one numbering scheme; stamps print the same label."""

    def __init__(self, scheme: str, letter: str, total: int, tabs: list[tuple[int, str]]):
        self.scheme = scheme if not (scheme == "prefix" and not letter) else "plain"
        self.letter, self.total = letter, total
        self.tabs = sorted(tabs)  # (first page, tab name)

    def label(self, page: int | None) -> str:
        if page is None:
            return "?"
        if self.scheme == "prefix":
            return f"{self.letter}{page + 1}"
        if self.scheme == "tab":
            start, name = max((t for t in self.tabs if t[0] <= page), default=(0, "0"))
            return f"{name}-{page - start + 1}"
        return str(page + 1)

    def rules(self) -> list[dict]:
        if self.scheme == "prefix":
            return [{"startpage": 0, "prefix": self.letter, "style": "D", "firstpagenum": 1}]
        if self.scheme == "tab":
            return [
                {"startpage": s, "prefix": f"{name}-", "style": "D", "firstpagenum": 1}
                for s, name in self.tabs
            ]
        return [{"startpage": 0, "prefix": "", "style": "D", "firstpagenum": 1}]


class Resolver:
    """Turns link targets into (bundle page, y) once every page is placed."""

    def __init__(self, numbering: Numbering, plan: Plan):
        self.places: dict = {}
        self.numbering = numbering
        self.items = {e.id: e.item.number for e in plan.extracts if e.item is not None}

    def add(self, flow: Flow, offset: int) -> None:
        for key, (page, y) in flow.marks.items():
            self.places[key] = (page + offset, y)

    def __call__(self, target):
        return self.places.get(target, (None, 0.0))

    def label(self, page: int | None) -> str:
        return self.numbering.label(page)

    def item_of(self, pid: int) -> int | str:
        return self.items.get(pid, 0)


def build(
    ws, plan: Plan, title: str, letter: str, path: str, progress=None, cancelled=None, edition=None, uid=""
) -> Built:
    """Write the bundle to `path`. `edition`: a reissue.Reissue, which keeps the pages of
    the edition before; `uid` is written into the file to recognise it by."""

    def tick(done, total, text):
        if cancelled and cancelled():
            raise Cancelled
        if progress:
            progress(done, total, text)

    sel = plan.selection
    header = " — ".join(
        x
        for x in (
            plan.inquiry,
            title,
            f"Bundle {letter}" if letter else "",
            f"Edition {edition.number}" if edition else "",
        )
        if x
    )
    tick(0, 4, "Laying out the index and extracts")
    if edition is None:
        body, index, changes = extract_pages.build(plan, header), front.index(plan, header), None
    else:  # the index first: its inserted pages come before the body's
        index = edition.index(header, front.index)
        body, changes = edition.body(header), edition.changes(header)
    with ws.session() as s:
        shas = list({d.sha256 for d in plan.documents})
        originals = {
            sha: {"size": size, "present": True}
            for sha, size in s.exec(
                select(col(Blob.sha256), col(Blob.size)).where(col(Blob.sha256).in_(shas))
            )
        }
    for sha in shas:
        originals.setdefault(sha, {"size": 0, "present": False})
    paged = edition.appendix(header) if edition else None
    appendix = front.appendix(plan, header, originals, paged)
    if paged is not None:
        paged.finish()
    src_pages = (edition.sources() if edition else sources.collect(plan)) if sel.source_pages else []
    out = pymupdf.open()
    originals_open: dict[int, pymupdf.Document] = {}
    try:
        n_src = _prepare_sources(ws, plan, src_pages, originals_open)
        n_changes = len(changes.pages) if changes else 0
        n_front = 1 + n_changes + len(index.pages)
        start_src = n_front + len(body.pages)
        start_app = start_src + n_src
        total = start_app + len(appendix.pages)
        if edition is None:
            tabs = [(0, "0")] + [
                (body.marks[("section", sec.number)][0] + n_front, str(sec.number))
                for sec in plan.sections
                if ("section", sec.number) in body.marks
            ]
            if n_src:
                tabs.append((start_src, str(len(plan.sections) + 1)))
            tabs.append((start_app, str(len(plan.sections) + 1 + (1 if n_src else 0))))
            numbering = Numbering(sel.numbering, letter, total, tabs)
        else:
            numbering = edition.labels(index, body, appendix, src_pages)
        resolve = Resolver(numbering, plan)
        if changes:
            resolve.add(changes, 1)
        resolve.add(index, 1 + n_changes)
        resolve.add(body, n_front)
        resolve.add(appendix, start_app)
        raw = pdfraw.Raw(out)
        raw.new_pages(n_front + len(body.pages))
        first_copied = out.xref_length()
        _copy_sources(raw, src_pages, originals_open, tick)
        copied = range(first_copied, out.xref_length())  # objects from originals; the rest are ours
        for sp in src_pages:
            resolve.places[("source", sp.doc_id, sp.index)] = (sp.out_page, 0.0)
        if src_pages:
            resolve.places[("sources",)] = (start_src, 0.0)
        raw.new_pages(len(appendix.pages))
        stats = {
            "passages": len(plan.live),
            "documents": len(plan.documents),
            "pages": total,
            "sections": len(plan.sections),
            "source_pages": sum(sp.pages for sp in src_pages if not sp.note),
            "edition": f"Edition {edition.number} · re-issues Edition {edition.prev.number} of "
            f"{edition.prev.created_at[:10]}"
            if edition
            else "",
        }
        cover = front.cover(plan, title, letter, stats)
        flows = [(cover, 0), (index, 1 + n_changes), (body, n_front), (appendix, start_app)]
        if changes:
            flows.insert(1, (changes, 1))
        done = 0
        crops: list[tuple[int, Op]] = []  # areas' pictures, placed once every page is painted
        any_area = any(e.area is not None for e in plan.live)
        xrefs = [out.page_xref(i) for i in range(out.page_count)]
        generated = set(range(start_src)) | set(range(start_app, total))
        for sp in src_pages:
            if sp.text_ops is not None:
                generated.update(range(sp.out_page, sp.out_page + sp.pages))
        for flow, offset in flows:
            for k, ops in enumerate(flow.pages):
                n = offset + k
                if any_area:
                    crops += [(n, op) for op in ops if op.kind == "image"]
                ops = ops + stamp_ops(numbering.label(n), header if n else "")
                add_links(raw, n, paint(raw, n, xrefs[n], ops, resolve), xrefs, generated)
                flow.pages[k] = []  # painted: a whole-inquiry bundle holds millions of ops
                done += 1
                tick(done, total, "Writing pages")
        for sp in src_pages:
            for k in range(sp.pages):
                n = sp.out_page + k
                if sp.text_ops is not None:
                    ops = sp.text_ops[k] + stamp_ops(numbering.label(n), sources.caption(plan, sp))
                    add_links(raw, n, paint(raw, n, xrefs[n], ops, resolve), xrefs, generated)
                elif (geo := marks.geometry(raw, xrefs[n])) and marks.can_mark(
                    sp, label := numbering.label(n), cap := sources.caption(plan, sp)
                ):
                    marks.mark(raw, xrefs[n], geo, sp, label, cap, resolve, xrefs, generated)
                else:
                    raw.hand_over()  # PyMuPDF edits this page itself
                    page = out[n]
                    fills = sources.decorate(page, plan, sp, resolve)
                    page = out[n]  # its boxes changed: reload before stamping
                    _stamp(page, numbering.label(n), sources.caption(plan, sp))
                    marks.paint_over(raw, xrefs[n], fills)
            done += sp.pages
            tick(done, total, "Marking source pages")
        textlayer.add(ws, out, raw, src_pages)  # scanned pages: their recognised words, invisible
        if crops:
            _place_crops(ws, raw, plan, crops, originals_open)
        pdfraw.outline(
            raw, _outline(plan, resolve, src_pages, start_app, xrefs, generated, n_changes, edition)
        )
        raw.flush()
        out.set_page_labels(numbering.rules())
        out.set_metadata(
            {
                "title": f"{title}{' - Bundle ' + letter if letter else ''}"
                + (f" - Edition {edition.number}" if edition else ""),
                "author": plan.author,
                "subject": plan.inquiry,
                "creator": "Annotator",
                "producer": "Annotator (PyMuPDF)",
                "keywords": "evidence bundle",
            }
        )
        if uid:  # names the edition this workspace recorded (a re-issue checks it)
            info = out.xref_get_key(-1, "Info")[1].split()[0]
            out.xref_set_key(int(info), "AnnotatorEdition", f"({uid})")
        safety.scrub(out, copied)
        tick(total, total, "Saving")
        # Our streams are deflated as they are made, the originals' as they were. Only
        # PyMuPDF's own page edits leave unused objects (a redacted page's old contents
        # above all): then they are dropped; otherwise looking for them is wasted time.
        out.save(path, garbage=1 if raw.edited else 0)
        return Built(
            out.page_count,
            [numbering.label(n) for n in range(total)],
            resolve.places,
            {
                "cover": [0],
                "changes": list(range(1, 1 + n_changes)),
                "index": list(range(1 + n_changes, n_front)),
                "body": list(range(n_front, start_src)),
                "appendix": list(range(start_app, total)),
            },
            src_pages,
        )
    finally:
        for src in originals_open.values():
            src.close()
        out.close()


def _prepare_sources(ws, plan: Plan, src_pages, opened: dict) -> int:
    """Open each original once; typeset the pages that cannot be copied. Returns the page count."""
    by_doc: dict[int, list] = {}
    n = 0
    for sp in src_pages:
        if sp.text_ops is None:
            by_doc.setdefault(sp.doc_id, []).append(sp)
        else:  # a later edition's notice for a withdrawn page
            n += sp.pages
    docs = {d.id: d for d in plan.documents}
    for doc_id, pages in by_doc.items():
        doc = docs[doc_id]
        data = ws.read_blob(doc.sha256)
        src = sources.open_original(data, doc.source_format)
        del data
        if src is not None and max(sp.index for sp in pages) < src.page_count:
            opened[doc_id] = src
            n += len(pages)
            continue
        if src is not None:
            src.close()
        with ws.session() as s:
            texts = {
                pg.index: pg.text
                for pg in s.exec(
                    select(Page).where(
                        col(Page.document_id) == doc_id, col(Page.index).in_([sp.index for sp in pages])
                    )
                )
            }
        for sp in pages:
            sp.text_ops = sources.typeset(plan, sp, texts.get(sp.index, ""), doc)
            sp.pages = len(sp.text_ops)
            n += sp.pages
    return n


def _place_crops(ws, raw, plan: Plan, crops: list[tuple[int, Op]], opened: dict) -> None:
    """Put each area's picture, cropped from its original page, where its extract left room."""
    raw.hand_over()  # PyMuPDF adds the pictures
    by_id = {e.id: e for e in plan.live}
    own: dict[int, pymupdf.Document | None] = {}
    try:
        for n, op in crops:
            e = by_id[op.target[1]]  # type: ignore[index]
            area = e.area or [0.0] * 5  # an image op is made for areas only
            doc_id = saved_id(e.doc)
            src = opened.get(doc_id)
            if src is None:
                if doc_id not in own:
                    own[doc_id] = sources.open_original(ws.read_blob(e.doc.sha256), e.doc.source_format)
                src = own[doc_id]
            picture = None
            if src is not None and area[0] < src.page_count:
                picture = sources.crop(src, area, plan.hidden_in(e))
            kind, res = raw.doc.xref_get_key(raw.doc.page_xref(n), "Resources")
            if kind == "xref":  # shared by every page we paint: the picture goes in a copy of its own
                shared = raw.doc.xref_object(int(res.split()[0]), compressed=True)
                raw.doc.xref_set_key(raw.doc.page_xref(n), "Resources", shared)
            page = raw.doc[n]
            if picture is None:  # the original cannot be read: the frame says so
                page.insert_textbox(
                    pymupdf.Rect(op.rect) + (6, 6, -6, -6),
                    "(The original page cannot be read.)",
                    fontsize=9,
                    color=GREY,
                )
                continue
            page.insert_image(pymupdf.Rect(op.rect), stream=picture, keep_proportion=False)
    finally:
        for doc in own.values():
            if doc is not None:
                doc.close()


def _copy_sources(raw, src_pages, opened: dict, tick) -> None:
    """Copy each original's needed pages, run by run of consecutive pages.

    Within one original the copies share MuPDF's graft map (final=0 until
    the last run), so each object is copied once and a run costs little;
    cutting the original down with select() first was five times slower."""
    done, total = 0, len(src_pages)
    k = 0
    while k < len(src_pages):
        sp = src_pages[k]
        src = opened.get(sp.doc_id) if sp.text_ops is None else None
        if src is None:
            sp.out_page = raw.doc.page_count
            raw.new_pages(sp.pages)
            k += 1
            done += 1
            continue
        group = [sp]
        while (
            k + len(group) < len(src_pages)
            and (nxt := src_pages[k + len(group)]).doc_id == sp.doc_id
            and nxt.index > group[-1].index
            and nxt.text_ops is None
        ):
            group.append(nxt)
        _copy_runs(raw.doc, src, group)
        done += len(group)
        tick(done, total, "Copying source pages")
        k += len(group)


def _copy_runs(out, src, group) -> None:
    runs = _runs([g.index for g in group])
    first = out.page_count
    placed = {}
    for r, (a, b) in enumerate(runs):
        out.insert_pdf(
            src, from_page=a, to_page=b, links=0, annots=0, widgets=0, final=1 if r == len(runs) - 1 else 0
        )
        for i in range(a, b + 1):
            placed[i] = first
            first += 1
    for g in group:
        g.out_page = placed[g.index]


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for i in sorted(set(indices)):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [(a, b) for a, b in runs]


def stamp_ops(label: str, caption: str) -> list[Op]:
    """The page stamp on an A4 page we generate, drawn with the page's own text."""
    box = (stamp_left(label, WIDTH), HEIGHT - 27, WIDTH - 36, HEIGHT - 11)
    ops = [
        Op("box", box, colour=STAMP_BLUE, fill=(1, 1, 1)),
        Op(
            "text",
            (box[0] + 7, box[3] - 4.5 - STAMP_SIZE, box[2], box[3]),
            label,
            "bold",
            STAMP_SIZE,
            STAMP_BLUE,
        ),
    ]
    if caption:
        ops.append(
            Op(
                "text",
                (36, box[3] - 4.5 - CAPTION_SIZE, box[0] - 12, box[3]),
                stamp_caption(caption, box[0]),
                "sans",
                CAPTION_SIZE,
                STAMP_BLUE,
            )
        )
    return ops


def _stamp(page, label: str, caption: str) -> None:
    """A boxed bundle page number, bottom right, upright whatever the page rotation."""
    r = page.rect
    m = page.derotation_matrix
    box = pymupdf.Rect(stamp_left(label, r.x1), r.y1 - 27, r.x1 - 36, r.y1 - 11)
    shape = page.new_shape()
    quad = box.quad * m
    if page.rotation % 360 == 270:  # Shape ignores a shifted left edge there; TextWriter does not
        quad = quad * pymupdf.Matrix(1, 0, 0, 1, page.cropbox.x0, 0)
    shape.draw_quad(quad)
    shape.finish(color=STAMP_BLUE, fill=(1, 1, 1), width=1.1)
    shape.commit()
    _write(page, pymupdf.Point(box.x0 + 7, box.y1 - 4.5), label, "bold", STAMP_SIZE)
    if caption:
        _write(page, pymupdf.Point(36, box.y1 - 4.5), stamp_caption(caption, box.x0), "sans", CAPTION_SIZE)


def _write(page, at, text: str, key: str, size: float) -> None:
    """Text at a point of the visible page, upright on rotated pages too."""
    at = at * page.derotation_matrix
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:  # needs the embedded font (slower)
        tw = pymupdf.TextWriter(page.rect)
        tw.append(at, text, font=font(key), fontsize=size)
        morph = (at, pymupdf.Matrix(page.rotation)) if page.rotation % 360 else None
        tw.write_text(page, color=STAMP_BLUE, morph=morph)
        return
    # Latin-1 text: a standard font, no embedding and no resource merging (many times faster)
    page.insert_text(
        at, text, fontname=FONT_NAMES[key], fontsize=size, color=STAMP_BLUE, rotate=page.rotation
    )


def _outline(
    plan: Plan, resolve: Resolver, src_pages, start_app: int, xrefs, generated, n_changes=0, edition=None
) -> list:
    """Bookmarks (level, "title (p. N)", destination): a passage opens at its line."""

    def entry(level: int, text: str, target) -> tuple:
        page, y = resolve(target) if not isinstance(target, int) else (target, 0.0)
        return level, f"{text} (p. {resolve.label(page)})", dest(xrefs, page or 0, y, generated)

    toc = [entry(1, f"Edition {edition.number} — changes", 1)] if edition else []
    toc.append(entry(1, "Index", 1 + n_changes))
    for sec in plan.sections:
        toc.append(entry(1, f"Tab {sec.number}: {sec.title}", ("section", sec.number)))
        for it in sec.items:
            toc.append(entry(2, f"Item {it.number}: {it.doc.title}", ("item", it.number)))
            for e in it.extracts:
                toc.append(entry(3, e.citation + (" — withdrawn" if e.withdrawn else ""), ("passage", e.id)))
    if src_pages:
        toc.append(entry(1, "Source pages", src_pages[0].out_page))
        docs = {d.id: d for d in plan.documents}
        last = None
        for sp in src_pages:
            doc = docs.get(sp.doc_id)
            if sp.note or doc is None:  # a withdrawn page of a later edition
                toc.append(entry(2 if sp.doc_id != last else 3, sp.note, sp.out_page))
                last = sp.doc_id
                continue
            if sp.doc_id != last:
                toc.append(entry(2, doc.title, sp.out_page))
                last = sp.doc_id
            toc.append(entry(3, page_ref(plan, doc, sp.index), sp.out_page))
    toc.append(entry(1, "Provenance of the source documents", start_app))
    return toc


__all__ = ["build", "Cancelled", "Numbering", "LINK"]
