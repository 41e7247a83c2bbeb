"""Find passages and windows of lines like a passage or a piece of text.

    found = similar(ws, passage_id=12, limit=20, filters=[("theme", "Safety")])

The query is embedded (a passage uses its stored vector when it is current),
compared with every stored vector in memory (one matrix product), and the
best are turned into search hits with citations and a score: the cosine,
0 to 1 for anything related. Filters are the search language's (theme, doc,
witness, day, kind, tagged, note, author) and narrow the candidates before
ranking, so a filter never empties a page that has matches further down.
"""

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from annotator.core.search import filters as search_filters
from annotator.core.search.hits import Hit, passage_hits
from annotator.core.similar import embedding, model, results, store, vectors
from annotator.core.util.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

MAX_LIMIT = 1000


class NothingToCompare(AnnotatorError):
    pass


@dataclass
class Found:
    query: str  # the text compared (a passage's quote, or the text given)
    hits: list[Hit] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    waiting: int = 0  # documents and passages not embedded yet (their text is not searched)

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "notices": self.notices,
            "waiting": self.waiting,
            "hits": [h.as_dict() for h in self.hits],
        }


@dataclass
class Target:
    """What to compare against: a vector, and the places that are the query itself."""

    vector: np.ndarray
    text: str
    passage_id: int | None = None
    document_id: int | None = None
    lines: tuple[int, int] | None = None  # (first, last) line ids the passage covers


def target(raw: sqlite3.Connection, passage_id: int | None = None, text: str | None = None) -> Target:
    if passage_id is None:
        words = " ".join((text or "").split())
        if not any(ch.isalnum() for ch in words):
            raise NothingToCompare("Give a passage or some words to compare with.")
        return Target(model.embed([words])[0], words)
    row = raw.execute(
        "SELECT document_id, start_page, start_char, end_page, end_char, quote FROM passage "
        "WHERE id = ? AND deleted_at IS NULL",
        (int(passage_id),),
    ).fetchone()
    if row is None:
        raise NothingToCompare(f"There is no passage {passage_id}.")
    doc, sp, sc, ep, ec, quote = row
    span = raw.execute(
        "SELECT min(id), max(id) FROM line WHERE document_id = ? AND (page_index > ? OR "
        "(page_index = ? AND char_end > ?)) AND (page_index < ? OR (page_index = ? AND char_start < ?))",
        (doc, sp, sp, sc, ep, ep, ec),
    ).fetchone()
    stored = raw.execute(
        "SELECT vec, digest, model FROM embed_passage WHERE passage_id = ?", (int(passage_id),)
    ).fetchone()
    if stored and stored[1] == store.digest(quote) and stored[2] == store.PASSAGE_MODELS:
        vec = store.decode([stored[0]], 1)[0]
    else:
        vec = model.embed([quote])[0]
    lines = (span[0], span[1]) if span and span[0] is not None else None
    return Target(vec, quote, int(passage_id), doc, lines)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best scores, best first."""
    if k <= 0 or not len(scores):
        return np.zeros(0, dtype=np.int64)
    if k < len(scores):
        part = np.argpartition(-scores, k - 1)[:k]
    else:
        part = np.arange(len(scores))
    return part[np.argsort(-scores[part], kind="stable")]


def _passages_of_themes(raw: sqlite3.Connection, theme_ids: set[int]) -> np.ndarray:
    ids = ",".join(str(int(t)) for t in theme_ids) or "NULL"
    rows = raw.execute(f"SELECT DISTINCT passage_id FROM passage_theme WHERE theme_id IN ({ids})").fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


def ranked(
    raw: sqlite3.Connection,
    vecs: vectors.Vectors,
    tgt: Target,
    scope: search_filters.Scope,
    limit: int,
) -> list[tuple[float, str, int, int, int]]:
    """The best (score, kind, id, document, last line) over windows and passages in scope."""
    out: list[tuple[float, str, int, int, int]] = []
    if scope.empty:
        return out
    q = tgt.vector.astype(np.float32)
    # score everything, then mask: a filtered copy of the matrix costs more than the product
    if scope.lines and len(vecs.window_ids):
        scores = vecs.windows @ q
        if scope.doc_ids is not None:
            scores[~np.isin(vecs.window_docs, np.fromiter(scope.doc_ids, dtype=np.int64))] = -np.inf
        if tgt.lines is not None:  # the passage's own lines are not "like" it
            own = (
                (vecs.window_docs == tgt.document_id)
                & (vecs.first_lines <= tgt.lines[1])
                & (vecs.last_lines >= tgt.lines[0])
            )
            scores[own] = -np.inf
        for j in _top(scores, limit):
            if np.isfinite(scores[j]):
                out.append(
                    (
                        float(scores[j]),
                        "line",
                        int(vecs.first_lines[j]),
                        int(vecs.window_docs[j]),
                        int(vecs.last_lines[j]),
                    )
                )
    if scope.passages and len(vecs.passage_ids):
        scores = vecs.passages @ q
        scores[vecs.passage_ids == (tgt.passage_id or 0)] = -np.inf
        if scope.doc_ids is not None:
            scores[~np.isin(vecs.passage_docs, np.fromiter(scope.doc_ids, dtype=np.int64))] = -np.inf
        if scope.theme_ids is not None:
            scores[~np.isin(vecs.passage_ids, _passages_of_themes(raw, scope.theme_ids))] = -np.inf
        best = [j for j in _top(scores, limit + 8) if np.isfinite(scores[j])]  # spare: deleted since
        live = results.live_passages(raw, [int(vecs.passage_ids[j]) for j in best])
        for j in best:
            pid = int(vecs.passage_ids[j])
            if pid in live:
                out.append((float(scores[j]), "passage", pid, int(vecs.passage_docs[j]), 0))
    out.sort(key=lambda r: -r[0])
    return out[:limit]


def to_hits(raw: sqlite3.Connection, rows: list[tuple[float, str, int, int, int]]) -> list[Hit]:
    wins = results.window_hits(raw, [(d, i, last) for _s, k, i, d, last in rows if k == "line"])
    ps = passage_hits(raw, [i for _s, k, i, _d, _l in rows if k == "passage"], None)
    out = []
    for score, kind, i, _d, _l in rows:
        hit = (wins if kind == "line" else ps).get(i)
        if hit is not None:
            hit.score = round(max(score, 0.0), 3)
            out.append(hit)
    return out


LIKE_MAX = 200  # results of a like: search (all of them rank, so the list is cut here)


def like(raw: sqlite3.Connection, key: str, text: str, scope: search_filters.Scope) -> list[Hit]:
    """The hits of `like:"text"` (or `like:#12`, passage 12) in a search: the best LIKE_MAX
    in scope, best first."""
    ref = re.fullmatch(r"#(\d{1,12})", text.strip())
    tgt = target(raw, passage_id=int(ref.group(1))) if ref else target(raw, text=text)
    return to_hits(raw, ranked(raw, vectors.load(raw, key), tgt, scope, LIKE_MAX))


def similar(
    ws: "Workspace",
    passage_id: int | None = None,
    text: str | None = None,
    limit: int = 20,
    filters: list[tuple[str, str]] | None = None,
    refresh: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> Found:
    """Lines and passages most like a passage or a text (see the module doc)."""
    limit = max(1, min(int(limit or 20), MAX_LIMIT))
    if refresh and not ws.readonly:
        embedding.refresh(ws, cancelled=cancelled)
    with embedding.connection(ws) as raw:
        tgt = target(raw, passage_id, text)
        found = Found(tgt.text)
        scope = search_filters.resolve(raw, list(filters or []), found.notices)
        found.waiting = store.waiting(raw)
        if found.waiting:
            found.notices.append(
                f"{found.waiting:,} documents and passages are not embedded yet; their text is not compared."
            )
        vecs = vectors.load(raw, ws.path)
        found.hits = to_hits(raw, ranked(raw, vecs, tgt, scope, limit))
    return found


def warm(ws: "Workspace") -> None:
    """Read the vectors into memory ahead of the first Find similar (seconds at inquiry scale)."""
    with embedding.connection(ws) as raw:
        vectors.load(raw, ws.path)
