"""search, searches (saved searches), reindex."""

import os
import sys

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.store import index
from annotator.core.evidence import themes
from annotator.core.util.errors import InvalidInput
from annotator.core.search import ORDERS, search
from annotator.core.search import actions
from annotator.core.search.export import all_hits, write_csv
from annotator.core.store.models import saved_id

SYNTAX = (
    'words, "exact phrase", AND / OR / NOT, -word, NEAR(a b, 5), a w/5 b, surg*; '
    'filters theme:NAME doc:URN witness:"NAME" day:45 day:40-50 kind:transcript '
    "tagged:yes|no note:WORD author:NAME"
)


def register(sub) -> None:
    p = sub.add_parser("search", help="search every line and passage", description=f"Query syntax: {SYNTAX}")
    p.add_argument("workspace")
    p.add_argument("query", nargs="*", help="the query (quote it for the shell)")
    p.add_argument("--limit", type=int, default=20, help="results per page (default 20)")
    p.add_argument("--offset", type=int, default=0, help="skip this many results")
    p.add_argument("--order", choices=ORDERS, default="rank", help="by relevance or in document order")
    p.add_argument("--saved", metavar="NAME", help="run a saved search")
    p.add_argument("--save", metavar="NAME", help="save this query under a name")
    p.add_argument("--tag", metavar="THEME", help="tag every result with this theme (one undoable step)")
    p.add_argument("--csv", metavar="FILE", help="write every result to a CSV file")
    p.add_argument("--force", action="store_true", help="replace the --csv file if it exists")
    add_json(p)
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("searches", help="list saved searches, or delete one")
    p.add_argument("workspace")
    p.add_argument("--delete", metavar="NAME")
    add_json(p)
    p.set_defaults(handler=cmd_searches)

    p = sub.add_parser("refs", help="find the references (URNs, citations) in a text and where they lead")
    p.add_argument("workspace")
    p.add_argument("text", nargs="+", help="the text, e.g. a note (quote it for the shell)")
    add_json(p)
    p.set_defaults(handler=cmd_refs)

    p = sub.add_parser("reindex", help="rebuild the full-text index from the tables")
    p.add_argument("workspace")
    p.set_defaults(handler=cmd_reindex)


def _query(ws, args) -> str:
    query = " ".join(args.query).strip()
    if args.saved:
        with ws.session() as s:
            query = (actions.find_saved(s, args.saved).query + " " + query).strip()
    if not query:
        raise InvalidInput("Give a query, e.g. annotator search WS 'theme:safety targets'.")
    return query


def cmd_search(args) -> int:
    if args.limit < 0 or args.offset < 0:
        raise InvalidInput("--limit and --offset must not be negative.")
    with open_ws(args.workspace, write=bool(args.save or args.tag)) as ws:
        query = _query(ws, args)
        if args.save:
            actions.save_search(ws, args.save, query)
            print(f"Saved the search as '{args.save}'.", file=sys.stderr)
        if args.csv:
            if os.path.exists(args.csv) and not args.force:
                raise InvalidInput(
                    f"{args.csv} already exists; choose another name or add --force to replace it."
                )
            n = write_csv(args.csv, all_hits(ws, query, order=args.order))
            print(f"Wrote {n} results to {args.csv}.", file=sys.stderr)
        if args.tag:
            with ws.session() as s:
                theme = themes.find(s, args.tag)
            hits = list(all_hits(ws, query, cap=actions.MAX_TAG))
            if hits:
                ch = actions.tag_hits(ws, hits, saved_id(theme))
                print(f"{ch.summary}.", file=sys.stderr)
            else:
                print("No results to tag.", file=sys.stderr)
        res = search(ws, query, limit=args.limit, offset=args.offset, order=args.order)
    for notice in res.notices:
        print(f"note: {notice}", file=sys.stderr)
    if args.json:
        emit_json(res.as_dict())
        return 0
    for h in res.hits:
        themes_txt = f"  [{', '.join(h.themes)}]" if h.themes else ""
        tag = f"  (passage {h.passage_id})" if h.kind == "passage" else ""
        print(f"{h.citation}  {h.document}{tag}\n    {h.snippet}{themes_txt}")
    shown = f"; showing {res.offset + 1}-{res.offset + len(res.hits)}" if res.hits else ""
    print(f"{res.total} results ({res.lines} lines, {res.passages} passages){shown}.")
    return 0


def cmd_searches(args) -> int:
    with open_ws(args.workspace, write=bool(args.delete)) as ws:
        if args.delete:
            ch = actions.delete_search(ws, args.delete)
            print(f"{ch.summary}.", file=sys.stderr)
        with ws.session() as s:
            rows = [{"name": r.name, "query": r.query, "created_at": r.created_at} for r in actions.saved(s)]
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            print(f"{r['name']}: {r['query']}")
        if not rows and not args.delete:
            print("No saved searches.")
    return 0


def cmd_reindex(args) -> int:
    with open_ws(args.workspace, write=True) as ws:
        with ws.write("reindex", {}) as s:
            index.rebuild(s.connection())
            lines = s.connection().exec_driver_sql("SELECT count(*) FROM line").scalar()
            passages = s.connection().exec_driver_sql("SELECT count(*) FROM passage_fts").scalar()
    print(f"Rebuilt the search index: {lines} lines, {passages} passages.")
    return 0


def cmd_refs(args) -> int:
    """Each reference in the text, and the document, page and line it opens (or why not)."""
    from annotator.core.library import documents, references
    from annotator.core.util.errors import NotFound

    text = " ".join(args.text)
    rows = []
    with open_ws(args.workspace, write=False) as ws:
        with ws.session() as s:
            for f in references.Finder(references.names(s)).find(text):
                row: dict = {"text": f.text, "start": f.start, "end": f.end, "kind": f.kind}
                try:
                    place = references.resolve(s, f)
                    row.update(document=place.document_id, page=place.page + 1, char=place.start)
                except NotFound as err:
                    row["missing"] = str(err)
                rows.append(row)
        titles = {d.id: d.title for d in documents.listed(ws)}
    if args.json:
        emit_json(rows)
        return 0
    for r in rows:
        where = r.get("missing") or f"{titles.get(r['document'], r['document'])}, page {r['page']}"
        print(f"{r['text']}  ->  {where}")
    if not rows:
        print("No references found.")
    return 0
