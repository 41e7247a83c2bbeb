"""The search benchmark: 10 fixed queries, ours and a bare FTS5 query doing the same match.

The bare side does, straight in SQLite, what any result list needs for these
queries: the number of matching lines and passages, and the 50 best of each
with the hits marked (highlight()); for a filter alone, the count and the 50
first passages of the theme in document order.
"""

import sqlite3
import statistics
import time


def _fts(table: str, match: str) -> list[tuple[str, tuple]]:
    return [
        (f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (match,)),
        (
            f"SELECT rowid, highlight({table}, 0, '[', ']') FROM {table} WHERE {table} MATCH ? "
            "ORDER BY rank LIMIT 50",
            (match,),
        ),
    ]


def _both(match: str) -> list[tuple[str, tuple]]:
    return _fts("line_fts", match) + _fts("passage_fts", match)


_THEME = (
    "FROM passage p JOIN passage_theme pt ON pt.passage_id = p.id JOIN theme t ON t.id = pt.theme_id "
    "WHERE t.name = ? AND p.deleted_at IS NULL"
)
_DAYS = "FROM line_fts JOIN line l ON l.id = line_fts.rowid WHERE line_fts MATCH ? AND l.day BETWEEN ? AND ?"
_P_DAYS = (
    "FROM passage_fts JOIN passage p ON p.id = passage_fts.rowid "
    "WHERE passage_fts MATCH ? AND p.day BETWEEN ? AND ?"
)

# (label, our query, [(bare SQL, parameters), ...])
QUERIES = [
    ("phrase", '"Healthcare Commission"', _both('"healthcare commission"')),
    (
        "boolean",
        "staffing AND (nurses OR agency) NOT finance",
        _both("staffing AND (nurses OR agency) NOT finance"),
    ),
    ("NEAR", "NEAR(board minutes, 5)", _both("NEAR(board minutes, 5)")),
    ("prefix", "surg*", _both("surg*")),
    (
        "filter only",
        "theme:Safety",
        [
            (f"SELECT count(*) {_THEME}", ("Safety",)),
            (
                f"SELECT p.id {_THEME} ORDER BY p.document_id, p.start_page, p.start_char LIMIT 50",
                ("Safety",),
            ),
        ],
    ),
    ("rare word", "thrombolysis", _both("thrombolysis")),
    ("common word", "trust", _both("trust")),
    (
        "word + days",
        "complaints day:2-5",
        [
            (f"SELECT count(*) {_DAYS}", ("complaints", 2, 5)),
            (
                f"SELECT l.id, highlight(line_fts, 0, '[', ']') {_DAYS} ORDER BY rank LIMIT 50",
                ("complaints", 2, 5),
            ),
            (f"SELECT count(*) {_P_DAYS}", ("complaints", 2, 5)),
            (
                f"SELECT p.id, highlight(passage_fts, 0, '[', ']') {_P_DAYS} ORDER BY rank LIMIT 50",
                ("complaints", 2, 5),
            ),
        ],
    ),
    ("stemmed word", "target", _both("target")),
    ("note field", "note:contradicts", _fts("passage_fts", "note : contradicts")),
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
    from annotator.core.store.workspace import Workspace

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
