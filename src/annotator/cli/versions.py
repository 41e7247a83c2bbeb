"""replace, versions, place: new versions of a document and the passages carried onto them."""

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.cli.tagging import _anchor, _short, where_args
from annotator.core.evidence import anchors
from annotator.core.library import documents
from annotator.core import versions
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import Passage
from annotator.core.store.models import saved_id


def register(sub) -> None:
    p = sub.add_parser("replace", help="replace a document with a new version; every passage is carried over")
    p.add_argument("workspace")
    p.add_argument("document", help="document id, URN, file name or title")
    p.add_argument("file", help="the new version (PDF, text or DOCX)")
    add_json(p)
    p.set_defaults(handler=cmd_replace)

    p = sub.add_parser(
        "versions", help="a document's versions, and how passages were carried onto the latest"
    )
    p.add_argument("workspace")
    p.add_argument("document", help="document id, URN, file name or title")
    add_json(p)
    p.set_defaults(handler=cmd_versions)

    p = sub.add_parser("place", help="put a passage (e.g. one orphaned by a new version) on the given lines")
    p.add_argument("workspace")
    p.add_argument("passage", type=int, help="passage id")
    where_args(p)
    p.add_argument("--candidate", action="store_true", help="the best candidate the re-anchoring report gave")
    add_json(p)
    p.set_defaults(handler=cmd_place)


def print_report(report: versions.Report) -> None:
    c = report["counts"]
    print(
        f"{report['title']}: now {report['filename']} ({report['pages']} pages). Passages: "
        f"{c['exact']} exact, {c['moved']} moved, {c['changed']} changed, {c['orphaned']} orphaned."
    )
    for e in report["passages"]:
        print(f"{e['passage']:>5}  {e['status']:<8}  was {e['old_citation']}  {_short(e['old_quote'])}")
        if e["status"] == "changed":
            print(f"{'':>16}now {e['citation']}  {_short(e['quote'])}")
        elif e["candidate"]:
            cand = e["candidate"]
            print(f"{'':>16}best candidate {cand['citation']}  {_short(cand['quote'])}")


def cmd_replace(args) -> int:
    with open_ws(args.workspace, write=True) as ws:
        with ws.session() as s:
            doc = documents.find(s, args.document)
        ch = versions.replace(ws, saved_id(doc), args.file)
    if args.json:
        emit_json(ch.result)
    else:
        print_report(ch.result)
    return 0


def cmd_versions(args) -> int:
    with open_ws(args.workspace, write=False) as ws:
        with ws.session() as s:
            doc = documents.find(s, args.document)
            rows = versions.versions(s, saved_id(doc))
    if args.json:
        emit_json(rows)
        return 0
    for v in rows:
        mark = "current" if v["current"] else ""
        print(
            f"{v['number']:>3}  {v['imported_at']}  {v['filename']}  {v['pages']} pages  {v['sha256'][:12]}  {mark}"
        )
    if rows[-1]["report"]:
        print()
        print_report(rows[-1]["report"])
    return 0


def _candidate(s, pid: int) -> anchors.Anchor:
    p = s.get(Passage, pid)
    if p is None:
        raise NotFound(f"No passage {pid}.")
    report = versions.latest_report(s, p.document_id)
    entry = next((e for e in report["passages"] if e["passage"] == pid), None) if report else None
    cand = entry["candidate"] if entry else None
    if not cand:
        raise InvalidInput(f"The re-anchoring report has no candidate place for passage {pid}.")
    return anchors.resolve(s, p.document_id, *cand["start"], *cand["end"])


def cmd_place(args) -> int:
    with open_ws(args.workspace, write=True) as ws:
        with ws.session() as s:
            p = s.get(Passage, args.passage)
            if p is None or p.deleted_at is not None:
                raise NotFound(f"No passage {args.passage}.")
            if args.candidate:
                anchor = _candidate(s, args.passage)
            else:
                anchor = _anchor(s, p.document_id, args)
        versions.place(ws, args.passage, anchor)
        with ws.session() as s:
            from annotator.core.evidence import passages

            view = passages.views(s, ids=[args.passage])[0]
    if args.json:
        emit_json(view.as_dict())
    else:
        print(f"Placed passage {view.id} ({view.anchor}): {view.citation} {_short(view.quote)}")
    return 0
