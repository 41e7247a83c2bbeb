"""settings: show or change a workspace's settings (URN pattern, author, citation style)."""

import sys

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.evidence import citations
from annotator.core.library import documents
from annotator.core.store import settings

FLAGS = {  # option -> setting
    "urn_pattern": "urn_pattern",
    "author": "author",
    "citation_style": "citation_style",
    "cite_transcripts_by": "cite_transcripts_by",
}


def register(sub) -> None:
    p = sub.add_parser("settings", help="show or change the workspace's settings")
    p.add_argument("workspace")
    p.add_argument("--urn-pattern", metavar="RE", help="regular expression of document references")
    p.add_argument("--author", metavar="NAME", help="name written on new passages and links")
    p.add_argument("--citation-style", choices=citations.STYLES)
    p.add_argument(
        "--cite-transcripts-by",
        choices=citations.NAME_BY,
        help="what names a transcript without a hearing day in citations",
    )
    p.add_argument(
        "--reread-urns",
        action="store_true",
        help="read every document's URN again with the (new) pattern; its file name wins",
    )
    add_json(p)
    p.set_defaults(handler=cmd_settings)


def cmd_settings(args) -> int:
    values = {key: getattr(args, flag) for flag, key in FLAGS.items() if getattr(args, flag) is not None}
    for key, value in values.items():
        settings.info(key).coerce(value)  # refuse before opening for writing
    write = bool(values) or args.reread_urns
    with open_ws(args.workspace, write=write) as ws:
        settings.apply(ws, values)
        pattern = ws.get("urn_pattern")
        reread = []
        if args.reread_urns:
            reread = documents.reread_urns(ws, pattern).result
        elif "urn_pattern" in values:
            with ws.session() as s:
                waiting = documents.urn_proposals(s, pattern)
            if waiting and not args.json:
                print(
                    f"annotator: {len(waiting)} document{'s' if len(waiting) != 1 else ''} would get another "
                    "URN under this pattern; run again with --reread-urns to update them:",
                    file=sys.stderr,
                )
                for p in waiting:
                    print(f"  {p['title']}: {p['old'] or '(none)'} -> {p['new']}", file=sys.stderr)
        data = {key: ws.get(key) for key in settings.SETTINGS}
    if args.json:
        emit_json({**data, "reread_urns": reread})
        return 0
    for key, setting in settings.SETTINGS.items():
        if setting.shown:
            print(f"{key:>22}: {data[key]}")
    for p in reread:
        print(f"URN of {p['title']}: {p['old'] or '(none)'} -> {p['new']}")
    return 0
