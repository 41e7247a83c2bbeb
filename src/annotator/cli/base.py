"""new, info, themes, demo, gui."""

import os

from annotator import __version__
from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core import theme_ops, themes
from annotator.core.models import Blob, Document, Passage
from annotator.core.workspace import Workspace
from sqlmodel import func, select


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
        return [{"id": t.id, "name": t.name, "path": themes.path_name(t, by_id), "colour": t.colour,
                 "shortcut": t.shortcut, "parent": t.parent_id, "builtin": t.builtin,
                 "passages": n.get(t.id, 0)} for t in ts]


def info(ws) -> dict:
    with ws.session() as s:
        docs = s.exec(select(func.count()).select_from(Document)).one()
        pages = s.exec(select(func.coalesce(func.sum(Document.page_count), 0))).one()
        passages = s.exec(select(func.count()).select_from(Passage).where(Passage.deleted_at.is_(None))).one()
        stored = s.exec(select(func.coalesce(func.sum(Blob.size), 0))).one()
    from annotator.core import schema

    return {
        "path": ws.path, "title": ws.get("title"), "inquiry": ws.get("inquiry"),
        "urn_pattern": ws.get("urn_pattern"), "citation_style": ws.get("citation_style"),
        "schema_version": schema.SCHEMA_VERSION, "app_version": __version__,
        "read_only": ws.readonly, "documents": docs, "pages": pages, "passages": passages,
        "originals_bytes": stored, "themes": theme_rows(ws),
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
                    parent = themes.find(s, args.parent).id
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


def cmd_demo(args) -> int:
    from annotator.core import demo

    if os.path.exists(args.workspace):
        if not args.force:
            print(f"annotator: {args.workspace} exists; use --force to replace it.")
            return 2
        os.unlink(args.workspace)
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
