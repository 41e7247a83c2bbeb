"""export, import-json."""

import sys

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.library import documents
from annotator.core.evidence import themes
from annotator.core.util.errors import InvalidInput, WorkspaceLocked


def register(sub) -> None:
    p = sub.add_parser("export", help="write an evidence bundle (PDF), a table of passages, JSON or REFI-QDA")
    p.add_argument("workspace")
    p.add_argument("--out", required=True, help="file to write, or a folder for the standard bundle name")
    p.add_argument(
        "--format",
        choices=("pdf", "csv", "xlsx", "docx", "json", "qdpx"),
        default=None,
        help="default: from the file extension, else pdf",
    )
    p.add_argument("--theme", action="append", default=[], metavar="T", help="theme name or id (repeatable)")
    p.add_argument(
        "--all-themes", action="store_true", help="passages must carry every --theme (default: any)"
    )
    p.add_argument(
        "--doc", action="append", default=[], metavar="D", help="document id, URN, file name or title"
    )
    p.add_argument("--witness", action="append", default=[], metavar="W")
    p.add_argument("--days", metavar="A-B", help="hearing days, e.g. 40-45")
    p.add_argument("--dates", metavar="FROM..TO", help="document dates, e.g. 2011-01-01..2011-06-30")
    p.add_argument("--important", action="store_true", help="only passages marked important")
    p.add_argument("--no-notes", action="store_true", help="leave notes and their authors out")
    p.add_argument("--source-pages", action="store_true", help="include each source page, highlighted")
    p.add_argument("--order", choices=("theme", "document", "witness"), default="theme")
    p.add_argument(
        "--numbering",
        choices=("plain", "prefix", "tab"),
        default="plain",
        help="page numbers: 12, C12 (bundle letter prefix) or 2-5 (tab 2, page 5)",
    )
    p.add_argument("--title", default="")
    p.add_argument("--letter", default="")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument(
        "--reissue",
        metavar="PREVIOUS.pdf",
        help="a new edition of this bundle (exported from this workspace): its page numbers are kept",
    )
    add_json(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import-json", help="rebuild a JSON export inside a new (or empty) workspace")
    p.add_argument("workspace")
    p.add_argument("file")
    add_json(p)
    p.set_defaults(handler=cmd_import_json)


def selection_from_args(ws, args):
    from annotator.core.export import Selection, parse_days

    with ws.session() as s:
        theme_ids = [themes.find(s, t).id for t in args.theme]
        doc_ids = [documents.find(s, d).id for d in args.doc]
    lo, hi = parse_days(args.days or "")
    date_from = date_to = ""
    if args.dates:
        date_from, sep, date_to = args.dates.partition("..")
        if not sep:
            raise InvalidInput("Write dates as FROM..TO, e.g. 2011-01-01..2011-06-30.")
    return Selection(
        themes=theme_ids,
        theme_mode="all" if args.all_themes else "any",
        documents=doc_ids,
        witnesses=args.witness,
        day_from=lo,
        day_to=hi,
        date_from=date_from.strip(),
        date_to=date_to.strip(),
        important_only=args.important,
        notes=not args.no_notes,
        source_pages=args.source_pages,
        order=args.order,
        title=args.title,
        letter=args.letter,
        numbering=args.numbering,
    ).check()


def _format(args) -> str:
    if args.format:
        return args.format
    ext = args.out.lower().rsplit(".", 1)[-1] if "." in args.out else ""
    return ext if ext in ("pdf", "csv", "xlsx", "docx", "json", "qdpx") else "pdf"


def _filtered(args) -> bool:
    return bool(args.theme or args.doc or args.witness or args.days or args.dates or args.important)


def _open_for_export(args):
    """A PDF bundle is recorded as an edition, which needs write access; without it
    the bundle is still written (and the report says it was not recorded)."""
    if _format(args) != "pdf":
        return open_ws(args.workspace, write=False)
    try:
        return open_ws(args.workspace, write=True)
    except WorkspaceLocked as err:
        if args.reissue:
            raise
        print(f"annotator: warning: {err}", file=sys.stderr)
        return open_ws(args.workspace, write=False)


def cmd_export(args) -> int:
    from annotator.core.export import export

    with _open_for_export(args) as ws:
        # a re-issue keeps the previous edition's selection unless passages are chosen again
        sel = None if args.reissue and not _filtered(args) else selection_from_args(ws, args)

        def progress(done, total, text=""):
            if not args.json and sys.stderr.isatty():
                print(f"\r{text} {done}/{total}   ", end="", file=sys.stderr, flush=True)

        report = export(
            ws, sel, args.out, _format(args), progress=progress, overwrite=args.force, reissue=args.reissue
        )
    if args.json:
        emit_json(report.as_dict())
        return 0
    if sys.stderr.isatty():
        print(file=sys.stderr)
    what = f"{report.pages} pages, " if report.pages else ""
    edition = f", edition {report.edition}" if report.edition > 1 else ""
    print(f"Wrote {report.path} ({what}{report.passages} passages{edition})")
    if report.changes:
        c = report.changes
        print(
            f"Changes since edition {c['previous_edition']}: {len(c['added'])} added, "
            f"{len(c['withdrawn'])} withdrawn, {len(c['changed'])} changed; "
            f"new pages: {', '.join(c['inserted_pages']) or 'none'}"
        )
    for note in report.notices:
        print(note)
    if report.unresolved:
        print(f"{len(report.unresolved)} cross-reference(s) point outside the bundle:")
        for u in report.unresolved:
            a, b = (u["passage"], u["other"]) if u["direction"] == "out" else (u["other"], u["passage"])
            print(f"  {a} {u['relation']} {b}: {u['reason']}")
    return 0


def cmd_import_json(args) -> int:
    import os

    from annotator.core.export.jsonio import import_json, load
    from annotator.core.store.workspace import Workspace, discard

    created = not os.path.exists(args.workspace)
    if created:
        load(args.file)  # check the file before creating anything
        ws = Workspace.create(args.workspace)
    else:
        ws = open_ws(args.workspace, write=True)
    try:
        with ws:
            counts = import_json(ws, args.file)
    except Exception:
        if created:  # the new workspace holds nothing: do not leave it behind
            discard(args.workspace)
        raise
    if args.json:
        emit_json(counts)
    else:
        print(
            f"Imported {counts['documents']} documents, {counts['passages']} passages, "
            f"{counts['links']} links and {counts['themes']} themes into {args.workspace}"
        )
    return 0
