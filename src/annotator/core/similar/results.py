"""Search hits for windows of lines: a citation of the whole span, its text, its themes."""

import sqlite3
from typing import Any

from annotator.core.evidence import citations
from annotator.core.search import hits
from annotator.core.search.hits import Hit
from annotator.core.store import settings

SNIPPET_CHARS = 320


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS] + "…"


def window_hits(raw: sqlite3.Connection, spans: list[tuple[int, int, int]]) -> dict[int, Hit]:
    """{first line id: Hit} for windows given as (document id, first line id, last line id)."""
    if not spans:
        return {}
    want = ",".join("(?, ?, ?)" for _ in spans)
    rows = raw.execute(
        f"WITH w(doc, a, b) AS (VALUES {want}) SELECT w.a, l.id, l.page_index, l.tpage, l.line, l.day, "
        "l.text, l.char_start, l.char_end, l.para, l.role FROM w CROSS JOIN line l "
        "ON l.document_id = w.doc AND l.id BETWEEN w.a AND w.b ORDER BY w.a, l.id",
        [x for s in spans for x in s],
    ).fetchall()
    by_first: dict[int, list[tuple[Any, ...]]] = {}
    for r in rows:
        by_first.setdefault(r[0], []).append(r[1:])
    firsts = hits.line_hits(raw, [s[1] for s in spans], None)  # documents, themes, covering passage
    style = settings.citation_style(raw)
    docs = hits._docs(raw, {s[0] for s in spans})
    labels = hits._labels(
        raw, {(doc, r[1]) for doc, a, _ in spans if docs[doc][3] != "transcript" for r in by_first.get(a, [])}
    )
    out = {}
    for doc, a, _b in spans:
        lines = by_first.get(a)
        first = firsts.get(a)
        if not lines or first is None:
            continue  # the document changed since the window was embedded
        one, last = lines[0], lines[-1]
        d = docs[doc]
        src = citations.Source(d[3], d[2], d[1], d[4], d[5])
        if d[3] == "transcript" and one[2] and one[8] is None:
            cite = citations.cite(src, (one[2], one[3]), (last[2], last[3]), style=style, day=one[4])
        else:
            cite = citations.cite(
                src,
                labels.get((doc, one[1]), str(one[1] + 1)),
                labels.get((doc, last[1]), str(last[1] + 1)),
                style=style,
                paras=(one[8], last[8] if last[8] != one[8] else None),
            )
        text = " ".join(r[5] for r in lines if r[5].strip() and r[9] not in ("header", "index"))
        first.citation = cite
        first.snippet = _cut(text)
        first.char_end = last[7]
        first.end_page = last[1]
        out[a] = first
    return out


def live_passages(raw: sqlite3.Connection, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    rows = raw.execute(
        f"SELECT id FROM passage WHERE deleted_at IS NULL AND id IN ({','.join(str(int(i)) for i in ids)})"
    ).fetchall()
    return {r[0] for r in rows}
