"""Helpers shared by the command modules."""

import json
import sys

from annotator.core.store.workspace import Workspace


def open_ws(path: str, write: bool = True) -> Workspace:
    ws = Workspace.open(path, readonly=not write)
    if write and not ws.readonly:
        from annotator.core.store import backups
        from annotator.core.util.errors import AnnotatorError

        try:  # at most every `backup_every_minutes`, and only after changes
            backups.maybe(ws)
        except AnnotatorError as err:
            print(f"annotator: warning: {err}", file=sys.stderr)
    return ws


def emit_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def add_json(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON (see README for the shape)")
