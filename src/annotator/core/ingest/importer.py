"""Import files into a workspace: PDF, plain text, DOCX.

`import_file` reads one file and stores it in one transaction: the
original bytes (by SHA-256), its pages, and its lines with transcript
structure where the file is a transcript. PDFs are read in a child
process (worker.py) so a hostile file cannot crash or hang the caller.
"""

import hashlib
import json
import os
import re
from dataclasses import dataclass, field

from sqlmodel import select

from annotator.core.store import index
from annotator.core.util.errors import AnnotatorError
from annotator.core.util.gcpause import paused
from annotator.core.ingest import hearing, markup, pdf, statement, text, transcript, worker
from annotator.core.ingest.assembly import Assembly, line_values
from annotator.core.ingest.rows import ParsedLine, Row, page_text
from annotator.core.store.models import Blob, Document
from annotator.core.store.workspace import sqlite_of

PDF_MAGIC = b"%PDF"
NO_TEXT = "no-text-layer"
NO_TEXT_MESSAGE = "no text layer — not searchable"


@dataclass
class ImportResult:
    path: str
    status: str  # imported | duplicate | failed
    reason: str = ""
    document_id: int | None = None
    title: str = ""
    pages: int = 0
    flags: list[str] = field(default_factory=list)
    needs_password: bool = False
    ocr_pages: int = 0  # pages queued for text recognition (see core/ocr)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "document": self.document_id,
            "title": self.title,
            "pages": self.pages,
            "flags": self.flags,
            "ocr_pages": self.ocr_pages,
        }

    @property
    def note(self) -> str:
        """What the user should know about an imported file ("" if nothing)."""
        if self.ocr_pages:
            n = self.ocr_pages
            return f"{n} scanned page{'s' if n != 1 else ''} to recognise (OCR)"
        return NO_TEXT_MESSAGE if NO_TEXT in self.flags else ""


@dataclass
class Parsed:
    fmt: str
    pages: list[list[Row]]
    sizes: list[tuple[float, float, int, str]]  # width, height, rotation, label
    lines: list[ParsedLine]
    is_transcript: bool
    info: dict
    texts: list[str]  # each page's rows joined (Page.text)
    values: list[tuple]  # each line's row for the insert (assembly.line_values)


SUPPORTED = (".pdf", ".txt", ".text", ".docx", ".rst", ".md", ".csv", ".srt", ".html", ".htm", ".v1")


def expand_paths(paths: list[str]) -> list[str]:
    """Files named, and the supported files inside folders named (recursively,
    in name order; hidden files skipped)."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out += [
                    os.path.join(root, f)
                    for f in sorted(files)
                    if f.lower().endswith(SUPPORTED) and not f.startswith(".")
                ]
        else:
            out.append(p)
    return out


def sniff(data: bytes, path: str) -> str:
    head = data[:1024]
    low = path.lower()
    if PDF_MAGIC in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04" and low.endswith(".docx"):
        return "docx"
    if low.endswith(".pdf"):
        raise AnnotatorError("not a PDF: the file does not start like one")
    if data[:4] == b"PK\x03\x04":
        raise AnnotatorError("unsupported type: a ZIP archive that is not a DOCX")
    if low.endswith(
        (
            ".doc",
            ".xls",
            ".xlsx",
            ".ppt",
            ".pptx",
            ".png",
            ".jpg",
            ".jpeg",
            ".tif",
            ".tiff",
            ".gif",
            ".zip",
            ".exe",
            ".msg",
        )
    ):
        raise AnnotatorError(f"unsupported type: {os.path.splitext(low)[1]} files cannot be imported")
    if text.looks_binary(data):
        raise AnnotatorError("unsupported type: binary data, not text")
    return "text"


def parse_bytes(
    data: bytes,
    path: str,
    password: str | None = None,
    progress=None,
    cancelled=None,
    in_process: bool = False,
) -> Parsed:
    fmt = sniff(data, path)
    if fmt == "docx":  # paragraphs, never a numbered transcript
        from annotator.core.ingest import docx_reader

        pages = docx_reader.read(data)
        texts = [page_text(rows)[0] for rows in pages]
        lines = transcript.plain_lines(pages)
        return Parsed(
            fmt,
            pages,
            [(0.0, 0.0, 0, "")] * len(pages),
            lines,
            False,
            {},
            texts,
            line_values(pages, texts, lines),
        )
    asm = Assembly(fmt == "pdf")
    if fmt == "pdf":
        if in_process:
            doc = pdf.open_pdf(data, password)
            try:
                pdf_pages = pdf.read_pages(doc, progress, cancelled)
            finally:
                doc.close()
            for i, page in enumerate(pdf_pages):
                asm.add(i, page.rows)
        else:  # pages are worked on while the child processes are still reading
            pdf_pages = worker.extract(
                data, password, progress, cancelled, on_page=lambda i, page: asm.add(i, page.rows)
            )
        sizes = [(p.width, p.height, p.rotation, p.label) for p in pdf_pages]
    else:
        decoded, _enc = text.decode(data)
        body = text.normalise(decoded)
        if markup.is_web_text(path):
            return _web_text(fmt, body, path)
        printed = None if text.FORM_FEED in body else statement.split_pages(body)
        chunks = printed or [("", p) for p in text.split_pages(body)]
        for i, (_label, p) in enumerate(chunks):
            asm.add(i, [Row(t) for t in p.split("\n")])
        sizes = [(0.0, 0.0, 0, label) for label, _p in chunks]
    return finish(fmt, asm, sizes)


def finish(fmt: str, asm: Assembly, sizes: list) -> Parsed:
    """The parse once every page is in the assembly (also after OCR, see core/ocr/text.py)."""
    is_t, lines, values, info = asm.finish()
    if not is_t:
        info, sizes = _statement(asm.pages, lines, sizes)
    if values is None:
        values = line_values(asm.pages, asm.texts, lines)
    return Parsed(fmt, asm.pages, sizes, lines, is_t, info, asm.texts, values)


def _statement(pages: list[list[Row]], lines: list[ParsedLine], sizes: list) -> tuple[dict, list]:
    """A witness statement's header, printed page numbers and paragraphs."""
    info = statement.header(pages)
    if not info:
        return {}, sizes
    sizes = [
        (w, h, r, label or statement.printed_page(rows))
        for (w, h, r, label), rows in zip(sizes, pages, strict=True)
    ]
    for ln in lines:
        label = sizes[ln.page_index][3]
        ln.tpage = int(label) if label.isdigit() else ln.tpage
    statement.paragraphs(pages, lines)
    return info, sizes


def _web_text(fmt: str, body: str, path: str) -> Parsed:
    """A hearing saved from a website, or other web text with its markup stripped."""
    found = hearing.read(body, path)
    if found:
        pages, lines, is_t, info = found.pages, found.lines, True, found.info
    else:
        pages = [[Row(b.text) for b in markup.blocks(body, path)]]
        lines, is_t, info = transcript.plain_lines(pages), False, {}
    texts = [page_text(rows)[0] for rows in pages]
    sizes = [(0.0, 0.0, 0, "")] * len(pages)
    return Parsed(fmt, pages, sizes, lines, is_t, info, texts, line_values(pages, texts, lines))


def guess_urn(pattern: str, *texts: str) -> str:
    """The first whole match of the workspace's URN pattern (not part of a
    longer reference) in the file name, then the first page."""
    try:
        rx = re.compile(rf"(?<![A-Za-z0-9])(?:{pattern})(?![A-Za-z0-9])")
    except re.error:
        return ""
    for t in texts:
        m = rx.search(t or "")
        if m:
            return m.group(0)
    return ""


def import_file(
    ws,
    path: str,
    kind: str | None = None,
    urn: str | None = None,
    witness: str | None = None,
    day: int | None = None,
    title: str | None = None,
    password: str | None = None,
    progress=None,
    cancelled=None,
) -> ImportResult:
    """Import one file; failures come back as a result with a reason, never raised.
    `progress(done, total)` is called per page while a PDF is read."""
    try:
        if path.lower().endswith(".pdf"):
            worker.warm_up(os.path.getsize(path))  # readers start while the file is read
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        return ImportResult(path, "failed", f"cannot read the file: {err.strerror or err}")
    if not data:
        return ImportResult(path, "failed", "the file is empty")
    sha = hashlib.sha256(data).hexdigest()
    with ws.session() as s:
        existing = s.exec(select(Document).where(Document.sha256 == sha)).first()
        if existing:
            return ImportResult(
                path,
                "duplicate",
                f"already imported as '{existing.title}'",
                existing.id,
                existing.title,
                existing.page_count,
            )
    try:
        with paused():  # about a million small objects that live to the end, no cycles (see gcpause)
            parsed = parse_bytes(data, path, password, progress, cancelled)
    except pdf.NeedsPassword as err:
        return ImportResult(path, "failed", str(err), needs_password=True)
    except AnnotatorError as err:
        return ImportResult(path, "failed", str(err))
    except InterruptedError:
        return ImportResult(path, "failed", "cancelled")
    except (MemoryError, RecursionError) as err:
        return ImportResult(path, "failed", f"too large or too deeply nested to read ({type(err).__name__})")
    if cancelled and cancelled():
        return ImportResult(path, "failed", "cancelled")
    with paused():
        result = store(ws, path, data, sha, parsed, kind=kind, urn=urn, witness=witness, day=day, title=title)
    if parsed.fmt == "pdf" and result.document_id is not None:
        from annotator.core.ocr import pages  # (it reads what the import stored)

        result.ocr_pages = pages.queue(ws, result.document_id)
    return result


def store(ws, path: str, data: bytes, sha: str, parsed: Parsed, **meta) -> ImportResult:
    name = os.path.basename(path)
    first_text = "\n".join(r.text for r in parsed.pages[0]) if parsed.pages else ""
    has_text = any(r.text.strip() for rows in parsed.pages for r in rows)
    flags = ([] if has_text else [NO_TEXT]) + parsed.info.get("flags", [])
    kind = meta.get("kind") or (
        "transcript" if parsed.is_transcript else parsed.info.get("kind") or _guess_kind(name, first_text)
    )
    day = meta.get("day") if meta.get("day") is not None else parsed.info.get("day")
    when = parsed.info.get("date", "")
    title = meta.get("title") or (
        f"Day {day} transcript" + (f" ({when})" if when else "")
        if parsed.is_transcript and day
        else parsed.info.get("title") or os.path.splitext(name)[0]
    )
    urn = meta.get("urn")
    if urn is None:
        urn = guess_urn(ws.get("urn_pattern"), name, first_text) or parsed.info.get("statement_no", "")
    with ws.write("import", {"file": name, "sha256": sha}) as s:
        if s.get(Blob, sha) is None:
            s.add(Blob(sha256=sha, size=len(data), data=data))
        doc = Document(
            kind=kind,
            title=title,
            urn=urn or "",
            witness=meta.get("witness") or parsed.info.get("witness", ""),
            date=when,
            day=day,
            sha256=sha,
            filename=name,
            source_format=parsed.fmt,
            page_count=len(parsed.pages),
            has_text=has_text,
            flags=json.dumps(flags),
            exhibits=json.dumps(parsed.info.get("exhibits", [])),
        )
        s.add(doc)
        s.flush()
        doc_id = doc.id
        # bulk inserts straight through the driver: ORM objects cost more than
        # the database work at 50,000 lines
        raw = sqlite_of(s)
        raw.executemany(
            'INSERT INTO page (document_id, "index", label, width, height, rotation, text) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, idx, label or str(idx + 1), w, h, rot, body)
                for idx, ((w, h, rot, label), body) in enumerate(
                    zip(parsed.sizes, parsed.texts, strict=False)
                )
            ],
        )
        line_day = day if parsed.is_transcript else None
        # FTS5 fed row by row from the insert trigger is about eight times slower
        # than one bulk insert; the trigger is put back in the same transaction
        raw.execute("DROP TRIGGER IF EXISTS line_fts_ai")
        raw.executemany(
            "INSERT INTO line (document_id, day, page_index, seq, tpage, line, speaker, role, text, "
            "char_start, char_end, x0, y0, x1, y1, para) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((doc_id, line_day) + v for v in parsed.values),
        )
        raw.execute(
            "INSERT INTO line_fts(rowid, text) SELECT id, text FROM line WHERE document_id = ?", (doc_id,)
        )
        raw.execute(index.trigger("line_fts_ai"))
        doc_title, n = doc.title, doc.page_count
    return ImportResult(path, "imported", "", doc_id, doc_title, n, flags)


def _guess_kind(name: str, first_text: str) -> str:
    low = (name + " " + first_text[:2000]).lower()
    if "witness statement" in low or "statement of" in low:
        return "witness statement"
    if "exhibit" in low:
        return "exhibit"
    if "report" in low:
        return "report"
    return "other"
