"""backups, backup, restore."""

import os
import sys

from annotator.cli._common import add_json, emit_json
from annotator.core.store import backups
from annotator.core.util.errors import InvalidInput
from annotator.core.store.workspace import Workspace


def register(sub) -> None:
    p = sub.add_parser("backups", help="list a workspace's backups, newest first")
    p.add_argument("workspace")
    add_json(p)
    p.set_defaults(handler=cmd_backups)

    p = sub.add_parser("backup", help="back a workspace up now")
    p.add_argument("workspace")
    add_json(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="bring back a backup (the current state is backed up first)")
    p.add_argument("workspace")
    p.add_argument("backup", help="a backup's file name or path, or its number in `annotator backups`")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_json(p)
    p.set_defaults(handler=cmd_restore)


def _describe(info: backups.BackupInfo) -> str:
    counts = (
        f"{info.documents} documents, {info.passages} passages"
        if info.documents is not None
        else "unreadable"
    )
    why = backups.REASONS.get(info.reason, info.reason)
    return f"{info.when:%Y-%m-%d %H:%M:%S}  {why:<18} {counts:<32} {os.path.basename(info.path)}"


def cmd_backups(args) -> int:
    if not os.path.exists(args.workspace):
        raise InvalidInput(f"No workspace at {args.workspace}.")
    found = backups.list_backups(args.workspace)
    if args.json:
        emit_json({"folder": backups.folder(args.workspace), "backups": [b.as_dict() for b in found]})
        return 0
    if not found:
        print(f"No backups yet (they are kept in {backups.folder(args.workspace)}).")
        return 0
    for n, info in enumerate(found, 1):
        print(f"{n:>3}  {_describe(info)}")
    return 0


def cmd_backup(args) -> int:
    with Workspace.open(args.workspace) as ws:
        info = backups.make(ws, "manual")
    if args.json:
        emit_json(info.as_dict())
    else:
        print(f"Backed up to {info.path}")
    return 0


def cmd_restore(args) -> int:
    path = backups.find(args.workspace, args.backup)
    docs, passages, _last = backups.counts_of(path)
    if not args.yes:
        print(
            f"Restore {os.path.basename(path)} ({docs} documents, {passages} passages) into "
            f"{args.workspace}? The current state is backed up first. [y/N] ",
            end="",
            flush=True,
        )
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    ws = Workspace.open(args.workspace)  # the restore makes its own backup first
    try:
        ws, before = backups.restore(ws, path)
    finally:
        ws.close()
    if args.json:
        emit_json({"restored": path, "previous_state": before.path})
    else:
        print(f"Restored {os.path.basename(path)}. The state before is kept in {before.path}")
    return 0
