"""A new edition of a bundle that keeps every page number of the previous one.

The previous edition's record (editions.py) says on which page each tab, item
and extract began. Here the same units are laid out again, each page's units
on the same page, with what they say now; a withdrawn extract leaves a notice
where it was. Whatever no longer fits on its page, and every new extract, goes
on pages inserted after the page it follows, numbered 45A, 45B …; a page left
with nothing to hold becomes a page saying so. New extracts take new item
numbers after the item they follow (3A, 3B …), so no item number changes either.
"""

import itertools
import string
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, TypedDict

from annotator.core.export import extracts as extract_pages
from annotator.core.export import sources as source_pages
from annotator.core.export.editions import ExtractRecord, Previous, SourceRecord, changed, digest
from annotator.core.export.layout import GREY, INK, LEFT, LINK, RIGHT, TOP, Flow, Op
from annotator.core.export.plan import Extract, Item, Plan, Section
from annotator.core.store.models import Document

# What the body is laid out from, one unit at a time: ("section", a tab), ("item", an
# item's heading) or ("extract", an extract); and the key each is marked with.
Unit = tuple[str, Section | Item | Extract]
UnitKey = tuple[str, int | str]
# Where an old tab or extract is: its section, its item (None for a tab), its key.
Place = tuple[Section, Item | None, UnitKey]
# A PagedFlow's state, to lay a unit out again elsewhere (see PagedFlow.snapshot).
Snapshot = tuple[int, int, float, int, int, int, int, int]
# The last unit of an old page, laid out on into the next old page: (its snapshot, it, the page).
RunOn = tuple[Snapshot, Unit, int]
# The parts of an edition laid out page for page after the previous one's.
Part = Literal["changes", "index", "body", "appendix"]


class PageLabelRule(TypedDict):
    """One PDF page-label rule, as PyMuPDF's set_page_labels takes it."""

    startpage: int
    prefix: str
    style: str
    firstpagenum: int


def _suffixes() -> Iterator[str]:
    for n in itertools.count(1):
        for combo in itertools.product(string.ascii_uppercase, repeat=n):
            yield "".join(combo)


class Labeller:
    """Page labels of the new edition: the old ones, and new ones after them (45A, 45B …)."""

    def __init__(self, old: list[str]):
        self.old = old
        self.used = set(old)  # every old page stays, under its own number
        self.log: list[str] = []  # labels given out, for PagedFlow.restore

    def after(self, base: int) -> str:
        stem = self.old[base] if base >= 0 else ""
        for s in _suffixes():
            if stem + s not in self.used:
                self.used.add(stem + s)
                self.log.append(stem + s)
                return stem + s
        raise AssertionError("unreachable")

    def forget(self, count: int) -> None:
        while len(self.log) > count:
            self.used.discard(self.log.pop())


class PagedFlow(Flow):
    """A Flow whose pages are the old pages `budget` (old page indices, in order) where
    it may use them, and pages inserted after them otherwise."""

    def __init__(self, header: str, labeller: Labeller, budget: list[int], lead: int, blank: str):
        super().__init__(header=header)
        self.labeller = labeller
        self.budget, self.at = list(budget), {b: k for k, b in enumerate(budget)}
        self.next = 0  # budget[next] is the next old page not yet opened
        self.labels: list[str] = []
        self.olds: list[int | None] = []  # per page: the old page it is, None if inserted
        self.base = lead  # the old page the current page is, or follows
        self.may_continue = True  # may an overflow open the next old page?
        self.started = True  # ... only once the unit under way has begun (see Reissue._group)
        self.blank = blank
        self.blanks: list[str] = []
        self._log: list[object] = []  # marks made, for restore

    def _fresh(self) -> bool:
        return bool(self.pages) and self.y == TOP and len(self.pages[-1]) == (2 if self.header else 0)

    def _open(self, old: int | None) -> None:
        super().new_page()
        if old is None:
            self.labels.append(self.labeller.after(self.base))
        else:
            self.labels.append(self.labeller.old[old])
            self.base = old
        self.olds.append(old)

    def new_page(self) -> None:
        if self._fresh():
            return  # a page just opened for this: use it
        if self.may_continue and self.started and self.next < len(self.budget):
            self.next += 1
            self._open(self.budget[self.next - 1])
        else:
            self._open(None)

    def insert(self) -> None:
        """Go on to a page inserted after the current one."""
        if not self._fresh() or self.olds[-1] is not None:
            self._open(None)

    def goto(self, old: int) -> bool:
        """Be on old page `old` (leaving pages passed over blank); False if it is behind."""
        if self.olds and self.olds[-1] == old:
            return True
        k = self.at[old]
        if k < self.next:
            return False
        while self.next < k:
            self._blank()
        self.next += 1
        self._open(old)
        return True

    def _blank(self) -> None:
        old = self.budget[self.next]
        self.next += 1
        self._open(old)
        self.blanks.append(self.labels[-1])
        self.gap(40)
        self.para(self.blank.format(page=self.labels[-1]), LEFT + 40, "italic", 10, GREY, RIGHT - LEFT - 80)

    def finish(self) -> "PagedFlow":
        while self.next < len(self.budget):
            self._blank()
        return self

    def mark(self, key: object) -> None:
        super().mark(key)
        self._log.append(key)
        self.started = True

    def on_old(self, key: object, old: int) -> bool:
        return self.olds[self.marks[key][0]] == old

    def snapshot(self) -> Snapshot:
        return (
            len(self.pages),
            len(self.pages[-1]) if self.pages else 0,
            self.y,
            len(self._log),
            len(self.labeller.log),
            self.next,
            self.base,
            len(self.blanks),
        )

    def restore(self, snap: Snapshot) -> None:
        pages, ops, self.y, marks, labels, self.next, self.base, blanks = snap
        del self.pages[pages:], self.labels[pages:], self.olds[pages:], self.blanks[blanks:]
        if self.pages:
            del self.pages[-1][ops:]
        while len(self._log) > marks:
            self.marks.pop(self._log.pop(), None)
        self.labeller.forget(labels)


class Reissue:
    """The next edition of `prev`, holding what `new` (the selection run today) holds."""

    def __init__(self, new: Plan, prev: Previous, reasons: dict[int, str]):
        self.new, self.prev, self.number = new, prev, prev.number + 1
        old = prev.plan
        self.labeller = Labeller(old["labels"])
        self.blank = (
            f"Page {{page}} is left blank in Edition {self.number}: what it held in Edition "
            f"{prev.number} was withdrawn or now fits on the page before."
        )
        self.added: list[Extract] = []
        self.withdrawn: list[tuple[Extract, str]] = []  # (notice, the page it was on)
        self.changed: list[tuple[Extract, list[str]]] = []
        self.moved: list[Extract] = []
        self.base: dict[UnitKey, int] = {}  # unit key -> the old page it begins on
        self.attached: dict[int, list[Unit]] = {}  # old page -> new units laid out after it
        self.plan = self._merge(reasons)
        self.flows: dict[str, PagedFlow] = {}

    # ---- the structure: old tabs, items and extracts in place, new ones after them ----
    def _merge(self, reasons: dict[int, str]) -> Plan:
        new, old = self.new, self.prev.plan
        present = {e.id: e for e in new.extracts}
        docs = {d.id: d for d in new.documents}
        old_ids = {x["id"] for s in old["sections"] for it in s["items"] for x in it["extracts"]}
        sections: list[Section] = []
        where: dict[int | str, Place] = {}  # old extract id or section title -> its place
        items_used: set[int | str] = set()
        sections_used: set[int | str] = set()
        for s in old["sections"]:
            sec = Section(s["number"], s["title"], s["colour"], [])
            sections.append(sec)
            sections_used.add(sec.number)
            self.base["section", sec.number] = s["page"]
            where[s["title"]] = (sec, None, ("section", sec.number))
            for i in s["items"]:
                d = i["doc"]
                doc = docs.get(d["id"]) or Document(
                    id=d["id"],
                    title=d["title"],
                    urn=d["urn"],
                    witness=d["witness"],
                    date=d["date"],
                    kind=d["kind"],
                    sha256=d.get("sha256", ""),  # removed since: shown, never opened
                )
                it = Item(i["number"], doc, [], sec)
                sec.items.append(it)
                items_used.add(it.number)
                self.base["item", it.number] = i["page"]
                for x in i["extracts"]:
                    e = present.get(x["id"])
                    if e is None:
                        e = self._notice(x, doc, reasons.get(x["id"], ""))
                        if not x["withdrawn"]:
                            self.withdrawn.append((e, self.labeller.old[x["page"]]))
                    else:
                        what = changed(x["digest"], digest(e, new.selection.notes)) if x["digest"] else []
                        if what:
                            self.changed.append((e, what))
                    e.number, e.item = x["number"], it
                    it.extracts.append(e)
                    self.base["passage", e.id] = x["page"]
                    where[e.id] = (sec, it, ("passage", e.id))
        # New extracts follow, in today's order, the old extract (or tab) before them.
        anchor: Place | None = None
        run: list[Extract] = []
        for nsec in new.sections:
            if nsec.title in where:
                self._place(run, anchor, sections, items_used, sections_used)
                run, anchor = [], where[nsec.title]
            for e in (e for it in nsec.items for e in it.extracts):
                if e.id in old_ids:
                    self._place(run, anchor, sections, items_used, sections_used)
                    run, anchor = [], where[e.id]
                else:
                    run.append(e)
        self._place(run, anchor, sections, items_used, sections_used)
        seen: dict[int | None, Document] = {}
        for sec in sections:
            for it in sec.items:
                seen.setdefault(it.doc.id, it.doc)
        return Plan(
            new.inquiry,
            new.workspace_title,
            new.author,
            new.selection,
            sections,
            list(seen.values()),
            new.page_labels,
            new.theme_names,
            new.unresolved,
        )

    def _notice(self, x: ExtractRecord, doc: Document, reason: str) -> Extract:
        if x["withdrawn"]:
            why = x["withdrawn"]
        else:
            why = (
                f"Withdrawn in Edition {self.number}: {reason or 'the passage is no longer in this bundle'}."
            )
        return Extract(
            x["id"],
            doc,
            x["citation"],
            x["citation"],
            why,
            [],
            [],
            "",
            "",
            False,
            False,
            0,
            0,
            [],
            (0, 0),
            (0, 0),
            withdrawn=why,
        )

    def _place(
        self,
        run: list[Extract],
        anchor: Place | None,
        sections: list[Section],
        items_used: set[int | str],
        sections_used: set[int | str],
    ) -> None:
        """Put a run of new extracts after `anchor`, in new items (and a new tab when
        today's plan files them under a tab the old edition did not have)."""
        if not run:
            return
        sec, item, key = anchor if anchor is not None else (None, None, None)
        units: list[Unit] = []
        after_item = str(item.number) if item else ("0" if sec is None else self._item_before(sections, sec))
        cur_sec, cur_item, prev_item = sec, None, item
        sec_after = str(sec.number) if sec else "0"  # new tabs: 2A, 2B … after tab 2
        for e in run:
            assert e.item is not None and e.item.section is not None  # today's plan files every extract
            home = e.item.section
            if cur_sec is None or home.title != cur_sec.title:
                number = _next(sec_after, sections_used)
                new_sec = Section(number, home.title, home.colour, [])
                sections.insert(_at(sections, cur_sec) + 1, new_sec)
                units.append(("section", new_sec))
                cur_sec, cur_item, prev_item = new_sec, None, None
            if cur_item is None or cur_item.doc.id != e.doc.id:
                number = _next(after_item, items_used)
                cur_item = Item(number, e.doc, [], cur_sec)
                cur_sec.items.insert(_at(cur_sec.items, prev_item) + 1, cur_item)
                prev_item = cur_item
                units.append(("item", cur_item))
            cur_item.extracts.append(e)
            e.item = cur_item
            units.append(("extract", e))
            self.added.append(e)
        for it in {id(u[1]): u[1] for u in units if isinstance(u[1], Item)}.values():
            for k, e in enumerate(it.extracts, 1):
                e.number = f"{it.number}.{k}" if len(it.extracts) > 1 else str(it.number)
        self.attached.setdefault(self.base[key] if key else -1, []).extend(units)

    @staticmethod
    def _item_before(sections: list[Section], sec: Section) -> str:
        last = "0"
        for s in sections:
            if s is sec:
                break
            if s.items:
                last = str(s.items[-1].number)
        return last

    # ---- page layout ----
    def _flow(self, name: Part, header: str, lead: int) -> PagedFlow:
        flow = PagedFlow(header, self.labeller, self.prev.plan.get(name, []), lead, self.blank)
        self.flows[name] = flow
        return flow

    def index(self, header: str, index_fn: Callable[[Plan, str, Flow], object]) -> PagedFlow:
        index = self.prev.plan["index"]
        flow = self._flow("index", header, index[0] - 1)
        index_fn(self.plan, header, flow)
        return flow.finish()

    def appendix(self, header: str) -> PagedFlow:
        app = self.prev.plan["appendix"]
        return self._flow("appendix", header, app[0] - 1)

    def body(self, header: str) -> PagedFlow:
        """Each old page's units on that page, in the old order, then what follows it."""
        pages = self.prev.plan["body"]
        flow = self._flow("body", header, pages[0] - 1)
        groups: dict[int, list[Unit]] = {}
        for sec in self.plan.sections:
            units: list[Unit] = [("section", sec)]
            for it in sec.items:
                units += [("item", it)] + [("extract", e) for e in it.extracts]
            for unit in units:
                key = _key(unit)
                if key in self.base:
                    groups.setdefault(self.base[key], []).append(unit)
        self._units(flow, self.attached.get(-1, []), insert=True)
        pending: RunOn | None = None  # the last unit laid out ran on into the next old page
        for page in pages:
            here = groups.get(page)
            if not here:
                continue
            snap = flow.snapshot()
            ok, cont = self._group(flow, page, here, strict=True)
            if not ok and pending is not None:  # give the page back: what ran on goes on an inserted page
                flow.restore(pending[0])
                flow.may_continue = False
                self._unit(flow, pending[1])
                snap = flow.snapshot()
                ok, cont = self._group(flow, page, here, strict=True)
            if not ok:  # the page's own units grew past it: the rest go on after it
                flow.restore(snap)
                ok, cont = self._group(flow, page, here, strict=False)
            pending = cont
        return flow.finish()

    def _group(
        self, flow: PagedFlow, page: int, units: list[Unit], strict: bool
    ) -> tuple[bool, RunOn | None]:
        att = self.attached.get(page, [])
        cont: RunOn | None = None
        for k, unit in enumerate(units):
            last = k == len(units) - 1 and not att
            if not flow.goto(page) and strict:
                return False, None
            snap = flow.snapshot() if last else None
            flow.may_continue, flow.started = last, False
            self._unit(flow, unit)
            flow.may_continue = False
            if not flow.on_old(_key(unit), page):
                if strict:
                    return False, None
                if isinstance(unit[1], Extract):
                    self.moved.append(unit[1])
            if snap is not None and flow.olds[-1] != page:  # snap: taken for the last unit only
                cont = (snap, unit, page)
        self._units(flow, att, insert=True)
        return True, cont

    def _units(self, flow: PagedFlow, units: list[Unit], insert: bool) -> None:
        if not units:
            return
        flow.may_continue = False
        if insert:
            flow.insert()
        for unit in units:
            self._unit(flow, unit)

    def _unit(self, flow: PagedFlow, unit: Unit) -> None:
        what = unit[1]  # its kind goes with its type
        if isinstance(what, Section):
            extract_pages.section_heading(flow, what, self.plan.selection.numbering)
        elif isinstance(what, Item):
            extract_pages.item_heading(flow, what)
        else:
            extract_pages.extract(flow, self.plan, what)

    def sources(self) -> list[source_pages.SourcePage]:
        """Source pages in the new edition's order: the old ones where they were (a
        notice where all their extracts were withdrawn), new ones after the one before."""
        old = self.prev.plan.get("source_pages", [])
        current = source_pages.collect(self.plan)
        known = {(o["doc"], o["index"]): o for o in old}
        runs: dict[tuple[int, int] | None, list[source_pages.SourcePage]] = {}
        last: tuple[int, int] | None = None
        kept: dict[tuple[int, int], source_pages.SourcePage] = {}
        for sp in current:
            key = (sp.doc_id, sp.index)
            if key in known:
                kept[key], last = sp, key
            else:
                runs.setdefault(last, []).append(sp)
        lead = old[0]["page"] - 1 if old else self.prev.plan["appendix"][0] - 1
        out: list[source_pages.SourcePage] = []
        for sp in runs.get(None, []):
            sp.after = lead
            out.append(sp)
        for o in old:
            key = (o["doc"], o["index"])
            sp = kept.get(key) or self._source_notice(o)
            sp.keep = (o["page"], o["pages"])
            out.append(sp)
            for new in runs.get(key, []):
                new.after = o["page"] + o["pages"] - 1
                out.append(new)
        return out

    def _source_notice(self, o: SourceRecord) -> source_pages.SourcePage:
        sp = source_pages.SourcePage(o["doc"], o["index"])
        sp.note = o["withdrawn"] or f"Source page {o['ref']} · withdrawn in Edition {self.number}"
        flow = Flow()
        flow.new_page()
        flow.gap(60)
        flow.line(f"Source page {o['ref']}", LEFT, "bold", 16, INK, leading=1.5)
        flow.line(o["title"], LEFT, "sans", 10, GREY)
        flow.gap(12)
        flow.para(
            f"In Edition {self.prev.number} this page of the original was included for extract "
            f"{', '.join(o['extracts'])}. No extract of this edition quotes it any longer, so the page "
            f"is withdrawn from Edition {self.number}; its number is kept so that no other page moves.",
            LEFT,
            "sans",
            10,
            INK,
            leading=1.4,
        )
        sp.text_ops, sp.pages = flow.pages, 1
        return sp

    def source_labels(self, src: list[source_pages.SourcePage]) -> list[str]:
        out: list[str] = []
        olds: list[str]
        for sp in src:
            if sp.keep is not None:
                first, count = sp.keep
                olds = [self.labeller.old[first + k] for k in range(min(count, sp.pages))]
                out += olds
                base = first + count - 1
            else:
                assert sp.after is not None  # sources() puts every new source page after one
                olds, base = [], sp.after
            out += [self.labeller.after(base) for _ in range(sp.pages - len(olds))]
        return out

    def labels(
        self, index: PagedFlow, body: PagedFlow, appendix: PagedFlow, src: list[source_pages.SourcePage]
    ) -> "Labels":
        """Every page's label, in the order the pages are in the file."""
        changes = self.flows["changes"].labels
        return Labels(
            [
                self.labeller.old[0],
                *changes,
                *index.labels,
                *body.labels,
                *self.source_labels(src),
                *appendix.labels,
            ]
        )

    def changes(self, header: str) -> PagedFlow:
        """The "Edition N — changes" page(s), after the cover."""
        flow = self._flow("changes", header, 0)
        flow.new_page()
        n, prev = self.number, self.prev
        flow.line(f"Edition {n} — changes", LEFT, "bold", 18, INK, leading=1.5)
        flow.para(
            f"This edition re-issues Edition {prev.number} ({prev.filename}, exported "
            f"{prev.created_at[:10]}). Every page of Edition {prev.number} keeps its number and page "
            "label. New pages are numbered after the page they follow (for example 45A, 45B after "
            "page 45); a withdrawn extract leaves a notice where it was.",
            LEFT,
            "sans",
            9.5,
            GREY,
            leading=1.4,
        )
        flow.gap(8)
        self._list(
            flow,
            f"Added ({len(self.added)})",
            [(e, e.citation) for e in self.added],
        )
        self._list(
            flow,
            f"Withdrawn ({len(self.withdrawn)})",
            [
                (e, f"{e.citation} — was on p. {page}; {e.withdrawn.split(': ', 1)[-1]}")
                for e, page in self.withdrawn
            ],
        )
        self._list(
            flow,
            f"Changed ({len(self.changed)})",
            [(e, f"{e.citation} — {', '.join(what)} changed") for e, what in self.changed],
        )
        blanks = [b for name in ("index", "body") if name in self.flows for b in self.flows[name].blanks]
        if blanks:
            flow.gap(6)
            flow.line(f"Left blank ({len(blanks)})", LEFT, "bold", 11, INK, leading=1.5)
            flow.para(
                f"p. {', '.join(blanks)}: what these pages held was withdrawn or now fits on the page before.",
                LEFT + 10,
                "sans",
                9,
                INK,
            )
        if self.moved:
            self._list(
                flow,
                f"Moved ({len(self.moved)})",
                [(e, f"{e.citation} — it no longer fits on its page") for e in self.moved],
            )
        return flow.finish()

    def _list(self, flow: PagedFlow, title: str, rows: list[tuple[Extract, str]]) -> None:
        flow.gap(6)
        flow.line(title, LEFT, "bold", 11, INK, leading=1.5)
        if not rows:
            flow.line("None.", LEFT + 10, "italic", 9, GREY)
            return
        for e, text in rows:
            target = ("passage", e.id)
            y = flow.line(f"Extract {e.number}", LEFT + 10, "bold", 9, INK, width=70)[1]
            flow.y = y
            flow.line(text, LEFT + 84, "sans", 9, INK, width=RIGHT - 52 - LEFT - 90)
            flow.y = y
            flow.line(lambda r, t=target: f"p. {r.label(r(t)[0])}", RIGHT - 52, "sans", 9, LINK, width=52)
            flow.op(Op("link", (LEFT + 10, y, RIGHT, flow.y), target=target))

    def notes(self) -> list[str]:
        return [
            f"Extract {e.number} ({e.citation}) no longer fits on its page and begins on a page after it."
            for e in self.moved
        ]


class Labels:
    """Bundle page labels given page by page (Numbering's interface): runs of numbers
    become one PDF page-label rule each, an inserted page ("45A") a rule of its own."""

    def __init__(self, labels: list[str]):
        self.labels = labels

    def label(self, page: int | None) -> str:
        return self.labels[page] if page is not None and 0 <= page < len(self.labels) else "?"

    def rules(self) -> list[PageLabelRule]:
        rules: list[PageLabelRule] = []
        prev: tuple[str, int | None] | None = None  # (prefix, number) of the page before
        for n, label in enumerate(self.labels):
            digits = len(label) - len(label.rstrip(string.digits))
            if digits:
                prefix, number = label[: len(label) - digits], int(label[len(label) - digits :])
                if prev and prev[0] == prefix and prev[1] is not None and prev[1] + 1 == number:
                    prev = (prefix, number)
                    continue
                rules.append({"startpage": n, "prefix": prefix, "style": "D", "firstpagenum": number})
                prev = (prefix, number)
            else:
                rules.append({"startpage": n, "prefix": label, "style": "", "firstpagenum": 1})
                prev = (label, None)
        return rules


def _key(unit: Unit) -> UnitKey:
    kind, what = unit
    if isinstance(what, Extract):
        return ("passage", what.id)
    return (kind, what.number)


def _at(items: Sequence[object], obj: object) -> int:
    """Where `obj` is in `items` (by identity), -1 when absent."""
    return next((k for k, x in enumerate(items) if x is obj), -1)


def _next(after: str, used: set[int | str]) -> str:
    """The first free number after `after`: 3 -> 3A, 3B …"""
    for s in _suffixes():
        if after + s not in used:
            used.add(after + s)
            return after + s
    raise AssertionError("unreachable")
