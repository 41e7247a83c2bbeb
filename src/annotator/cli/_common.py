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


def print_hits(hits, notices, as_json: dict | None) -> bool:
    """Notes on stderr; then the JSON (when given) or each hit as two lines. True if JSON was printed."""
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    if as_json is not None:
        emit_json(as_json)
        return True
    for h in hits:
        themes_txt = f"  [{', '.join(h.themes)}]" if h.themes else ""
        tag = f"  (passage {h.passage_id})" if h.kind == "passage" else ""
        score = f"{h.score:.2f}  " if h.score is not None else ""  # like: and similar
        print(f"{score}{h.citation}  {h.document}{tag}\n    {h.snippet}{themes_txt}")
    return False
