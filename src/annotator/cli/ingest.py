"""import, docs, lines, meta, remove: bring files in, look at what was recovered, take one out."""

import os
import sys

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.library import documents
from annotator.core.util.errors import InvalidInput
from annotator.core.ingest import expand_paths, import_file
from annotator.core.store.models import saved_id


def register(sub) -> None:
    p = sub.add_parser("import", help="import files and folders (PDF, text, DOCX)")
    p.add_argument("workspace")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--kind", choices=documents.KINDS, help="kind of every file imported")
    p.add_argument("--urn", help="reference number (only with one file)")
    p.add_argument("--witness")
    p.add_argument("--day", type=int, help="hearing day")
    p.add_argument("--title", help="title (only with one file)")
    p.add_argument("--password", help="password of encrypted PDFs")
    add_json(p)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("docs", help="list the documents in a workspace")
    p.add_argument("workspace")
    add_json(p)
    p.set_defaults(handler=cmd_docs)

    p = sub.add_parser("lines", help="print a document's lines with day, page and line")
    p.add_argument("workspace")
    p.add_argument("document", metavar="DOC", help="document id, URN, file name or title")
    p.add_argument("--index", action="store_true", help="include the word index at the end of a day")
    add_json(p)
    p.set_defaults(handler=cmd_lines)

    p = sub.add_parser("meta", help="show or edit a document's details")
    p.add_argument("workspace")
    p.add_argument("document", metavar="DOC", help="document id, URN, file name or title")
    for name in ("title", "urn", "witness", "date"):
        p.add_argument(f"--{name}")
    p.add_argument("--kind", choices=documents.KINDS)
    p.add_argument("--day", help="hearing day (empty to clear)")
    add_json(p)
    p.set_defaults(handler=cmd_meta)

    p = sub.add_parser(
        "remove", help="remove a document imported by mistake (refused while passages are tagged on it)"
    )
    p.add_argument("workspace")
    p.add_argument("document", metavar="DOC", help="document id, URN, file name or title")
    add_json(p)
    p.set_defaults(handler=cmd_remove)


def cmd_import(args) -> int:
    files = expand_paths(args.paths)
    if not files:
        raise InvalidInput("No importable files were found at the paths given.")
    if len(files) > 1 and (args.urn or args.title):
        raise InvalidInput("--urn and --title apply to one file; import the files one at a time.")
    given = {k: getattr(args, k) for k in ("title", "urn", "witness", "day") if getattr(args, k) is not None}
    given = documents.check_fields(given)  # checked as `meta` checks them, before anything is read
    args.title, args.urn, args.witness, args.day = (given.get(k) for k in ("title", "urn", "witness", "day"))
    results = []
    with open_ws(args.workspace) as ws:
        for path in files:
            if not os.path.exists(path):
                from annotator.core.ingest import ImportResult

                results.append(ImportResult(path, "failed", "no such file"))
            else:
                results.append(
                    import_file(
                        ws,
                        path,
                        kind=args.kind,
                        urn=args.urn,
                        witness=args.witness,
                        day=args.day,
                        title=args.title,
                        password=args.password,
                    )
                )
            if not args.json:
                _print_result(results[-1])
    if args.json:
        emit_json([dict(r.as_dict(), note=r.note) for r in results])
    failed = sum(r.status == "failed" for r in results)
    if not args.json and len(results) > 1:
        done = sum(r.status == "imported" for r in results)
        dup = sum(r.status == "duplicate" for r in results)
        print(f"{done} imported, {dup} already present, {failed} not imported.")
    return 1 if failed else 0


def _print_result(r) -> None:
    name = os.path.basename(r.path)
    if r.status == "imported":
        extra = f" — {r.note}" if r.note else ""
        print(
            f"Imported {name} as document {r.document_id} ({r.pages} page{'s' if r.pages != 1 else ''}){extra}"
        )
    elif r.status == "duplicate":
        print(f"Skipped {name}: {r.reason} (document {r.document_id})")
    else:
        print(f"annotator: {name} not imported: {r.reason}", file=sys.stderr)


def cmd_docs(args) -> int:
    with open_ws(args.workspace, write=False) as ws:
        with ws.session() as s:
            rows = [documents.as_dict(d) for d in documents.all_documents(s)]
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        print("No documents yet: add some with `annotator import`.")
    for d in rows:
        bits = [
            d["kind"],
            d["urn"],
            f"Day {d['day']}" if d["day"] is not None else "",
            d["witness"],
            f"{d['pages']} pages",
        ]
        print(f"{d['id']:>4}  {d['title']}  ({', '.join(b for b in bits if b)})")
    return 0


def cmd_lines(args) -> int:
    with open_ws(args.workspace, write=False) as ws:
        with ws.session() as s:
            doc = documents.find(s, args.document)
            tool_numbered = "tool-numbered" in (doc.flags or "")
            rows = [
                {
                    "day": ln.day,
                    "page": ln.tpage,
                    "line": ln.line,
                    "speaker": ln.speaker,
                    "text": ln.text,
                    "role": ln.role,
                    "para": ln.para,
                }
                for ln in documents.lines(s, saved_id(doc))
                if args.index or ln.role != "index"
            ]
    if args.json:
        emit_json(rows)
        return 0
    if tool_numbered:
        print("(No printed pages: paragraphs are numbered by Annotator, counted through the day.)")
    for r in rows:
        where = f"{r['day']}/{r['page']}:{r['line']}" if r["day"] is not None else f"{r['page']}:{r['line']}"
        if r["para"] is not None:  # statements: page:line and paragraph; web text: paragraph only
            where = f"para {r['para']}" if tool_numbered else f"{where} ¶{r['para']}"
        who = f"{r['speaker']}: " if r["speaker"] else ""
        print(f"{where:>12}  {who}{r['text']}".replace("\n", " "))
    return 0


def cmd_meta(args) -> int:
    fields = {
        k: getattr(args, k)
        for k in ("title", "kind", "urn", "witness", "date", "day")
        if getattr(args, k) is not None
    }
    fields = documents.check_fields(fields)  # only the details named change
    with open_ws(args.workspace, write=bool(fields)) as ws:
        with ws.session() as s:
            doc_id = saved_id(documents.find(s, args.document))
        if fields:
            warning = documents.urn_warning(ws.get("urn_pattern"), str(fields.get("urn", "")))
            if warning:
                print(f"annotator: warning: {warning}", file=sys.stderr)
            documents.update_metadata(ws, doc_id, **fields)
        with ws.session() as s:
            from annotator.core.store.models import Document

            doc = s.get(Document, doc_id)
            assert doc is not None
            data = documents.as_dict(doc)
    if args.json:
        emit_json(data)
    else:
        for k in ("id", "title", "kind", "urn", "witness", "date", "day", "pages", "filename", "sha256"):
            print(f"{k:>9}: {'' if data[k] is None else data[k]}")
    return 0


def cmd_remove(args) -> int:
    with open_ws(args.workspace, write=True) as ws:
        with ws.session() as s:
            doc = documents.find(s, args.document)
            data = documents.as_dict(doc)
        documents.remove(ws, saved_id(doc))
    if args.json:
        emit_json({"removed": data})
    else:
        print(
            f"Removed {data['title']} (document {data['id']}, {data['pages']} pages); "
            "its original stays in the workspace for a later re-import."
        )
    return 0
