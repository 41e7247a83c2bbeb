"""new, info, themes, theme, demo, gui."""

import os

from annotator import __version__
from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.evidence import theme_ops, themes
from annotator.core.store.models import Blob, Document, Passage
from annotator.core.store.workspace import Workspace, discard
from annotator.core.store.models import saved_id
from sqlmodel import col, func, select


def register(sub) -> None:
    p = sub.add_parser("new", help="create a workspace file")
    p.add_argument("workspace")
    p.add_argument("--title", default="")
    p.add_argument("--inquiry", default="")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("info", help="show a workspace's settings, counts and themes")
    p.add_argument("workspace")
    add_json(p)
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser("themes", help="list themes, or add one")
    p.add_argument("workspace")
    p.add_argument("--add", metavar="NAME")
    p.add_argument("--colour", "--color", default="#607D8B")
    p.add_argument("--parent", help="nest the new theme under this one")
    p.add_argument("--shortcut", default="")
    add_json(p)
    p.set_defaults(handler=cmd_themes)

    p = sub.add_parser("theme", help="rename, recolour, nest, merge or delete a theme")
    p.add_argument("workspace")
    p.add_argument("theme", help="theme name, path (Quality / Staffing) or id")
    p.add_argument("--rename", metavar="NAME")
    p.add_argument("--colour", "--color", metavar="#RRGGBB")
    p.add_argument("--shortcut", metavar="KEY", help="a key 1-9 or a letter; '' clears it")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--parent", metavar="THEME", help="nest it under this theme")
    where.add_argument("--top", action="store_true", help="make it a top-level theme")
    end = p.add_mutually_exclusive_group()
    end.add_argument(
        "--merge-into",
        metavar="THEME",
        help="move its passages (and sub-themes) to this theme, then remove it",
    )
    end.add_argument(
        "--delete", action="store_true", help="remove it; its passages stay and lose it (or see --to-parent)"
    )
    p.add_argument(
        "--to-parent", action="store_true", help="with --delete: its passages take its parent theme"
    )
    add_json(p)
    p.set_defaults(handler=cmd_theme)

    p = sub.add_parser("demo", help="build the demo workspace")
    p.add_argument("workspace")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("gui", help="open the window (optionally on a workspace)")
    p.add_argument("workspace", nargs="?")
    p.add_argument("--demo", action="store_true", help="open the demo workspace, building it if needed")
    p.set_defaults(handler=cmd_gui)


def cmd_new(args) -> int:
    with Workspace.create(args.workspace, title=args.title, inquiry=args.inquiry) as ws:
        print(f"Created {ws.path}")
    return 0


def theme_rows(ws) -> list[dict]:
    with ws.session() as s:
        ts = themes.all_themes(s)
        n = themes.counts(s)
        by_id = {t.id: t for t in ts}
        return [
            {
                "id": t.id,
                "name": t.name,
                "path": themes.path_name(t, by_id),
                "colour": t.colour,
                "shortcut": t.shortcut,
                "parent": t.parent_id,
                "builtin": t.builtin,
                "passages": n.get(saved_id(t), 0),
            }
            for t in ts
        ]


def info(ws) -> dict:
    with ws.session() as s:
        docs = s.exec(select(func.count()).select_from(Document)).one()
        pages = s.exec(select(func.coalesce(func.sum(Document.page_count), 0))).one()
        passages = s.exec(
            select(func.count()).select_from(Passage).where(col(Passage.deleted_at).is_(None))
        ).one()
        stored = s.exec(select(func.coalesce(func.sum(Blob.size), 0))).one()
    from annotator.core.store import schema

    return {
        "path": ws.path,
        "title": ws.get("title"),
        "inquiry": ws.get("inquiry"),
        "urn_pattern": ws.get("urn_pattern"),
        "citation_style": ws.get("citation_style"),
        "schema_version": schema.SCHEMA_VERSION,
        "app_version": __version__,
        "read_only": ws.readonly,
        "documents": docs,
        "pages": pages,
        "passages": passages,
        "originals_bytes": stored,
        "themes": theme_rows(ws),
    }


def cmd_info(args) -> int:
    with open_ws(args.workspace, write=False) as ws:
        data = info(ws)
    if args.json:
        emit_json(data)
        return 0
    print(f"{data['title']}  ({data['path']})")
    if data["inquiry"]:
        print(f"Inquiry: {data['inquiry']}")
    print(f"{data['documents']} documents, {data['pages']} pages, {data['passages']} passages")
    print("Themes: " + ", ".join(f"{t['name']} ({t['passages']})" for t in data["themes"]))
    return 0


def cmd_themes(args) -> int:
    with open_ws(args.workspace, write=bool(args.add)) as ws:
        if args.add:
            parent = None
            if args.parent:
                with ws.session() as s:
                    parent = saved_id(themes.find(s, args.parent))
            ch = theme_ops.add(ws, args.add, args.colour, parent, args.shortcut)
            if not args.json:
                print(f"Added theme {args.add} (id {ch.result})")
        rows = theme_rows(ws)
    if args.json:
        emit_json(rows)
    elif not args.add:
        for t in rows:
            key = f"[{t['shortcut']}] " if t["shortcut"] else ""
            print(f"{t['id']:>4}  {key}{t['path']}  {t['colour']}  {t['passages']} passages")
    return 0


def cmd_theme(args) -> int:
    from annotator.core.util.errors import InvalidInput

    edits = (
        args.rename,
        args.colour,
        args.shortcut,
        args.parent,
        args.top or None,
        args.merge_into,
        args.delete or None,
    )
    if args.to_parent and not args.delete:
        raise InvalidInput("--to-parent goes with --delete.")
    if all(e is None for e in edits):
        raise InvalidInput(
            "Say what to change: --rename, --colour, --shortcut, --parent/--top, --merge-into or --delete."
        )
    with open_ws(args.workspace, write=True) as ws:
        with ws.session() as s:
            theme = themes.find(s, args.theme)
            tid, name = saved_id(theme), theme.name
            parent = saved_id(themes.find(s, args.parent)) if args.parent else None
            into = themes.find(s, args.merge_into) if args.merge_into else None
            n = themes.counts(s).get(tid, 0)
        if args.rename is not None:
            theme_ops.rename(ws, tid, args.rename)
        if args.colour is not None:
            theme_ops.recolour(ws, tid, args.colour)
        if args.shortcut is not None:
            theme_ops.set_shortcut(ws, tid, args.shortcut)
        if parent is not None or args.top:
            theme_ops.move(ws, tid, parent)
        if into is not None:
            theme_ops.merge(ws, tid, saved_id(into))
            said = f"Merged {name} into {into.name}: its {n} passage(s) now carry {into.name}."
        elif args.delete:
            theme_ops.delete(ws, tid, reassign_to_parent=args.to_parent)
            said = f"Deleted theme {name}; its {n} passage(s) stay" + (
                " and take its parent theme." if args.to_parent else " without it."
            )
        rows = theme_rows(ws)
    if args.json:
        emit_json(rows)
    elif into is None and not args.delete:
        t = next(r for r in rows if r["id"] == tid)
        key = f"[{t['shortcut']}] " if t["shortcut"] else ""
        print(f"{t['id']:>4}  {key}{t['path']}  {t['colour']}  {t['passages']} passages")
    else:
        print(said)
    return 0


def cmd_demo(args) -> int:
    from annotator.core import demo

    if os.path.exists(args.workspace):
        if not args.force:
            print(f"annotator: {args.workspace} exists; use --force to replace it.")
            return 2
        discard(args.workspace)  # with its WAL, and never under another process
    ws = demo.build(args.workspace)
    ws.close()
    print(f"Built the demo workspace at {os.path.abspath(args.workspace)}")
    return 0


def cmd_gui(args) -> int:
    from annotator.gui.app import main as gui_main

    argv = [args.workspace] if args.workspace else []
    if args.demo:
        argv = ["--demo"]
    return gui_main(argv)
