"""Quick scale check of search: ~1,000,000 transcript lines and 100,000 passages
written straight into SQLite, then each query timed against a bare FTS5 query.

    python tools/search_scale.py OUT.annot [--lines 1000000] [--passages 100000]

The official benchmark lives in bench/; this is a developer's quick look.
"""

import argparse
import os
import random
import statistics
import sys
import time

WORDS = ("the and of to a in that was we it is for on with as he this be at by i not are have "
         "had but from or his they an were which you there one all been would has their her she "
         "who so if will about what when can no more said out up them then into could time some "
         "other only very than its over also any after first two may these people should our "
         "ward patient patients nurse nurses doctor doctors care hospital trust board report "
         "staff staffing agency finance budget target targets meeting minutes concern concerns "
         "complaint complaints mortality data review chief executive director medical clinical "
         "governance quality safety risk incident incidents surgeon surgeons surgical surgery "
         "emergency department admission discharge family families letter evidence inquiry "
         "commission healthcare monitor regulator standards culture leadership bed beds shift").split()
RARE = ["thrombolysis", "laparoscopic", "cholecystectomy", "anticoagulation"]


def make_line(rng: random.Random, weights) -> str:
    words = rng.choices(WORDS, weights, k=rng.randint(6, 12))
    r = rng.random()
    if r < 0.004:
        words.insert(rng.randrange(len(words)), "Healthcare Commission")
    elif r < 0.0045:
        words.insert(rng.randrange(len(words)), rng.choice(RARE))
    return " ".join(words)


def build(path: str, n_lines: int, n_passages: int, seed: int = 1) -> None:
    from annotator.core import index
    from annotator.core.workspace import Workspace

    rng = random.Random(seed)
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(WORDS))]
    ws = Workspace.create(path, title="Scale")
    days, per_day = 200, n_lines // 200
    t0 = time.perf_counter()
    with ws.write("scale data") as s:
        c = s.connection()
        for stmt in [d for d in index.DROP if "TRIGGER" in d]:  # one rebuild at the end
            c.exec_driver_sql(stmt)
        raw = c.connection.driver_connection
        raw.execute("INSERT INTO blob(sha256, size, data) VALUES ('x', 0, x'')")
        line_rows, page_rows, spans = [], [], []
        for d in range(days):
            doc = d + 1
            raw.execute("INSERT INTO document(id, kind, title, urn, witness, date, day, sha256, filename, "
                        "source_format, page_count, has_text, flags, imported_at, position) VALUES "
                        "(?, 'transcript', ?, '', ?, '', ?, 'x', '', 'text', ?, 1, '[]', '', 0)",
                        (doc, f"Day {d + 1} transcript", f"Witness {d % 37}", d + 1, per_day // 25))
            for pg in range(per_day // 25):
                texts, offs, pos = [], [], 0
                for ln in range(25):
                    t = make_line(rng, weights)
                    offs.append((pos, pos + len(t)))
                    texts.append(t)
                    pos += len(t) + 1
                page_rows.append((doc, pg, str(pg + 1), "\n".join(texts)))
                for ln, (t, (a, b)) in enumerate(zip(texts, offs)):
                    line_rows.append((doc, pg, pg * 25 + ln, pg + 1, ln + 1, d + 1, "", "answer", t, a, b))
                spans.append((doc, pg, texts, offs, d + 1))
        raw.executemany('INSERT INTO page(document_id, "index", label, width, height, rotation, text) '
                        "VALUES (?, ?, ?, 0, 0, 0, ?)", page_rows)
        raw.executemany("INSERT INTO line(document_id, page_index, seq, tpage, line, day, speaker, role, "
                        "text, char_start, char_end, x0, y0, x1, y1) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0)", line_rows)
        prs, pts = [], []
        for pid in range(1, n_passages + 1):
            doc, pg, texts, offs, day = rng.choice(spans)
            a = rng.randrange(24)
            b = min(24, a + rng.randint(0, 2))
            note = " ".join(rng.choices(WORDS, weights, k=4)) + (" contradicts" if rng.random() < 0.02 else "")
            prs.append((pid, doc, pg, offs[a][0], pg, offs[b][1], "\n".join(texts[a:b + 1]), day,
                        pg + 1, a + 1, pg + 1, b + 1, note))
            for tid in rng.sample(range(1, 5), rng.randint(1, 2)):
                pts.append((pid, tid))
        raw.executemany("INSERT INTO passage(id, document_id, start_page, start_char, end_page, end_char, "
                        "rects, quote, prefix, suffix, day, tpage_from, line_from, tpage_to, line_to, note, "
                        "author, important, redact, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, '[]', "
                        "?, '', '', ?, ?, ?, ?, ?, ?, 'Counsel', 0, 0, '', '')", prs)
        raw.executemany("INSERT INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", pts)
        print(f"rows written in {time.perf_counter() - t0:.0f} s; indexing", file=sys.stderr)
        index.rebuild(c)
    ws.close()
    print(f"built {path} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def _fts(table: str, match: str) -> list:
    """What any result list needs: the count, and the 50 best rows with their hits marked."""
    return [(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", match),
            (f"SELECT rowid, highlight({table}, 0, '[', ']') FROM {table} WHERE {table} MATCH ? "
             "ORDER BY rank LIMIT 50", match)]


def _both(match: str) -> list:
    return _fts("line_fts", match) + _fts("passage_fts", match)


_THEME = "FROM passage p JOIN passage_theme pt ON pt.passage_id = p.id WHERE pt.theme_id = 3 AND p.deleted_at IS NULL"
_DAYS = "FROM line_fts JOIN line l ON l.id = line_fts.rowid WHERE line_fts MATCH ? AND l.day BETWEEN 40 AND 50"
QUERIES = [
    ("phrase", '"Healthcare Commission"', _both('"healthcare commission"')),
    ("boolean", "staffing AND (nurses OR agency) NOT finance", _both("staffing AND (nurses OR agency) NOT finance")),
    ("NEAR", "NEAR(board minutes, 5)", _both("NEAR(board minutes, 5)")),
    ("prefix", "surg*", _both("surg*")),
    ("filter only", "theme:Safety", [(f"SELECT count(*) {_THEME}", None),
                                     (f"SELECT p.id {_THEME} ORDER BY p.document_id, p.start_page, "
                                      "p.start_char LIMIT 50", None)]),
    ("rare word", "thrombolysis", _both("thrombolysis")),
    ("common word", "trust", _both("trust")),
    ("very common", "the", _both("the")),
    ("word + days", "complaints day:40-50",
     [(f"SELECT count(*) {_DAYS}", "complaints"),
      (f"SELECT l.id, highlight(line_fts, 0, '[', ']') {_DAYS} ORDER BY rank LIMIT 50", "complaints")]),
    ("stemmed word", "target", _both("target")),
    ("note field", "note:contradicts", _fts("passage_fts", "note : contradicts")),
    ("document order", "mortality", _fts("line_fts", "mortality")[:1] + [
        ("SELECT rowid, highlight(line_fts, 0, '[', ']') FROM line_fts WHERE line_fts MATCH ? LIMIT 50",
         "mortality")]),
]


def median_ms(fn, repeats: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measure(path: str) -> None:
    import sqlite3

    from annotator.core.search import search
    from annotator.core.workspace import Workspace

    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ws = Workspace.open(path, readonly=True)
    print(f"{'query':<16}{'ours ms':>10}{'bare ms':>10}{'ratio':>8}  total")
    for label, q, steps in QUERIES:
        order = "document" if label == "document order" else "rank"
        res = search(ws, q, limit=50, order=order)
        ours = median_ms(lambda: search(ws, q, limit=50, order=order))
        bare = median_ms(lambda: [db.execute(sql, (m,) if m else ()).fetchall() for sql, m in steps])
        print(f"{label:<16}{ours:>10.1f}{bare:>10.1f}{ours / max(bare, 0.01):>8.2f}  {res.total:,}")
    ws.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--passages", type=int, default=100_000)
    args = ap.parse_args()
    if not os.path.exists(args.path):
        build(args.path, args.lines, args.passages)
    measure(args.path)
