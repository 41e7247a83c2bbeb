"""A synthetic inquiry of a chosen size, deterministic from a seed, cached on disk.

What is built (all under bench/out/<size>-seed<seed>-v<VERSION>/):

- pdf/        hearing days as transcript PDFs in the real layout (annotator.core.samples),
              witness statements and exhibits as PDFs named by URN (WIT0001234 - ...pdf)
- inquiry.annot   every file above imported through annotator.core.ingest.import_file,
              then `passages` tagged passages with themes, notes and links
- bundle.pdf  all statements and exhibits in one PDF (the hearing bundle)
- reader.annot    the bundle imported alone, with `export_passages` passages on it
- import.pdf  one transcript PDF of `import_pages` pages, for the import benchmark
- search.annot    inquiry.annot plus hearing days imported as text transcripts until it
              holds `search_lines` lines (importing them as PDFs would add nothing but time)

Passages are written in bulk (one transaction through ws.write, the FTS triggers
keep the index) with offsets and quotes taken from the stored lines, as
anchors.resolve would compute them for a whole-line selection.
"""

import json
import random
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from bench import passages, vocab

VERSION = 1  # bump when the generated data changes: old caches are ignored
OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Size:
    transcript_pages: int
    doc_pages: int
    passages: int
    day_pages: int  # pages per hearing day
    import_pages: int  # the import benchmark's transcript PDF
    export_passages: int  # passages on the bundle, all exported
    search_lines: int
    repeats: int  # timing repeats


SIZES = {
    "tiny": Size(40, 24, 150, 20, 20, 10, 1_000, 2),
    "small": Size(1_000, 500, 10_000, 100, 200, 200, 50_000, 3),
    "inquiry": Size(20_000, 5_000, 100_000, 200, 2_000, 1_000, 1_000_000, 5),
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def hearing_date(day: int) -> str:
    d, n = date(2010, 11, 8), 1
    while n < day:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n += 1
    return d.isoformat()


INQUIRY = "The Synthetic Hospital Public Inquiry"


def transcript_lines(rng: random.Random, day: int, pages: int):
    from annotator.core import samples

    turns, witness, counsel = vocab.day_turns(rng, pages * 25 + 30)
    lines = samples.layout(turns, day, witness, counsel)
    return [ln for ln in lines if ln.page <= pages]


def transcript_pdf(rng: random.Random, day: int, pages: int) -> bytes:
    from annotator.core import samples

    return samples.to_pdf(transcript_lines(rng, day, pages), INQUIRY, hearing_date(day))


def transcript_text(rng: random.Random, day: int, pages: int) -> str:
    from annotator.core import samples

    return samples.to_text(transcript_lines(rng, day, pages), INQUIRY, hearing_date(day))


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


def document_pdf(rng: random.Random, urn: str, title: str, pages: int) -> bytes:
    """A statement or exhibit: URN header, numbered paragraphs, page numbers."""
    import pymupdf

    rows: list[str] = [title.upper(), ""]
    para = 1
    per_page = 46
    while len(rows) < pages * per_page:
        body = vocab.sentences(rng, vocab.PARAGRAPHS, 2, 5)
        wrapped = _wrap(f"{para}. {body}", 88)
        rows += wrapped + [""]
        para += 1
    doc = pymupdf.open()
    for p in range(pages):
        page = doc.new_page(width=595, height=842)
        shape = page.new_shape()
        shape.insert_text((50, 40), f"{urn}    {title}", fontname="helv", fontsize=8)
        for i, row in enumerate(rows[p * per_page : (p + 1) * per_page]):
            if row:
                shape.insert_text((60, 80 + i * 15), row, fontname="tiro", fontsize=10)
        shape.insert_text((280, 815), f"Page {p + 1} of {pages}", fontname="helv", fontsize=8)
        shape.commit()
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


class Corpus:
    """Paths of a generated inquiry (see module docstring)."""

    def __init__(self, folder: Path, size_name: str, seed: int):
        self.folder, self.size_name, self.seed = folder, size_name, seed
        self.size = SIZES[size_name]
        self.pdf = folder / "pdf"
        self.inquiry = folder / "inquiry.annot"
        self.reader = folder / "reader.annot"
        self.search = folder / "search.annot"
        self.bundle = folder / "bundle.pdf"
        self.import_pdf = folder / "import.pdf"
        self.manifest = folder / "manifest.json"

    def state(self) -> dict:
        try:
            return json.loads(self.manifest.read_text())
        except (OSError, ValueError):
            return {}

    def mark(self, step: str, **info) -> None:
        st = self.state()
        st[step] = info or True
        st["size"] = asdict(self.size)
        self.manifest.write_text(json.dumps(st, indent=1))

    def done(self, step: str) -> bool:
        return step in self.state()

    def info(self, step: str) -> dict:
        v = self.state().get(step)
        return v if isinstance(v, dict) else {}


def corpus(size_name: str, seed: int = 1, out: Path | None = None) -> Corpus:
    folder = Path(out or OUT) / f"{size_name}-seed{seed}-v{VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    return Corpus(folder, size_name, seed)


def _write_pdfs(c: Corpus) -> None:
    rng = random.Random(f"{c.seed}-files")
    c.pdf.mkdir(exist_ok=True)
    size, day, left = c.size, 0, c.size.transcript_pages
    while left > 0:
        day += 1
        n = min(left, size.day_pages)
        (c.pdf / f"Day {day:03d} - {hearing_date(day)}.pdf").write_bytes(transcript_pdf(rng, day, n))
        left -= n
        if day % 10 == 0:
            log(f"  transcripts: {size.transcript_pages - left} pages")
    left, k = size.doc_pages, 0
    while left > 0:
        k += 1
        statement = rng.random() < 0.4
        n = min(left, rng.randint(3, 40) if statement else rng.randint(1, 60))
        if statement:
            urn, name = f"WIT{1000000 + k:07d}", vocab.full_name(rng)
            title = f"Witness statement of {name}"
        else:
            urn = f"EXH{2000000 + k:07d}"
            title = f"{rng.choice(['Board minutes', 'Email chain', 'Letter', 'Report', 'Action plan'])} {k}"
        (c.pdf / f"{urn} - {title}.pdf").write_bytes(document_pdf(rng, urn, title, n))
        left -= n
    log(f"  documents: {size.doc_pages} pages in {k} files")


def _bundle(c: Corpus) -> None:
    import pymupdf

    out = pymupdf.open()
    for f in sorted(c.pdf.glob("[A-Z][A-Z][A-Z]*.pdf")):
        with pymupdf.open(f) as src:
            out.insert_pdf(src)
    out.save(c.bundle, garbage=3, deflate=True)
    out.close()


def _import_all(ws, files: list[Path]) -> None:
    from annotator.core.ingest import import_file

    t0 = time.perf_counter()
    for i, f in enumerate(files, 1):
        r = import_file(ws, str(f))
        if r.status != "imported":
            raise RuntimeError(f"generation failed to import {f.name}: {r.reason}")
        if i % 20 == 0:
            log(f"  imported {i}/{len(files)} files ({time.perf_counter() - t0:.0f} s)")


def _fresh(path: Path, title: str):
    from annotator.core.store.workspace import Workspace

    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    ws = Workspace.create(str(path), title=title, inquiry=INQUIRY)
    ws.set("author", "Counsel to the inquiry")
    return ws


def build(size_name: str, seed: int = 1, out: Path | None = None) -> Corpus:
    """Generate whatever is missing from the cache; return the corpus."""
    c = corpus(size_name, seed, out)
    size = c.size
    if not c.done("pdfs"):
        log(f"writing PDFs ({size.transcript_pages} transcript + {size.doc_pages} document pages)")
        _write_pdfs(c)
        c.mark("pdfs")
    if not c.done("import_pdf"):
        log(f"writing the {size.import_pages}-page import PDF")
        c.import_pdf.write_bytes(transcript_pdf(random.Random(f"{seed}-import"), 1, size.import_pages))
        c.mark("import_pdf")
    if not c.done("bundle"):
        log("writing the hearing bundle")
        _bundle(c)
        c.mark("bundle")
    if not c.done("inquiry"):
        log("importing every file into inquiry.annot")
        ws = _fresh(c.inquiry, "Synthetic inquiry")
        try:
            _import_all(ws, sorted(c.pdf.glob("*.pdf")))
            log(f"tagging {size.passages} passages")
            passages.add(ws, size.passages, random.Random(f"{seed}-passages"))
        finally:
            ws.close()
        c.mark("inquiry")
    if not c.done("reader"):
        log("importing the bundle into reader.annot")
        ws = _fresh(c.reader, "Hearing bundle")
        try:
            _import_all(ws, [c.bundle])
            passages.add(ws, size.export_passages, random.Random(f"{seed}-export"), links=0.05)
        finally:
            ws.close()
        c.mark("reader", document=1)
    if not c.done("search"):
        _build_search(c)
    _settle(c)
    return c


def _settle(c: Corpus) -> None:
    """Open each workspace once for writing: a cache built by older code gets its
    schema upgraded and its index rebuilt here, not inside a timed benchmark."""
    from annotator.core.store.workspace import Workspace

    for path in (c.inquiry, c.reader, c.search):
        t = time.perf_counter()
        Workspace.open(str(path), backup_dir=str(c.folder)).close()
        if time.perf_counter() - t > 1:
            log(f"  {path.name} brought up to date ({time.perf_counter() - t:.0f} s)")


def _build_search(c: Corpus) -> None:
    from annotator.core.store.workspace import Workspace

    log("copying inquiry.annot to search.annot")
    for suffix in ("", "-wal", "-shm"):
        Path(str(c.search) + suffix).unlink(missing_ok=True)
    shutil.copyfile(c.inquiry, c.search)
    ws = Workspace.open(str(c.search))
    try:
        with ws.session() as s:
            have = s.connection().exec_driver_sql("SELECT count(*) FROM line").scalar()
        rng, day = random.Random(f"{c.seed}-search"), 500
        need = c.size.search_lines - have
        tmp = c.folder / "text-days"
        tmp.mkdir(exist_ok=True)
        log(f"adding {max(0, need)} transcript lines as text transcripts")
        files = []
        while need > 0:
            day += 1
            pages = min(c.size.day_pages, -(-need // 25))
            f = tmp / f"Day {day} - text.txt"
            f.write_text(transcript_text(rng, day, pages), encoding="utf-8")
            files.append(f)
            need -= pages * 25
        _import_all(ws, files)
        with ws.session() as s:
            total = s.connection().exec_driver_sql("SELECT count(*) FROM line").scalar()
    finally:
        ws.close()
    shutil.rmtree(tmp, ignore_errors=True)
    c.mark("search", lines=total)
