"""Run a parsed query: count and one page of ids, all in SQL.

Lines and passages are two sources. Each is one SELECT; the page is their
UNION ALL ordered by score (FTS5 bm25) or by position, with LIMIT/OFFSET
pushed into SQLite. Counting is count(*) over the same match. Filters
become tests on indexed integer columns, never Python-side filtering.
"""

from typing import Any
from dataclasses import dataclass

from annotator.core.search.filters import Scope
from annotator.core.ocr.engine import LOW

PASSAGE_WEIGHTS = "1.0, 1.0, 0.7, 0.5"  # quote, note, themes, author

# Lines inside a live passage (used by tagged:no); walks line_doc_pos per passage.
_TAGGED_LINES = (
    "SELECT l2.id FROM passage p JOIN line l2 ON l2.document_id = p.document_id "
    "AND l2.page_index BETWEEN p.start_page AND p.end_page "
    "WHERE p.deleted_at IS NULL AND (l2.page_index > p.start_page OR l2.char_end > p.start_char) "
    "AND (l2.page_index < p.end_page OR l2.char_start < p.end_char)"
)


@dataclass
class Plan:
    match: str | None  # FTS5 expression over the text of lines and passages
    exclude: str | None  # rows matching this are removed (a query of exclusions only)
    scope: Scope


# lines holding a recognised word under engine.LOW confidence (see core/ocr)
_LOW_LINES = (
    "SELECT l2.id FROM ocr_word w JOIN line l2 ON l2.document_id = w.document_id "
    "AND l2.page_index = w.page_index AND w.char_start >= l2.char_start AND w.char_end <= l2.char_end "
    f"WHERE w.conf < {LOW} AND w.char_end > w.char_start"
)


def _ids(values) -> str:
    return ",".join(str(int(v)) for v in sorted(values)) or "NULL"


def _line_select(plan: Plan, order: str, bounds: tuple[Any, ...] | None) -> tuple[str, str, list[Any]] | None:
    sc = plan.scope
    if not sc.lines:
        return None
    where, args = [], []
    if plan.match:
        # CROSS JOIN keeps the FTS5 scan outermost (SQLite would otherwise be free to loop lines first)
        src = (
            "line_fts CROSS JOIN line l ON l.id = line_fts.rowid" if _needs_line(plan, order) else "line_fts"
        )
        where.append("line_fts MATCH ?")
        args.append(plan.match)
        idcol, score = "line_fts.rowid", "line_fts.rank"
        if bounds:  # lets FTS5 skip doclist segments outside these documents
            where.append("line_fts.rowid BETWEEN ? AND ?")
            args += list(bounds)
    else:
        src, idcol, score = "line l", "l.id", "0.0"
        where.append("l.text <> ''")
    if sc.doc_ids is not None:
        where.append(f"l.document_id IN ({_ids(sc.doc_ids)})")
    if sc.tagged is False:
        where.append(f"{idcol} NOT IN ({_TAGGED_LINES})")
    if sc.ocr_low:
        where.append(f"{idcol} IN ({_LOW_LINES})")
    if plan.exclude:
        where.append(f"{idcol} NOT IN (SELECT rowid FROM line_fts WHERE line_fts MATCH ?)")
        args.append(plan.exclude)
    cols = f"0 AS k, {idcol} AS id, {score} AS score" + (
        ", l.document_id AS d, l.page_index AS pg, l.char_start AS ch" if order == "document" else ""
    )
    return cols, f"FROM {src} WHERE {' AND '.join(where)}", args


def _needs_line(plan: Plan, order: str) -> bool:
    sc = plan.scope
    return order == "document" or sc.doc_ids is not None


def _passage_match(plan: Plan) -> str | None:
    from annotator.core.search.fts import column

    parts = ([f"({plan.match})"] if plan.match else []) + [column(k, t) for k, t in plan.scope.columns]
    return " AND ".join(parts) if parts else None


def _passage_select(plan: Plan, order: str) -> tuple[str, str, list[Any]] | None:
    sc = plan.scope
    if not sc.passages:
        return None
    where, args = [], []
    match = _passage_match(plan)
    if match:
        needs_p = order == "document" or sc.doc_ids is not None
        src = "passage_fts CROSS JOIN passage p ON p.id = passage_fts.rowid" if needs_p else "passage_fts"
        where.append("passage_fts MATCH ?")
        args.append(match)
        idcol, score = "passage_fts.rowid", f"bm25(passage_fts, {PASSAGE_WEIGHTS})"
    else:
        src, idcol, score = "passage p", "p.id", "0.0"
        where.append("+p.deleted_at IS NULL")  # '+': that index is no help here
    if sc.doc_ids is not None:
        where.append(f"p.document_id IN ({_ids(sc.doc_ids)})")
    if sc.theme_ids is not None:  # a probe per row, so SQLite can keep walking in page order
        where.append(
            f"EXISTS (SELECT 1 FROM passage_theme pt WHERE pt.passage_id = {idcol} "
            f"AND pt.theme_id IN ({_ids(sc.theme_ids)}))"
        )
    if plan.exclude:
        where.append(f"{idcol} NOT IN (SELECT rowid FROM passage_fts WHERE passage_fts MATCH ?)")
        args.append(plan.exclude)
    cols = f"1 AS k, {idcol} AS id, {score} AS score" + (
        ", p.document_id AS d, p.start_page AS pg, p.start_char AS ch" if order == "document" else ""
    )
    return cols, f"FROM {src} WHERE {' AND '.join(where)}", args


def line_bounds(raw, doc_ids: set[int] | None) -> tuple[int, int] | None:
    """Smallest and largest line id of these documents (lines of a document are near each other)."""
    if doc_ids is None:
        return None
    row = raw.execute(f"SELECT min(id), max(id) FROM line WHERE document_id IN ({_ids(doc_ids)})").fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def _count(raw, part) -> int:
    return raw.execute(f"SELECT count(*) {part[1]}", part[2]).fetchone()[0] if part else 0


def _themed_only(plan: Plan) -> bool:
    sc = plan.scope
    return sc.passages and sc.theme_ids is not None and not plan.match and not plan.exclude and not sc.columns


def _count_themed(raw, plan: Plan) -> int:
    """Passages of some themes and no words: count from the theme side (its own index)."""
    sc = plan.scope
    assert sc.theme_ids is not None  # (see _themed_only)
    tids = _ids(sc.theme_ids)
    if len(sc.theme_ids) == 1 and sc.doc_ids is None:
        # all links to the theme (a covering index count) minus those of deleted passages (few)
        linked = raw.execute(f"SELECT count(*) FROM passage_theme WHERE theme_id = {tids}").fetchone()[0]
        gone = raw.execute(
            "SELECT count(*) FROM passage p CROSS JOIN passage_theme pt ON pt.passage_id = p.id "
            f"AND pt.theme_id = {tids} WHERE p.deleted_at IS NOT NULL"
        ).fetchone()[0]
        return linked - gone
    docs = f" AND p.document_id IN ({_ids(sc.doc_ids)})" if sc.doc_ids is not None else ""
    return raw.execute(
        f"SELECT count(DISTINCT pt.passage_id) FROM passage_theme pt CROSS JOIN passage p "
        f"ON p.id = pt.passage_id WHERE pt.theme_id IN ({tids}) AND p.deleted_at IS NULL{docs}"
    ).fetchone()[0]


def _page_of(raw, part, order: str, kind: int, n: int, skip: int = 0) -> list[tuple[Any, ...]]:
    """Up to n rows of one source in its own order: (sort key..., kind, id)."""
    cols, body, args = part
    if order == "rank":
        sql = f"SELECT {cols} {body} ORDER BY score, id LIMIT ? OFFSET ?"
    elif kind == 0:  # a document's lines are stored in reading order, documents in import order
        sql = f"SELECT {cols} {body} ORDER BY id LIMIT ? OFFSET ?"
    else:
        sql = f"SELECT {cols} {body} ORDER BY d, pg, ch, id LIMIT ? OFFSET ?"
    rows = raw.execute(sql, list(args) + [n, skip]).fetchall()
    if order == "rank":
        return [(r[2], kind, r[1]) for r in rows]
    return [(r[3], r[4], r[5], kind, r[1]) for r in rows]


def run(raw, plan: Plan, limit: int, offset: int, order: str) -> tuple[int, int, list[tuple[int, int]]]:
    """(line total, passage total, [(kind, id)] for the page); kind 0 = line, 1 = passage.

    Each source is counted, then asked for its own best offset+limit rows in an
    order SQLite can produce cheaply; the two short lists are merged here.
    """
    if not plan.match:
        order = "document"  # no words: nothing to rank by
    bounds = line_bounds(raw, plan.scope.doc_ids) if plan.match else None
    if plan.match and plan.scope.doc_ids is not None and bounds is None and plan.scope.lines:
        bounds = (0, -1)  # those documents have no lines
    line_part = _line_select(plan, order, bounds)
    passage_part = _passage_select(plan, order)
    n_lines = _count(raw, line_part)
    n_passages = _count_themed(raw, plan) if _themed_only(plan) else _count(raw, passage_part)
    if limit <= 0 or offset >= n_lines + n_passages:
        return n_lines, n_passages, []
    if not (n_lines and n_passages):  # one source: LIMIT/OFFSET straight in SQL
        part, kind = (line_part, 0) if n_lines else (passage_part, 1)
        rows = _page_of(raw, part, order, kind, limit, offset)
    else:
        rows = sorted(
            _page_of(raw, line_part, order, 0, offset + limit)
            + _page_of(raw, passage_part, order, 1, offset + limit)
        )[offset : offset + limit]
    return n_lines, n_passages, [(r[-2], r[-1]) for r in rows]
