"""settings: show or change settings, the workspace's and the user's own.

Every option comes from the declarations in core/store/settings.py; each
setting is stored where it is declared to live (the workspace, or the user's
config folder), so `annotator settings --author NAME` needs no workspace."""

import sys

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.library import documents
from annotator.core.store import settings, user_config


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def register(sub) -> None:
    p = sub.add_parser(
        "settings",
        help="show or change settings (the workspace's, and yours in the config folder)",
        description="Workspace settings need WORKSPACE; yours (marked 'user') are kept in "
        f"{user_config.path()} and apply to every workspace.",
    )
    p.add_argument("workspace", nargs="?", help="the workspace (leave out to see or set only yours)")
    for key, s in settings.SETTINGS.items():
        if not s.shown:
            continue
        kind = type(s.default)
        meta = "yes|no" if kind is bool else ("N" if kind is int else "TEXT")
        where = " [user]" if s.scope == settings.USER else ""
        p.add_argument(
            _flag(key),
            dest=key,
            metavar=None if s.choices else meta,
            choices=s.choices or None,
            help=f"{s.help}{where}",
        )
    p.add_argument(
        "--reread-urns",
        action="store_true",
        help="read every document's URN again with the (new) pattern; its file name wins",
    )
    add_json(p)
    p.set_defaults(handler=cmd_settings)


def cmd_settings(args) -> int:
    values = {
        key: getattr(args, key)
        for key, s in settings.SETTINGS.items()
        if s.shown and getattr(args, key) is not None
    }
    settings.check(values)  # refuse before opening anything for writing
    needs_ws = args.reread_urns or any(settings.info(k).scope == settings.WORKSPACE for k in values)
    if args.workspace is None:
        if needs_ws:
            from annotator.core.util.errors import InvalidInput

            raise InvalidInput("Name the workspace: these settings are stored in it.")
        settings.apply(None, values)
        return _show(None, [], args.json)
    with open_ws(args.workspace, write=needs_ws) as ws:
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
        return _show(ws, reread, args.json)


def _show(ws, reread: list, as_json: bool) -> int:
    keys = [k for k in settings.SETTINGS if ws is not None or settings.info(k).scope == settings.USER]
    data = {key: settings.current(ws, key) for key in keys}
    if as_json:
        emit_json({**data, "reread_urns": reread, "user_config": user_config.path()})
        return 0
    for scope, heading in ((settings.WORKSPACE, "workspace"), (settings.USER, "user")):
        for key in keys:
            s = settings.info(key)
            if s.shown and s.scope == scope:
                print(f"{key:>22}: {_text(data[key])}  [{heading}]")
    for p in reread:
        print(f"URN of {p['title']}: {p['old'] or '(none)'} -> {p['new']}")
    return 0


def _text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
