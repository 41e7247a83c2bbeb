"""similar, suggest, embed: passages and lines like a passage or text, and theme suggestions."""

import sys
import time

from annotator.cli._common import add_json, emit_json, open_ws, print_hits
from annotator.core.similar import embedding
from annotator.core.similar.similar import similar
from annotator.core.similar.suggest import suggest
from annotator.core.util.errors import InvalidInput

FILTERS = ("theme", "doc", "witness", "day", "kind")


def register(sub) -> None:
    p = sub.add_parser(
        "similar",
        help="lines and passages like a passage or some text (computed on this machine)",
        description="Ranks every window of lines and every passage by likeness; filters as in search.",
    )
    _target(p)
    p.add_argument("--limit", type=int, default=20, help="results to show (default 20)")
    for key in FILTERS:
        p.add_argument(
            f"--{key}", action="append", metavar=key.upper(), help=f"only these ({key}: in search)"
        )
    add_json(p)
    p.set_defaults(handler=cmd_similar)

    p = sub.add_parser("suggest", help="themes for a passage or some text, from the passages already tagged")
    _target(p)
    p.add_argument("--limit", type=int, default=5, help="themes to show (default 5)")
    add_json(p)
    p.set_defaults(handler=cmd_suggest)

    p = sub.add_parser("embed", help="compute the embeddings that Find similar and Suggest use")
    p.add_argument("workspace")
    add_json(p)
    p.set_defaults(handler=cmd_embed)


def _target(p) -> None:
    p.add_argument("workspace")
    p.add_argument("passage", nargs="?", type=int, help="a passage id")
    p.add_argument("--text", help="words to compare with instead of a passage")


def _check(args) -> None:
    if (args.passage is None) == (args.text is None):
        raise InvalidInput("Give one passage id or --text WORDS (one of the two).")
    if args.limit <= 0:
        raise InvalidInput("--limit must be a positive number.")


def _progress() -> embedding.Report:
    last = [0.0]

    def report(done: int, total: int, text: str) -> None:
        now = time.monotonic()
        if total and (now - last[0] > 2 or done == total) and done:
            last[0] = now
            print(f"{text}…", file=sys.stderr)

    return report


def _refresh(ws) -> None:
    if not ws.readonly:
        embedding.refresh(ws, report=_progress())


def cmd_similar(args) -> int:
    _check(args)
    filters = [(key, value) for key in FILTERS for value in getattr(args, key) or []]
    with open_ws(args.workspace) as ws:
        _refresh(ws)
        found = similar(ws, args.passage, args.text, args.limit, filters, refresh=False)
    if print_hits(found.hits, found.notices, found.as_dict() if args.json else None):
        return 0
    if not found.hits:
        print("Nothing similar found.")
    return 0


def cmd_suggest(args) -> int:
    _check(args)
    with open_ws(args.workspace) as ws:
        _refresh(ws)
        got = suggest(ws, args.passage, args.text, args.limit, refresh=False)
    if args.json:
        emit_json(got.as_dict())
        return 0
    print(got.message)
    for t in got.themes:
        print(f"{t['score']:.2f}  {t['theme']}")
    return 0


def cmd_embed(args) -> int:
    with open_ws(args.workspace) as ws:
        if ws.readonly:
            raise InvalidInput("The workspace is read-only: embeddings cannot be saved in it.")
        prog = embedding.refresh(ws, report=_progress())
    if args.json:
        emit_json(prog.as_dict())
    else:
        print(
            f"Embedded {prog.passages:,} passages and {prog.lines:,} lines of {prog.done - prog.passages:,} "
            f"documents in {prog.seconds:.1f} s."
        )
    return 0
