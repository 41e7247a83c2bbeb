"""tag, edit, passages, link, unlink: tagging from the command line.

Pages and lines are numbered as `annotator lines` prints them (transcripts:
printed page and line; other documents: page from 1, line counted per page).
A tag command that exits 0 has committed its passage.
"""

import argparse
import re

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.evidence import anchors, areas, passages, tagging, themes
from annotator.core.library import documents
from annotator.core.util.errors import InvalidInput
from annotator.core.store.models import saved_id


def register(sub) -> None:
    p = sub.add_parser("tag", help="tag a passage by lines or by quotation, or an area of a page")
    p.add_argument("workspace")
    p.add_argument("document", help="document id, URN, file name or title")
    where_args(p)
    p.add_argument(
        "--area",
        metavar="X0,Y0,X1,Y1",
        help="a rectangle on --page (the PDF page, from 1), in points from the top left: an area "
        "(a signature, a photograph, a table)",
    )
    p.add_argument("--label", default="", help="what the area shows, when it holds no text (e.g. signature)")
    p.add_argument(
        "--theme", action="append", default=[], required=True, help="theme name or id (repeat for more)"
    )
    p.add_argument("--note", default="")
    p.add_argument("--important", action="store_true", help="mark the passage important")
    p.add_argument("--redact", action="store_true", help="withhold its words from bundles (see edit)")
    add_json(p)
    p.set_defaults(handler=cmd_tag)

    p = sub.add_parser("edit", help="change a passage: note, themes, important, redaction; or delete it")
    p.add_argument("workspace")
    p.add_argument("passage", type=int, help="passage id")
    p.add_argument("--note", help="replace the note ('' clears it)")
    p.add_argument("--add-theme", action="append", default=[], metavar="T", help="add a theme (repeatable)")
    p.add_argument(
        "--remove-theme", action="append", default=[], metavar="T", help="remove a theme (repeatable)"
    )
    p.add_argument(
        "--important",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="marked important (--no-important clears it)",
    )
    p.add_argument(
        "--redact",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="redacted in bundles: the quotation is withheld and its words are removed "
        "from the source page (--no-redact clears it)",
    )
    p.add_argument("--delete", action="store_true", help="delete the passage (the audit log keeps it)")
    add_json(p)
    p.set_defaults(handler=cmd_edit)

    p = sub.add_parser("passages", help="list tagged passages")
    p.add_argument("workspace")
    p.add_argument("--theme", action="append", default=[], help="only passages with this theme")
    p.add_argument("--document", help="only passages of this document")
    add_json(p)
    p.set_defaults(handler=cmd_passages)

    p = sub.add_parser("link", help="link two passages (contradicts, corroborates, see also, ...)")
    p.add_argument("workspace")
    p.add_argument("source", type=int, help="passage id")
    p.add_argument("target", type=int, help="passage id")
    p.add_argument("--relation", default="see also")
    add_json(p)
    p.set_defaults(handler=cmd_link)

    p = sub.add_parser("unlink", help="remove a link between two passages (its id as 'passages' lists it)")
    p.add_argument("workspace")
    p.add_argument("link", type=int, help="link id")
    p.set_defaults(handler=cmd_unlink)


def where_args(p) -> None:
    """--page/--lines, --from/--to, --para or --quote: where a passage is (see _anchor)."""
    p.add_argument("--page", type=int, help="page holding the lines (with --lines)")
    p.add_argument("--lines", help="line range on --page, e.g. 3-9 or 4")
    p.add_argument("--from", dest="from_", metavar="P:L", help="first page:line")
    p.add_argument("--to", metavar="P:L", help="last page:line")
    p.add_argument("--quote", help="the exact words (spacing and case are ignored)")
    p.add_argument("--occurrence", type=int, default=1, help="which match of --quote (default 1)")
    p.add_argument(
        "--para",
        metavar="N[-M]",
        help="numbered paragraph(s): a statement's, or a web transcript's (Annotator's)",
    )


def _page_line(text: str, what: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", text or "")
    if not m:
        raise InvalidInput(f"{what} must be page:line, e.g. 12:3 (got '{text}').")
    return int(m[1]), int(m[2])


def _anchor(s, doc_id: int, args) -> anchors.Anchor:
    if getattr(args, "area", None):
        if args.page is None or args.lines or args.from_ or args.to or args.quote or args.para:
            raise InvalidInput("An area goes with --page alone, e.g. --page 4 --area 72,600,300,700.")
        return areas.anchor(s, doc_id, [args.page - 1, *areas.parse_rect(args.area)], args.label)
    ways = [args.lines is not None or args.page is not None, bool(args.from_ or args.to), bool(args.quote)]
    ways.append(bool(args.para))
    if sum(ways) != 1:
        raise InvalidInput(
            "Say where the passage is with one of: --page P --lines L1-L2, "
            "--from P:L --to P:L, --para N-M or --quote TEXT."
        )
    if args.para:
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", args.para)
        if not m:
            raise InvalidInput(f"--para must be a paragraph or a range, e.g. 12-14 (got '{args.para}').")
        return anchors.from_paras(s, doc_id, int(m[1]), int(m[2] or m[1]))
    if ways[0]:
        if args.page is None or not args.lines:
            raise InvalidInput("--page and --lines go together, e.g. --page 12 --lines 3-9.")
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", args.lines)
        if not m:
            raise InvalidInput(f"--lines must be a line or a range, e.g. 3-9 (got '{args.lines}').")
        first, last = int(m[1]), int(m[2] or m[1])
        return anchors.from_lines(s, doc_id, (args.page, first), (args.page, last))
    if ways[1]:
        if not (args.from_ and args.to):
            raise InvalidInput("--from and --to go together, e.g. --from 12:3 --to 13:7.")
        return anchors.from_lines(s, doc_id, _page_line(args.from_, "--from"), _page_line(args.to, "--to"))
    return anchors.from_quote(s, doc_id, args.quote, args.occurrence)


def cmd_tag(args) -> int:
    with open_ws(args.workspace, write=True) as ws:
        with ws.session() as s:
            doc = documents.find(s, args.document)
            doc_id = saved_id(doc)
            anchor = _anchor(s, doc_id, args)
            tids = [saved_id(themes.find(s, t)) for t in args.theme]
        ch = tagging.tag(ws, doc_id, anchor, tids, args.note, important=args.important, redact=args.redact)
        with ws.session() as s:
            view = passages.views(s, ids=[ch.result])[0]
    if args.json:
        emit_json(view.as_dict())
    else:
        print(
            f"Tagged {'area' if view.area else 'passage'} {view.id}: {view.citation} [{', '.join(view.themes)}]{_flags(view)} "
            f"{_short(view.quote)}"
        )
    return 0


def _flags(view) -> str:
    anchor = f" ({view.anchor} in the new version)" if view.anchor in ("changed", "orphaned") else ""
    return (
        (" (important)" if view.important else "")
        + (" (redacted in bundles)" if view.redact else "")
        + anchor
    )


def cmd_edit(args) -> int:
    changes = (
        args.note,
        args.add_theme or None,
        args.remove_theme or None,
        args.important,
        args.redact,
        args.delete or None,
    )
    if all(c is None for c in changes):
        raise InvalidInput(
            "Say what to change: --note, --add-theme, --remove-theme, --important, --redact or --delete."
        )
    if args.delete and any(c is not None for c in changes[:-1]):
        raise InvalidInput("--delete goes alone.")
    with open_ws(args.workspace, write=True) as ws:
        if args.delete:
            with ws.session() as s:
                gone = passages.views(s, ids=[args.passage])
            tagging.delete_passage(ws, args.passage)
            if args.json:
                emit_json({"id": args.passage, "deleted": True})
            else:
                print(f"Deleted passage {args.passage}" + (f" ({gone[0].citation})." if gone else "."))
            return 0
        with ws.session() as s:
            add = [saved_id(themes.find(s, t)) for t in args.add_theme]
            drop = [saved_id(themes.find(s, t)) for t in args.remove_theme]
            now = tagging.theme_ids_of(s, args.passage)
        if args.note is not None:
            tagging.set_note(ws, args.passage, args.note)
        if add or drop:
            tagging.set_themes(
                ws, args.passage, [t for t in now if t not in drop] + [t for t in add if t not in now]
            )
        if args.important is not None or args.redact is not None:
            tagging.set_flags(ws, args.passage, important=args.important, redact=args.redact)
        with ws.session() as s:
            view = passages.views(s, ids=[args.passage])[0]
    if args.json:
        emit_json(view.as_dict())
    else:
        note = f" — {view.note}" if view.note else ""
        print(
            f"{view.id:>5}  {view.citation}  [{', '.join(view.themes)}]{_flags(view)} {_short(view.quote)}{note}"
        )
    return 0


def cmd_unlink(args) -> int:
    with open_ws(args.workspace, write=True) as ws:
        tagging.unlink(ws, args.link)
    print(f"Removed link {args.link}.")
    return 0


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def cmd_passages(args) -> int:
    with open_ws(args.workspace, write=False) as ws:
        with ws.session() as s:
            tids = [saved_id(themes.find(s, t)) for t in args.theme] or None
            docs = [saved_id(documents.find(s, args.document))] if args.document else None
            rows = passages.views(s, theme_ids=tids, document_ids=docs)
    if args.json:
        emit_json([v.as_dict() for v in rows])
        return 0
    for v in rows:
        links = "".join(f" [{ln['relation']} {ln['to']}, link {ln['id']}]" for ln in v.links)
        note = f" — {v.note}" if v.note else ""
        print(f"{v.id:>5}  {v.citation}  [{', '.join(v.themes)}]{_flags(v)} {_short(v.quote)}{note}{links}")
    if not rows:
        print("No passages.")
    return 0


def cmd_link(args) -> int:
    with open_ws(args.workspace, write=True) as ws:
        ch = tagging.link(ws, args.source, args.target, args.relation)
    if args.json:
        emit_json(
            {
                "id": ch.result,
                "source": args.source,
                "target": args.target,
                "relation": args.relation.strip().lower(),
            }
        )
    else:
        print(f"Linked passage {args.source} to {args.target} ({args.relation.strip().lower()}).")
    return 0
