"""Search over every line and every passage.

    results = search(ws, 'theme:safety "Healthcare Commission"', limit=50)

Results carry `total`, one page of `hits` (see hits.Hit) and `notices`:
short sentences about parts of the query that were not understood. search()
never raises for odd input and stops after `timeout` seconds (or when
`cancelled()` turns true), returning what it has with a notice.
"""

from typing import TYPE_CHECKING
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from annotator.core.search import engine, filters, fts, hits, parser
from annotator.core.search.hits import Hit, line_hits, passage_hits, split_marks
from annotator.core.util.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

ORDERS = ("rank", "document")
MAX_LIMIT = 10_000

__all__ = ["Hit", "Results", "search", "hits_in_document", "parse", "ORDERS"]

parse = parser.parse


@dataclass
class Results:
    query: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    lines: int = 0  # of total, hits on transcript/document lines
    passages: int = 0  # of total, hits on tagged passages
    offset: int = 0
    limit: int = 50
    order: str = "rank"
    stopped: bool = False  # cut short by the time limit or a newer query
    match: str | None = None  # the FTS5 expression used (for the reader's highlights)

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "total": self.total,
            "lines": self.lines,
            "passages": self.passages,
            "offset": self.offset,
            "limit": self.limit,
            "order": self.order,
            "notices": self.notices,
            "stopped": self.stopped,
            "hits": [h.as_dict() for h in self.hits],
        }


class _Stop(Exception):
    pass


def _guard(raw: sqlite3.Connection, timeout: float, cancelled: Callable[[], bool] | None) -> None:
    deadline = time.monotonic() + timeout

    def check() -> int:
        return 1 if time.monotonic() > deadline or (cancelled is not None and cancelled()) else 0

    raw.set_progress_handler(check, 2000)


def _plain_words(text: str) -> str | None:
    """Every word of the query, quoted and ANDed: the fallback reading."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split()][: parser.MAX_TERMS]
    return " AND ".join('"' + w + '"' for w in words) or None


def _plan(conn: sqlite3.Connection, text: str, notices: list[str]) -> engine.Plan:
    q = parser.parse(text)
    notices.extend(n for n in q.notices if n not in notices)
    match, exclude = fts.split(q.root, notices)
    scope = filters.resolve(conn, q.filters, notices)
    if match is None and exclude is None and not q.filters and not scope.columns:
        if text.strip() and not notices:
            notices.append("Nothing to search for: type a word, a phrase or a filter such as theme:safety.")
        scope.empty = True
    likes = [v for k, v in q.filters if k == "like"]
    if len(likes) > 1:
        notices.append("Only the first like: was used.")
    if likes and (match or exclude):
        notices.append("Words beside like: were not used; narrow a like: search with filters such as day:45.")
    return engine.Plan(match, exclude, scope, likes[0] if likes else None)


def _like(ws: "Workspace", raw: sqlite3.Connection, plan: engine.Plan, res: Results) -> None:
    from annotator.core.similar import store
    from annotator.core.similar.similar import like

    assert plan.like is not None
    waiting = store.waiting(raw)
    if waiting:
        res.notices.append(
            f"{waiting:,} documents and passages are not embedded yet, so like: does not see them "
            "(the window embeds them in the background; or run annotator embed)."
        )
    try:
        found = like(raw, ws.path, plan.like, plan.scope)
    except AnnotatorError as err:
        res.notices.append(str(err))
        return
    res.total = len(found)
    res.lines = sum(1 for h in found if h.kind == "line")
    res.passages = res.total - res.lines
    res.hits = found[res.offset : res.offset + res.limit]


@contextmanager
def _reading(ws: "Workspace") -> Iterator[sqlite3.Connection]:
    """The pooled sqlite3 connection in one read transaction (a consistent snapshot).

    The driver connection straight, not an ORM session: a session costs about
    a millisecond per search, as much as a rare word's whole match.
    """
    fairy = ws.engine.raw_connection()
    raw = fairy.driver_connection
    assert raw is not None
    try:
        hits.prepare(raw)  # temp tables, created once per connection outside any transaction
        raw.execute("BEGIN")
        yield raw
    finally:
        try:
            if raw.in_transaction:
                raw.execute("ROLLBACK")  # also empties the temp tables
        finally:
            fairy.close()


def search(
    ws: "Workspace",
    query: str,
    limit: int = 50,
    offset: int = 0,
    order: str = "rank",
    timeout: float = 10.0,
    cancelled: Callable[[], bool] | None = None,
) -> Results:
    """One page of results for a query (see the module doc)."""
    query = str(query or "")
    order = order if order in ORDERS else "rank"
    limit = max(0, min(int(limit or 0), MAX_LIMIT))
    offset = max(0, int(offset or 0))
    res = Results(query, offset=offset, limit=limit, order=order)
    with _reading(ws) as raw:
        _guard(raw, timeout, cancelled)
        try:
            plan = _plan(raw, query, res.notices)
            if plan.scope.empty:
                return res
            if plan.like is not None:
                _like(ws, raw, plan, res)
                return res
            res.match = plan.match
            try:
                n_l, n_p, page = engine.run(raw, plan, limit, offset, order)
            except sqlite3.OperationalError as err:
                if "interrupt" in str(err):
                    raise _Stop() from err
                # should not happen (every token is quoted); read it as plain words instead
                plan.match, plan.exclude = _plain_words(query), None
                res.notices.append("The search was read as plain words.")
                res.match = plan.match
                n_l, n_p, page = engine.run(raw, plan, limit, offset, order)
            res.lines, res.passages, res.total = n_l, n_p, n_l + n_p
            lids = [i for k, i in page if k == 0]
            pids = [i for k, i in page if k == 1]
            lh = line_hits(raw, lids, plan.match)
            ph = passage_hits(raw, pids, engine._passage_match(plan))
            res.hits = [lh[i] if k == 0 else ph[i] for k, i in page if (lh if k == 0 else ph).get(i)]
        except (_Stop, sqlite3.OperationalError) as err:
            if "interrupt" in str(err) or isinstance(err, _Stop):
                res.stopped = True
                res.notices.append("The search was stopped before it finished; try more specific words.")
            else:
                res.notices.append("The search could not be run; try fewer or simpler words.")
            res.hits = []
        finally:
            raw.set_progress_handler(None, 0)
    return res


def hits_in_document(
    ws: "Workspace", query: str, document_id: int, limit: int = 5000
) -> list[tuple[int, int, int]]:
    """(page index, start, end) of every marked word of a query in one document, in order."""
    res = search(ws, f"{query} doc:{int(document_id)}", limit=0)
    if not res.match:
        return []
    out = []
    with _reading(ws) as raw:
        _guard(raw, 10.0, None)
        try:
            rows = raw.execute(
                "SELECT l.page_index, l.char_start, highlight(line_fts, 0, ?, ?) FROM line_fts "
                "JOIN line l ON l.id = line_fts.rowid WHERE line_fts MATCH ? AND l.document_id = ? "
                "ORDER BY l.page_index, l.char_start LIMIT ?",
                ("\ue000", "\ue001", res.match, int(document_id), limit),
            ).fetchall()
        except sqlite3.OperationalError:
            rows = []
        finally:
            raw.set_progress_handler(None, 0)
    for page, cs, marked in rows:
        out += [(page, cs + a, cs + b) for a, b in split_marks(marked)[1]]
    return out
