"""Helpers shared by the command modules."""

import json
import sys

from annotator.core.workspace import Workspace


def open_ws(path: str, write: bool = True) -> Workspace:
    return Workspace.open(path, readonly=not write)


def emit_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def add_json(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON (see README for the shape)")
