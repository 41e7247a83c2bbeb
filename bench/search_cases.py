"""The search benchmark: 10 fixed queries, ours and a bare FTS5 query doing the same match.

The bare side asks SQLite directly for the 50 best rows of the line index and
of the passage index (or, for a filter alone, the 50 first passages of the
theme): what any search must at least do for these queries.
"""

import sqlite3
import statistics
import time

LINES = "SELECT rowid FROM line_fts WHERE line_fts MATCH ? ORDER BY rank LIMIT 50"
PASSAGES = "SELECT rowid FROM passage_fts WHERE passage_fts MATCH ? ORDER BY rank LIMIT 50"
THEME_ONLY = ("SELECT p.id FROM passage p JOIN passage_theme pt ON pt.passage_id = p.id "
              "JOIN theme t ON t.id = pt.theme_id WHERE t.name = ? AND p.deleted_at IS NULL "
              "ORDER BY p.id LIMIT 50")
LINES_IN_DAYS = ("SELECT l.id FROM line_fts JOIN line l ON l.id = line_fts.rowid "
                 "WHERE line_fts MATCH ? AND l.day BETWEEN ? AND ? ORDER BY rank LIMIT 50")

# (label, our query, [(bare SQL, parameters), ...])
QUERIES = [
    ("phrase", '"Healthcare Commission"',
     [(LINES, ('"healthcare commission"',)), (PASSAGES, ('"healthcare commission"',))]),
    ("boolean", "staffing AND (nurses OR agency) NOT finance",
     [(LINES, ("staffing AND (nurses OR agency) NOT finance",)),
      (PASSAGES, ("staffing AND (nurses OR agency) NOT finance",))]),
    ("NEAR", "NEAR(board minutes, 5)",
     [(LINES, ("NEAR(board minutes, 5)",)), (PASSAGES, ("NEAR(board minutes, 5)",))]),
    ("prefix", "surg*", [(LINES, ("surg*",)), (PASSAGES, ("surg*",))]),
    ("filter only", "theme:Safety", [(THEME_ONLY, ("Safety",))]),
    ("rare word", "thrombolysis", [(LINES, ("thrombolysis",)), (PASSAGES, ("thrombolysis",))]),
    ("common word", "trust", [(LINES, ("trust",)), (PASSAGES, ("trust",))]),
    ("word + days", "complaints day:40-50", [(LINES_IN_DAYS, ("complaints", 40, 50))]),
    ("stemmed word", "target", [(LINES, ("target",)), (PASSAGES, ("target",))]),
    ("note field", "note:contradicts", [(PASSAGES, ("note : contradicts",))]),
]


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm: the first run pays for reading the index pages from disk
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def search_ours(ws_path: str, repeats: int) -> dict:
    from annotator.core.search import search
    from annotator.core.workspace import Workspace

    ws = Workspace.open(ws_path, readonly=True)
    try:
        out = {label: _median_ms(lambda q=q: search(ws, q, limit=50), repeats) for label, q, _ in QUERIES}
    finally:
        ws.close()
    out["value"] = statistics.median(out.values())
    return out


def search_raw(ws_path: str, repeats: int) -> dict:
    db = sqlite3.connect(f"file:{ws_path}?mode=ro", uri=True)

    def run(steps):
        for sql, params in steps:
            db.execute(sql, params).fetchall()

    out = {label: _median_ms(lambda s=steps: run(s), repeats) for label, _, steps in QUERIES}
    db.close()
    out["value"] = statistics.median(out.values())
    return out
