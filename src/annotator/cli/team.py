"""team publish/join/users, sync, conflicts, resolve, audience: working as a team.

Passwords never go on the command line: the URL may carry one
(postgresql://user:pw@host/db), or set ANNOTATOR_PASSWORD (or PGPASSWORD,
or ~/.pgpass). A new user's password comes from ANNOTATOR_NEW_PASSWORD or
is asked for.
"""

import getpass
import os
import sys

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.util.errors import InvalidInput
from annotator.core.team import audience, conflicts, live, replica
from annotator.core.team.sync import sync


def register(sub) -> None:
    team = sub.add_parser("team", help="share a workspace through a PostgreSQL server")
    tsub = team.add_subparsers(dest="team_command", metavar="ACTION")

    p = tsub.add_parser("publish", help="put a workspace on an empty PostgreSQL database")
    p.add_argument("workspace")
    p.add_argument("url", help="postgresql://user@host/db (the login becomes the workspace's owner)")
    add_json(p)
    p.set_defaults(handler=cmd_publish)

    p = tsub.add_parser("join", help="make a local replica of a team workspace")
    p.add_argument("url")
    p.add_argument("workspace", help="the new local file (.annot)")
    p.add_argument("--user", help="login on the server (default: the URL's)")
    add_json(p)
    p.set_defaults(handler=cmd_join)

    p = tsub.add_parser("status", help="last sync, pending changes, open conflicts")
    p.add_argument("workspace")
    add_json(p)
    p.set_defaults(handler=cmd_status)

    users = tsub.add_parser("users", help="users and teams on the server (the owner's login)")
    usub = users.add_subparsers(dest="users_command", metavar="ACTION")
    p = usub.add_parser("add", help="add a user (password from ANNOTATOR_NEW_PASSWORD or asked)")
    p.add_argument("url")
    p.add_argument("name")
    p.add_argument("--team", action="append", default=[], help="also put the user in this team")
    p.set_defaults(handler=cmd_user_add)
    p = usub.add_parser("team", help="put users in a team (made when new)")
    p.add_argument("url")
    p.add_argument("team")
    p.add_argument("names", nargs="+")
    p.set_defaults(handler=cmd_user_team)
    p = usub.add_parser("list", help="users and their teams")
    p.add_argument("url")
    add_json(p)
    p.set_defaults(handler=cmd_user_list)

    p = sub.add_parser("sync", help="send this laptop's changes to the team server and fetch the others'")
    p.add_argument("workspace")
    add_json(p)
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser(
        "conflicts", help="changes made on two laptops to the same thing, waiting for a choice"
    )
    p.add_argument("workspace")
    p.add_argument("--all", action="store_true", help="settled ones too")
    add_json(p)
    p.set_defaults(handler=cmd_conflicts)

    p = sub.add_parser("resolve", help="settle a conflict")
    p.add_argument("workspace")
    p.add_argument("id", type=int)
    p.add_argument("--keep", choices=conflicts.KEEP, required=True)
    add_json(p)
    p.set_defaults(handler=cmd_resolve)

    p = sub.add_parser("audience", help="who sees a passage and its note: me, team or workspace")
    p.add_argument("workspace")
    p.add_argument("passage", type=int)
    p.add_argument("audience", choices=("me", "team", "workspace"))
    p.set_defaults(handler=cmd_audience)


def cmd_publish(args) -> int:
    with open_ws(args.workspace) as ws:
        out = replica.publish(ws, args.url)
    if args.json:
        emit_json(out)
    else:
        print(f"Published {args.workspace} to {out['url']} ({out['pushed']} records).")
    return 0


def cmd_join(args) -> int:
    ws = replica.join(args.url, args.workspace, args.user)
    try:
        st = live.status(ws)
        out = {"workspace": ws.path, "url": st.url, "user": st.user, "title": ws.get("title")}
    finally:
        ws.close()
    if args.json:
        emit_json(out)
    else:
        print(f"Joined {out['url']} as {out['user']}: {out['workspace']}")
    return 0


def cmd_status(args) -> int:
    with open_ws(args.workspace, write=False) as ws:
        st = live.status(ws)
    if args.json:
        emit_json(st.as_dict())
    elif not st.team:
        print("Not a team workspace.")
    else:
        print(
            f"{st.url} as {st.user}; last sync {st.last_sync or 'never'}; {st.pending} changes to send; "
            f"{st.conflicts} open conflicts"
            + (f"\nLast attempt failed: {st.last_error}" if st.last_error else "")
        )
    return 0


def _new_password(name: str) -> str:
    pw = os.environ.get("ANNOTATOR_NEW_PASSWORD")
    if pw:
        return pw
    if not sys.stdin.isatty():
        raise InvalidInput(
            "Give the new user's password in ANNOTATOR_NEW_PASSWORD (it is asked for on a terminal)."
        )
    return getpass.getpass(f"Password for {name}: ")


def cmd_user_add(args) -> int:
    audience.add_user(args.url, args.name, _new_password(args.name))
    for team in args.team:
        audience.add_to_team(args.url, team, [args.name])
    print(f"Added user {args.name}" + (f" to {', '.join(args.team)}" if args.team else "") + ".")
    return 0


def cmd_user_team(args) -> int:
    audience.add_to_team(args.url, args.team, args.names)
    print(f"Team {args.team}: added {', '.join(args.names)}.")
    return 0


def cmd_user_list(args) -> int:
    rows = audience.listing(args.url)
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            print(f"{r['user']}  {', '.join(r['teams']) or '(no team)'}")
    return 0


def cmd_sync(args) -> int:
    with open_ws(args.workspace) as ws:
        result = sync(ws)
    if args.json:
        emit_json(result.as_dict())
    else:
        print(f"Sent {result.pushed}, received {result.pulled}, {result.conflicts} new conflicts.")
    return 0


def cmd_conflicts(args) -> int:
    with open_ws(args.workspace, write=False) as ws:
        rows = conflicts.listing(ws, include_resolved=args.all)
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        print("No conflicts.")
    for c in rows:
        print(
            f"{c['id']:>4}  {c['table']} {c['local_id'] or ''} {c['what']!r}: {c['kind']} ({', '.join(c['fields'])})"
        )
        print(f"      mine   ({c['mine_author']}, {c['mine_at']}): {c['mine']}")
        print(f"      theirs ({c['theirs_author']}, {c['theirs_at']}): {c['theirs']}")
    return 0


def cmd_resolve(args) -> int:
    with open_ws(args.workspace) as ws:
        ch = conflicts.resolve(ws, args.id, args.keep)
    if args.json:
        emit_json({"id": args.id, "keep": args.keep})
    else:
        print(f"{ch.summary}: kept {args.keep}; the next sync sends it.")
    return 0


def cmd_audience(args) -> int:
    with open_ws(args.workspace) as ws:
        audience.set_audience(ws, args.passage, args.audience)
    print(f"Passage {args.passage}: seen by {args.audience}.")
    return 0
