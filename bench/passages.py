"""Tag many passages at once, as if counsel had selected whole lines.

Offsets, quotes, context words and line rectangles are computed from the
stored lines the way anchors.resolve does for a whole-line selection; the
rows go in with executemany in one ws.write transaction (the FTS triggers
index them in the same transaction).
"""

import json
import random
from collections import Counter
from datetime import datetime, timedelta

from bench import vocab

AUTHORS = ["Counsel to the inquiry", "Junior counsel", "Solicitor to the inquiry", "Paralegal"]
RELATIONS = ["contradicts", "corroborates", "see also"]
EXCLUDED = ("header", "index")
COLS = (
    "id",
    "document_id",
    "start_page",
    "start_char",
    "end_page",
    "end_char",
    "rects",
    "quote",
    "prefix",
    "suffix",
    "day",
    "tpage_from",
    "line_from",
    "tpage_to",
    "line_to",
    "note",
    "author",
    "important",
    "redact",
    "created_at",
    "modified_at",
    "deleted_at",
)


def _context(lines, i: int, step: int) -> str:
    words: list[str] = []
    j = i + step
    while 0 <= j < len(lines) and len(words) < 8:
        w = lines[j][3].split()
        words = (w + words) if step < 0 else (words + w)
        j += step
    return " ".join(words[-8:] if step < 0 else words[:8])


def _spans(rng: random.Random, n_lines: int, k: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(k):
        length = rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 8))
        a = rng.randrange(0, max(1, n_lines - length))
        out.append((a, min(n_lines, a + length)))
    return out


def add(
    ws, n: int, rng: random.Random, links: float = 0.1, themes_per: tuple[int, int] = (1, 3)
) -> list[int]:
    """Add n passages spread over the documents by their line counts; return ids."""
    if n <= 0:
        return []
    with ws.write("bench: tag passages", {"count": n}) as s:
        db = s.connection().connection.driver_connection  # the sqlite3 connection, same transaction
        docs = db.execute("SELECT document_id, count(*) FROM line GROUP BY document_id ORDER BY 1").fetchall()
        theme_ids = [r[0] for r in db.execute("SELECT id FROM theme ORDER BY id")]
        first = (db.execute("SELECT max(id) FROM passage").fetchone()[0] or 0) + 1
        per_doc = Counter(rng.choices([d for d, _ in docs], weights=[c for _, c in docs], k=n))
        rows, pid = [], first
        when = datetime(2011, 1, 10, 9, 0)
        for doc_id in sorted(per_doc):
            lines = db.execute(
                "SELECT page_index, char_start, char_end, text, day, tpage, line, x0, y0, x1, y1, role "
                "FROM line WHERE document_id = ? ORDER BY seq",
                (doc_id,),
            ).fetchall()
            lines = [ln for ln in lines if ln[11] not in EXCLUDED and ln[3].strip()]
            if not lines:
                continue
            for a, b in _spans(rng, len(lines), per_doc[doc_id]):
                span = lines[a:b]
                first_ln, last_ln = span[0], span[-1]
                quote = "\n".join(ln[3].strip() for ln in span).strip()
                rects = [[ln[0], ln[7], ln[8], ln[9], ln[10]] for ln in span if ln[9] > ln[7]]
                note = vocab.fill(rng, rng.choice(vocab.NOTES)) if rng.random() < 0.5 else ""
                when += timedelta(seconds=rng.randint(5, 600))
                stamp = when.isoformat(timespec="seconds")
                rows.append(
                    (
                        pid,
                        doc_id,
                        first_ln[0],
                        first_ln[1],
                        last_ln[0],
                        last_ln[2],
                        json.dumps(rects),
                        quote,
                        _context(lines, a, -1),
                        _context(lines, b - 1, 1),
                        first_ln[4],
                        first_ln[5],
                        first_ln[6],
                        last_ln[5],
                        last_ln[6],
                        note,
                        rng.choice(AUTHORS),
                        rng.random() < 0.05,
                        False,
                        stamp,
                        stamp,
                        None,
                    )
                )
                pid += 1
        cols = ", ".join(COLS)
        db.executemany(f"INSERT INTO passage({cols}) VALUES ({', '.join('?' * len(COLS))})", rows)
        ids = [r[0] for r in rows]
        pairs = []
        for p in ids:
            for t in rng.sample(theme_ids, min(len(theme_ids), rng.randint(*themes_per))):
                pairs.append((p, t))
        db.executemany("INSERT INTO passage_theme(passage_id, theme_id) VALUES (?, ?)", pairs)
        link_rows = []
        for _ in range(int(len(ids) * links)):
            a, b = rng.sample(ids, 2)
            link_rows.append((a, b, rng.choice(RELATIONS), rng.choice(AUTHORS)))
        db.executemany(
            "INSERT INTO link(source_id, target_id, relation, author, created_at) "
            "VALUES (?, ?, ?, ?, '2011-02-01T10:00:00')",
            link_rows,
        )
    return ids
