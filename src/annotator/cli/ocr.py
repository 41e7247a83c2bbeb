"""ocr: recognise the text of scanned pages (Tesseract), so they read, search and tag like others."""

import sys

from annotator.cli._common import add_json, emit_json, open_ws
from annotator.core.library import documents
from annotator.core.ocr import engine, run
from annotator.core.store.models import saved_id
from annotator.core.util.errors import AnnotatorError


def register(sub) -> None:
    p = sub.add_parser("ocr", help="recognise the text of scanned pages (OCR); pages done stay done")
    p.add_argument("workspace")
    p.add_argument("documents", nargs="*", metavar="DOC", help="documents (default: every one that needs it)")
    p.add_argument(
        "--lang", help="Tesseract language(s), e.g. eng or eng+fra (default: the workspace's setting)"
    )
    p.add_argument("--retry", action="store_true", help="try again the pages that failed before")
    p.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    add_json(p)
    p.set_defaults(handler=cmd_ocr)


def cmd_ocr(args) -> int:
    with open_ws(args.workspace) as ws:
        with ws.session() as s:
            ids = [saved_id(documents.find(s, ref)) for ref in args.documents]
        try:
            run.check(ws, args.lang)
        except engine.OcrUnavailable as err:
            raise AnnotatorError(str(err)) from None

        def progress(done: int, total: int, text: str) -> None:
            print(f"\r{text} ({done}/{total})", end="", file=sys.stderr, flush=True)

        result = run.run(ws, ids or None, args.lang, progress, retry=args.retry, size=args.workers)
        print("", file=sys.stderr)
        titles = {d.id: d.title for d in documents.listed(ws)}
    if args.json:
        emit_json(result.as_dict())
    else:
        if not result.documents:
            print("No scanned pages need text recognition.")
        for d in result.documents:
            print(
                f"{titles.get(d['document'], d['document'])}: {d['done']} pages recognised, {d['failed']} failed"
            )
            for page, reason in d["reasons"].items():
                print(f"  page {page}: {reason}")
        if result.cancelled:
            print("Stopped: run again to go on where it stopped.")
    return 1 if any(d["failed"] for d in result.documents) else 0
