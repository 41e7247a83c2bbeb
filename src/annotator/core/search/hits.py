"""Turn the ids of one page of results into hits: citation, snippet, themes.

Only the returned page is read back, so snippets cost the same whatever the
total. Hits are marked «like this» in snippets; exact character ranges of
each marked word are kept too, for highlighting in the reader.
"""

import sqlite3
from collections.abc import Iterable
from typing import Any
from dataclasses import asdict, dataclass, field

from annotator.core.evidence import citations
from annotator.core.evidence.passages import cite_fields

from annotator.core.store import settings
from annotator.core.store.index import TOKENIZE

OPEN, CLOSE = "\ue000", "\ue001"  # private-use marks that never occur in text
MARK_OPEN, MARK_CLOSE = "«", "»"
SNIPPET_TOKENS = 24
LINE_WIDTH = 160  # characters of a long line (prose paragraphs) shown around its first hit


@dataclass
class Hit:
    kind: str  # 'line' | 'passage'
    id: int  # line id or passage id
    document_id: int
    document: str  # title
    citation: str
    snippet: str  # hits marked «like this»
    page_index: int
    char_start: int
    char_end: int
    end_page: int
    passage_id: int | None = None  # the passage (or one covering this line), if tagged
    themes: list[str] = field(default_factory=list)
    ranges: list[tuple[int, int, int]] = field(default_factory=list)  # (page, start, end) of marks
    urn: str = ""
    day: int | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ranges"] = [list(r) for r in self.ranges]
        return d


def split_marks(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text without the private marks, and the (start, end) of each marked run."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, i = 0, 0
    while True:
        a = marked.find(OPEN, i)
        if a < 0:
            out.append(marked[i:].replace(CLOSE, ""))
            return "".join(out), spans
        b = marked.find(CLOSE, a)
        b = len(marked) if b < 0 else b
        before = marked[i:a].replace(CLOSE, "")
        inner = marked[a + 1 : b].replace(OPEN, "")
        out += [before, inner]
        pos += len(before)
        spans.append((pos, pos + len(inner)))
        pos += len(inner)
        i = b + 1


def display(marked: str, width: int = 0) -> str:
    """Marks shown as «»; with a width, long text is cut to a window around the first hit."""
    if width and len(marked) > width:
        first = max(marked.find(OPEN), 0)
        start = max(0, first - 40)
        end = start + width
        marked = ("…" if start else "") + marked[start:end] + ("…" if end < len(marked) else "")
        if marked.count(OPEN) > marked.count(CLOSE):
            marked += CLOSE
    return " ".join(marked.replace(OPEN, MARK_OPEN).replace(CLOSE, MARK_CLOSE).split())


def _id_list(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


CACHE_KIB = -32768  # negative: KiB, so 32 MB per connection at most
_SCRATCH = {"marks_line": "text", "marks_passage": "quote, note, themes, author"}


def prepare(raw: sqlite3.Connection) -> None:
    """Create the scratch tables on this connection; call outside a transaction.

    Made inside the search's read transaction, they were rolled back with it
    and created again (with their shadow tables) on every search.
    """
    # a bigger page cache than SQLite's 2 MB default: one match over a big index
    # otherwise evicts the passage and page rows the hits are built from
    raw.execute(f"PRAGMA cache_size = {CACHE_KIB}")
    for name, columns in _SCRATCH.items():
        raw.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5({columns}, tokenize='{TOKENIZE}')"
        )


def _scratch(raw: sqlite3.Connection, name: str, rows: list[tuple[Any, ...]]) -> None:
    """Copy the returned rows into a small temporary FTS5 table with the same tokenizer.

    Marking hits there costs the same whatever the size of the workspace: asking
    the big index for 50 rows by id makes FTS5 redo the whole match (slow for
    prefixes and NEAR).
    """
    columns = _SCRATCH[name]
    prepare(raw)
    raw.execute(f"DELETE FROM temp.{name}")
    marks = ",".join("?" * (columns.count(",") + 2))
    raw.executemany(f"INSERT INTO temp.{name}(rowid, {columns}) VALUES ({marks})", rows)


def _line_marks(raw: sqlite3.Connection, match: str | None, texts: dict[int, str]) -> dict[int, str]:
    if not match or not texts:
        return {}
    _scratch(raw, "marks_line", list(texts.items()))
    return dict(
        raw.execute(
            f"SELECT rowid, highlight(marks_line, 0, '{OPEN}', '{CLOSE}') FROM temp.marks_line "
            "WHERE marks_line MATCH ?",
            (match,),
        ).fetchall()
    )


def _passage_marks(raw: sqlite3.Connection, match: str | None, ids: list[int]) -> dict[int, str | None]:
    """Per passage: a snippet of the quote when it holds a hit, else of the note."""
    if not match or not ids:
        return {}
    rows = raw.execute(
        f"SELECT rowid, quote, note, themes, author FROM passage_fts WHERE rowid IN ({_id_list(ids)})"
    ).fetchall()
    _scratch(raw, "marks_passage", rows)
    rows = raw.execute(
        f"SELECT rowid, snippet(marks_passage, 0, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS}), "
        f"snippet(marks_passage, 1, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS}) "
        "FROM temp.marks_passage WHERE marks_passage MATCH ?",
        (match,),
    ).fetchall()
    return {
        r[0]: r[1] if OPEN in (r[1] or "") else (f"Note: {r[2]}" if OPEN in (r[2] or "") else None)
        for r in rows
    }


SPAN = 2  # passages spanning more pages than this are found through the partial index passage_long


def _covering(raw: sqlite3.Connection, lines: dict[int, tuple[Any, ...]]) -> dict[int, list[int]]:
    """Live passages covering each line: {line id: [passage ids]}.

    Short passages start at most SPAN pages before the line: a narrow index
    range. Longer ones are few and have their own partial index.
    """
    by_page: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
    for lid, r in lines.items():
        by_page.setdefault((r[1], r[2]), []).append((lid, r))
    if not by_page:
        return {}
    want = ",".join("(?, ?)" for _ in by_page)
    args = [x for key in by_page for x in key]
    rows = raw.execute(
        f"WITH want(doc, page) AS (VALUES {want}) "
        "SELECT w.doc, w.page, p.id, p.start_page, p.start_char, p.end_page, p.end_char "
        "FROM want w CROSS JOIN passage p ON p.document_id = w.doc "
        f"AND p.start_page BETWEEN w.page - {SPAN} AND w.page AND p.end_page >= w.page "
        "WHERE p.deleted_at IS NULL "
        "UNION SELECT w.doc, w.page, p.id, p.start_page, p.start_char, p.end_page, p.end_char "
        "FROM want w CROSS JOIN passage p ON p.document_id = w.doc "
        f"AND p.end_page - p.start_page > {SPAN} AND p.start_page <= w.page AND p.end_page >= w.page "
        "WHERE p.deleted_at IS NULL",
        args,
    ).fetchall()
    found: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
    for doc, page, *p in rows:
        found.setdefault((doc, page), []).append(p)
    out: dict[int, list[int]] = {}
    for (doc, page), members in by_page.items():
        ps = found.get((doc, page), [])
        for lid, r in members:
            cs, ce = r[7], r[8]
            for pid, sp, sc, ep, ec in ps:
                if (sp, sc) < (page, ce) and (page, cs) < (ep, ec):
                    out.setdefault(lid, []).append(pid)
    return out


def _themes_of(raw: sqlite3.Connection, pids: set[int]) -> dict[int, list[str]]:
    if not pids:
        return {}
    rows = raw.execute(
        "SELECT pt.passage_id, t.name FROM passage_theme pt JOIN theme t ON t.id = pt.theme_id "
        f"WHERE pt.passage_id IN ({_id_list(pids)}) ORDER BY t.position, t.id"
    ).fetchall()
    out: dict[int, list[str]] = {}
    for pid, name in rows:
        out.setdefault(pid, []).append(name)
    return out


def _docs(raw: sqlite3.Connection, ids: set[int]) -> dict[int, tuple[Any, ...]]:
    if not ids:
        return {}
    rows = raw.execute(
        f"SELECT id, title, urn, kind, witness, day FROM document WHERE id IN ({_id_list(ids)})"
    ).fetchall()
    return {r[0]: r for r in rows}


def _labels(raw: sqlite3.Connection, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    if not pairs:
        return {}
    want = ",".join("(?, ?)" for _ in pairs)
    rows = raw.execute(
        f'WITH want(doc, pg) AS (VALUES {want}) SELECT p.document_id, p."index", p.label '
        'FROM want w CROSS JOIN page p ON p.document_id = w.doc AND p."index" = w.pg',
        [x for pair in pairs for x in pair],
    ).fetchall()
    return {(d, i): label for d, i, label in rows if label}


def line_hits(raw: sqlite3.Connection, ids: list[int], match: str | None) -> dict[int, Hit]:
    if not ids:
        return {}
    rows = raw.execute(
        "SELECT id, document_id, page_index, tpage, line, day, text, char_start, char_end, para "
        f"FROM line WHERE id IN ({_id_list(ids)})"
    ).fetchall()
    lines = {r[0]: r for r in rows}
    marks = _line_marks(raw, match, {lid: r[6] for lid, r in lines.items()})
    cover = _covering(raw, lines)
    themes = _themes_of(raw, {p for ps in cover.values() for p in ps})
    docs = _docs(raw, {r[1] for r in rows})
    labels = _labels(raw, {(r[1], r[2]) for r in rows if docs[r[1]][3] != "transcript"})
    style = settings.citation_style(raw)
    out: dict[int, Hit] = {}
    for lid, (_, doc, page, tpage, line, day, text, cs, ce, para) in lines.items():
        d = docs[doc]
        src = citations.Source(d[3], d[2], d[1], d[4], d[5])
        if d[3] == "transcript" and tpage and para is None:
            cite = citations.cite(src, (tpage, line), style=style, day=day)
        else:
            cite = citations.cite(
                src, labels.get((doc, page), str(page + 1)), style=style, paras=(para, None)
            )
        marked = marks.get(lid, text)
        _, spans = split_marks(marked)
        pids = cover.get(lid, [])
        names = sorted({n for p in pids for n in themes.get(p, [])})
        out[lid] = Hit(
            "line",
            lid,
            doc,
            d[1],
            cite,
            display(marked, LINE_WIDTH),
            page,
            cs,
            ce,
            page,
            pids[0] if pids else None,
            names,
            [(page, cs + a, cs + b) for a, b in spans],
            d[2],
            day,
        )
    return out


def passage_hits(raw: sqlite3.Connection, ids: list[int], match: str | None) -> dict[int, Hit]:
    if not ids:
        return {}
    rows = raw.execute(
        "SELECT id, document_id, start_page, start_char, end_page, end_char, quote, day, "
        "tpage_from, line_from, tpage_to, line_to, para_from, para_to, area_page "
        f"FROM passage WHERE id IN ({_id_list(ids)})"
    ).fetchall()
    marks = _passage_marks(raw, match, ids)
    themes = _themes_of(raw, set(ids))
    docs = _docs(raw, {r[1] for r in rows})
    labels = _labels(raw, {(r[1], p) for r in rows if docs[r[1]][3] != "transcript" for p in (r[2], r[4])})
    style = settings.citation_style(raw)
    out: dict[int, Hit] = {}
    for pid, doc, sp, sc, ep, ec, quote, day, tp1, l1, tp2, l2, pf, pt, area in rows:
        d = docs[doc]
        src = citations.Source(d[3], d[2], d[1], d[4], d[5])
        printed = {p: labels[(doc, p)] for p in (sp, ep) if (doc, p) in labels}
        cite = cite_fields(src, day, sp, ep, tp1, l1, tp2, l2, printed, style, (pf, pt), area is not None)
        snippet = marks.get(pid)
        if snippet is None:  # matched on themes or author only, or no words at all
            snippet = quote if len(quote) < 300 else quote[:300] + "…"
        out[pid] = Hit(
            "passage",
            pid,
            doc,
            d[1],
            cite,
            display(snippet),
            sp,
            sc,
            ec,
            ep,
            pid,
            themes.get(pid, []),
            [],
            d[2],
            day,
        )
    return out
