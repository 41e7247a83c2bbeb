"""Import files into a workspace: PDF, plain text, DOCX.

`import_file` reads one file and stores it in one transaction: the
original bytes (by SHA-256), its pages, and its lines with transcript
structure where the file is a transcript.
"""

import hashlib
import json
import os
import re
from dataclasses import dataclass, field

from sqlmodel import select

from annotator.core.errors import AnnotatorError
from annotator.core.ingest import pdf, text, transcript
from annotator.core.ingest.rows import ParsedLine, Row, page_text
from annotator.core.models import Blob, Document, Line, Page, Setting

PDF_MAGIC = b"%PDF"


@dataclass
class ImportResult:
    path: str
    status: str  # imported | duplicate | failed
    reason: str = ""
    document_id: int | None = None
    title: str = ""
    pages: int = 0
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"path": self.path, "status": self.status, "reason": self.reason,
                "document": self.document_id, "title": self.title, "pages": self.pages,
                "flags": self.flags}


@dataclass
class Parsed:
    fmt: str
    pages: list[list[Row]]
    sizes: list[tuple[float, float, int, str]]  # width, height, rotation, label
    lines: list[ParsedLine]
    is_transcript: bool
    info: dict


def sniff(data: bytes, path: str) -> str:
    head = data[:1024]
    if PDF_MAGIC in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04" and path.lower().endswith(".docx"):
        return "docx"
    if path.lower().endswith(".pdf"):
        raise AnnotatorError("not a PDF: the file does not start like one")
    if data[:4] == b"PK\x03\x04":
        raise AnnotatorError("unsupported type: a ZIP archive that is not a DOCX")
    if b"\x00" in head and not _utf16ish(head):
        raise AnnotatorError("unsupported type: binary data, not text")
    return "text"


def _utf16ish(head: bytes) -> bool:
    return head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:3] == b"\xef\xbb\xbf" or (
        len(head) > 8 and (head[0::2].count(0) > len(head) // 3 or head[1::2].count(0) > len(head) // 3))


def parse_bytes(data: bytes, path: str, password: str | None = None, progress=None, cancelled=None) -> Parsed:
    fmt = sniff(data, path)
    if fmt == "pdf":
        doc = pdf.open_pdf(data, password)
        try:
            pdf_pages = pdf.read_pages(doc, progress, cancelled)
        finally:
            doc.close()
        pages = [p.rows for p in pdf_pages]
        sizes = [(p.width, p.height, p.rotation, p.label) for p in pdf_pages]
    elif fmt == "docx":
        from annotator.core.ingest import docx_reader

        pages = docx_reader.read(data)
        sizes = [(0.0, 0.0, 0, "")] * len(pages)
    else:
        decoded, _enc = text.decode(data)
        pages = [[Row(t) for t in p.split("\n")] for p in text.split_pages(text.normalise(decoded))]
        sizes = [(0.0, 0.0, 0, "")] * len(pages)
    is_t = transcript.looks_like_transcript(pages)
    if is_t:
        lines, info = transcript.parse(pages)
    else:
        lines, info = transcript.plain_lines(pages), {}
    return Parsed(fmt, pages, sizes, lines, is_t, info)


def guess_urn(pattern: str, *texts: str) -> str:
    try:
        rx = re.compile(pattern)
    except re.error:
        return ""
    for t in texts:
        m = rx.search(t or "")
        if m:
            return m.group(0)
    return ""


def import_file(ws, path: str, kind: str | None = None, urn: str | None = None,
                witness: str | None = None, day: int | None = None, title: str | None = None,
                password: str | None = None, progress=None, cancelled=None) -> ImportResult:
    """Import one file; failures come back as a result with a reason, never raised."""
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        return ImportResult(path, "failed", f"cannot read the file: {err.strerror}")
    if not data:
        return ImportResult(path, "failed", "the file is empty")
    sha = hashlib.sha256(data).hexdigest()
    with ws.session() as s:
        existing = s.exec(select(Document).where(Document.sha256 == sha)).first()
        if existing:
            return ImportResult(path, "duplicate", f"already imported as '{existing.title}'",
                                existing.id, existing.title, existing.page_count)
    try:
        parsed = parse_bytes(data, path, password, progress, cancelled)
    except AnnotatorError as err:
        return ImportResult(path, "failed", str(err))
    except InterruptedError:
        return ImportResult(path, "failed", "cancelled")
    return store(ws, path, data, sha, parsed, kind=kind, urn=urn, witness=witness, day=day, title=title)


def store(ws, path: str, data: bytes, sha: str, parsed: Parsed, **meta) -> ImportResult:
    name = os.path.basename(path)
    first_text = "\n".join(r.text for r in parsed.pages[0]) if parsed.pages else ""
    has_text = any(r.text.strip() for rows in parsed.pages for r in rows)
    flags = [] if has_text else ["no-text-layer"]
    kind = meta.get("kind") or ("transcript" if parsed.is_transcript else _guess_kind(name, first_text))
    day = meta.get("day") if meta.get("day") is not None else parsed.info.get("day")
    title = meta.get("title") or (f"Day {day} transcript" if parsed.is_transcript and day
                                  else os.path.splitext(name)[0])
    with ws.write("import", {"file": name, "sha256": sha}) as s:
        if s.get(Blob, sha) is None:
            s.add(Blob(sha256=sha, size=len(data), data=data))
        urn = meta.get("urn") if meta.get("urn") is not None else guess_urn(ws_pattern(s), name, first_text)
        doc = Document(kind=kind, title=title, urn=urn or "", witness=meta.get("witness") or parsed.info.get("witness", ""),
                       day=day, sha256=sha, filename=name, source_format=parsed.fmt,
                       page_count=len(parsed.pages), has_text=has_text, flags=json.dumps(flags))
        s.add(doc)
        s.flush()
        starts_by_page = []
        for idx, rows in enumerate(parsed.pages):
            body, starts = page_text(rows)
            starts_by_page.append(starts)
            w, h, rot, label = parsed.sizes[idx]
            s.add(Page(document_id=doc.id, index=idx, label=label or str(idx + 1), width=w, height=h,
                       rotation=rot, text=body))
        for seq, ln in enumerate(parsed.lines):
            row = parsed.pages[ln.page_index][ln.row]
            base = starts_by_page[ln.page_index][ln.row]
            x0 = y0 = x1 = y1 = 0.0
            if row.bbox:
                x0, y0, x1, y1 = row.bbox
                if ln.start and len(row.text):  # margin number excluded from the box
                    x0 = x0 + (x1 - x0) * ln.start / len(row.text)
            s.add(Line(document_id=doc.id, page_index=ln.page_index, seq=seq, tpage=ln.tpage,
                       line=ln.line, day=day if parsed.is_transcript else None, speaker=ln.speaker,
                       role=ln.role, text=row.text[ln.start:ln.end], char_start=base + ln.start,
                       char_end=base + ln.end, x0=x0, y0=y0, x1=x1, y1=y1))
        doc_id, doc_title, n = doc.id, doc.title, doc.page_count
    return ImportResult(path, "imported", "", doc_id, doc_title, n, flags)


def ws_pattern(s) -> str:
    row = s.get(Setting, "urn_pattern")
    return json.loads(row.value) if row else r"[A-Z]{3}\d{7}"


def _guess_kind(name: str, first_text: str) -> str:
    low = (name + " " + first_text[:2000]).lower()
    if "witness statement" in low or "statement of" in low:
        return "witness statement"
    if "exhibit" in low:
        return "exhibit"
    if "report" in low:
        return "report"
    return "other"
