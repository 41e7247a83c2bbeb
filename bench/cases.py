"""What each benchmark does, ours and raw, one function per side.

Every function runs in a fresh child process (bench.child) and returns a
dict with at least `value`; the child adds its peak RSS. Module imports
happen before the clock starts on both sides: we time the work, not Python
start-up.
"""

import os
import random
import sqlite3
import statistics
import time

ZOOM = 1.5  # a reading zoom on a laptop screen


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# ---- import ----------------------------------------------------------------
def import_ours(pdf: str, tmp: str) -> dict:
    from annotator.core.ingest import import_file
    from annotator.core.store.workspace import Workspace

    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="import-", dir=tmp)
    ws = Workspace.create(os.path.join(folder, "import-bench.annot"), title="import bench")
    try:
        t = time.perf_counter()
        r = import_file(ws, pdf)
        dt = time.perf_counter() - t
    finally:
        ws.close()
        shutil.rmtree(folder, ignore_errors=True)
    if r.status != "imported":
        raise RuntimeError(f"import failed: {r.reason}")
    return {"value": r.pages / dt, "seconds": dt, "pages": r.pages}


def import_raw(pdf: str) -> dict:
    import pymupdf

    t = time.perf_counter()
    doc = pymupdf.open(pdf)
    n = doc.page_count
    for page in doc:
        page.get_text("words")  # the text with the word boxes an import must keep
    dt = time.perf_counter() - t
    t = time.perf_counter()
    for page in doc:
        page.get_text()
    plain = n / (time.perf_counter() - t)
    doc.close()
    return {"value": n / dt, "seconds": dt, "pages": n, "plain_text_pages_per_s": plain}


# ---- open workspace ----------------------------------------------------------
def open_ours(path: str) -> dict:
    from annotator.core.library import documents
    from annotator.core.evidence import themes
    from annotator.core.store.workspace import Workspace

    t = time.perf_counter()
    ws = Workspace.open(path)
    with ws.session() as s:  # what the window shows first: documents and theme counts
        n = len(documents.all_documents(s))
        themes.counts(s)
    dt = time.perf_counter() - t
    ws.close()
    return {"value": dt, "documents": n}


def open_raw(path: str) -> dict:
    t = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    n = len(db.execute("SELECT * FROM document").fetchall())
    db.execute("SELECT theme_id, count(*) FROM passage_theme GROUP BY theme_id").fetchall()
    dt = time.perf_counter() - t
    db.close()
    return {"value": dt, "documents": n}


# ---- first page, scrolling -----------------------------------------------------
def _renderer_api():
    """The reader's Qt-free core: annotator.core.library.render when present, else a stand-in."""
    try:
        from annotator.core.library.render import PageRenderer, load_pdf_bytes

        return PageRenderer, load_pdf_bytes, False
    except ImportError:
        import pymupdf
        from sqlmodel import select

        from annotator.core.store.models import Blob, Document

        def load(ws, doc_id):
            with ws.session() as s:
                doc = s.get(Document, doc_id)
                return s.exec(select(Blob.data).where(Blob.sha256 == doc.sha256)).first()

        class StandIn:
            def __init__(self, data):
                self._doc = pymupdf.open(stream=data, filetype="pdf")

            @property
            def page_count(self):
                return self._doc.page_count

            def render(self, i, zoom=1.0):
                return self._doc.load_page(i).get_pixmap(matrix=pymupdf.Matrix(zoom, zoom)).samples

        return StandIn, load, True


def first_page_ours(ws_path: str, doc_id: int) -> dict:
    from annotator.core.store.workspace import Workspace

    import pymupdf  # noqa: F401  (imported before the clock, as on the raw side)

    from annotator.core.library import documents

    renderer, load, stand_in = _renderer_api()
    ws = Workspace.open(ws_path, readonly=True)
    with ws.session() as s:  # the window lists the documents before one can be opened
        documents.all_documents(s)
    t = time.perf_counter()
    r = renderer(load(ws, doc_id))
    r.render(0, zoom=ZOOM)
    dt = time.perf_counter() - t
    ws.close()
    return {"value": dt * 1000, "stand_in": stand_in}


def first_page_raw(pdf: str) -> dict:
    import pymupdf

    t = time.perf_counter()
    doc = pymupdf.open(pdf)
    doc.load_page(0).get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM))
    dt = time.perf_counter() - t
    return {"value": dt * 1000}


def _scroll(render, n: int) -> dict:
    samples = []
    t = time.perf_counter()
    for i in range(n):
        render(i)
        if i % max(1, n // 50) == 0:
            samples.append(_rss_mb())
    samples.append(_rss_mb())
    dt = time.perf_counter() - t
    early = samples[max(0, len(samples) // 10)]
    return {
        "pages": n,
        "seconds": dt,
        "rss_early_mb": early,
        "rss_end_mb": samples[-1],
        "growth_mb": max(samples) - early,
    }


def scroll_ours(ws_path: str, doc_id: int) -> dict:
    from annotator.core.store.workspace import Workspace

    renderer, load, stand_in = _renderer_api()
    ws = Workspace.open(ws_path, readonly=True)
    r = renderer(load(ws, doc_id))
    out = _scroll(lambda i: r.render(i, zoom=ZOOM), r.page_count)
    ws.close()
    out["stand_in"] = stand_in
    return out


def scroll_raw(pdf: str) -> dict:
    import pymupdf

    doc = pymupdf.open(pdf)
    m = pymupdf.Matrix(ZOOM, ZOOM)
    return _scroll(lambda i: doc.load_page(i).get_pixmap(matrix=m).samples, doc.page_count)


# ---- tag ---------------------------------------------------------------------------
def _pick_spans(db: sqlite3.Connection, n: int, seed: int) -> list[tuple]:
    """n whole-line selections (doc, start page/char, end page/char) at random places."""
    rng = random.Random(seed)
    top = db.execute("SELECT max(id) FROM line").fetchone()[0]
    out = []
    while len(out) < n:
        a = db.execute(
            "SELECT document_id, seq FROM line WHERE id >= ? LIMIT 1", (rng.randint(1, top),)
        ).fetchone()
        rows = db.execute(
            "SELECT page_index, char_start, char_end FROM line WHERE document_id = ? "
            "AND seq >= ? AND role NOT IN ('header', 'index') AND text != '' "
            "ORDER BY seq LIMIT ?",
            (a[0], a[1], rng.randint(1, 5)),
        ).fetchall()
        if rows and (len(rows) > 1 or rows[0][2] > rows[0][1]):
            out.append((a[0], rows[0][0], rows[0][1], rows[-1][0], rows[-1][2]))
    return out


def tag_ours(ws_path: str, n: int) -> dict:
    from annotator.core.evidence import tagging
    from annotator.core.store.workspace import Workspace

    with sqlite3.connect(ws_path) as db:
        spans = _pick_spans(db, n, 7)
        theme = db.execute("SELECT min(id) FROM theme").fetchone()[0]
        present = db.execute("SELECT count(*) FROM passage").fetchone()[0]
    ws = Workspace.open(ws_path)
    times = []
    try:
        for doc, sp, sc, ep, ec in spans:
            t = time.perf_counter()
            tagging.tag(ws, doc, theme_ids=[theme], note="Benchmark tag", start=(sp, sc), end=(ep, ec))
            times.append((time.perf_counter() - t) * 1000)
    finally:
        ws.close()
    return {"value": statistics.median(times), "max_ms": max(times), "present": present}


def tag_raw(ws_path: str, n: int) -> dict:
    """The same rows written with bare sqlite3 (same pragmas, triggers and durability)."""
    db = sqlite3.connect(ws_path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    spans = _pick_spans(db, n, 8)
    theme = db.execute("SELECT min(id) FROM theme").fetchone()[0]
    times = []
    for doc, sp, sc, ep, ec in spans:
        t = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        cur = db.execute(
            "INSERT INTO passage(document_id, start_page, start_char, end_page, end_char, rects, "
            "quote, prefix, suffix, note, author, important, redact, created_at, modified_at) "
            "VALUES (?, ?, ?, ?, ?, '[]', 'quote', '', '', 'Benchmark tag', 'bench', 0, 0, "
            "'2011-01-01', '2011-01-01')",
            (doc, sp, sc, ep, ec),
        )
        db.execute("INSERT INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", (cur.lastrowid, theme))
        db.execute("COMMIT")
        times.append((time.perf_counter() - t) * 1000)
    db.close()
    return {"value": statistics.median(times), "max_ms": max(times)}


# ---- the passages list -------------------------------------------------------------
def views_ours(ws_path: str) -> dict:
    from annotator.core.evidence import passages
    from annotator.core.store.workspace import Workspace

    ws = Workspace.open(ws_path, readonly=True)
    t = time.perf_counter()
    with ws.session() as s:
        n = len(passages.views(s))
    dt = time.perf_counter() - t
    ws.close()
    return {"value": dt, "passages": n}


def views_raw(ws_path: str) -> dict:
    """The same rows with bare sqlite3: passages with their document, themes and links."""
    t = time.perf_counter()
    db = sqlite3.connect(f"file:{ws_path}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT p.*, d.title, d.urn, d.witness, d.date, d.kind FROM passage p "
        "JOIN document d ON d.id = p.document_id WHERE p.deleted_at IS NULL "
        "ORDER BY p.document_id, p.start_page, p.start_char"
    ).fetchall()
    db.execute("SELECT passage_id, theme_id FROM passage_theme").fetchall()
    db.execute("SELECT * FROM link WHERE deleted_at IS NULL").fetchall()
    dt = time.perf_counter() - t
    db.close()
    return {"value": dt, "passages": len(rows)}
