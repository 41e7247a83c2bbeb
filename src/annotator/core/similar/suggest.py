"""Suggest themes for a passage or a selection from what is already tagged.

Each theme is scored in each model's space by how close the text is to the
passages already tagged with it: the mean cosine of its TOP_K nearest members
blended with the cosine to the theme's centre. The two models' scores are put
on one scale (standardised over the themes), weighed THEMES_WEIGHT for the
sentence transformer and the rest for the static vectors, and shown as shares
that add up to 1 over the scored themes (a softmax).

A theme needs MIN_PER_THEME tagged passages to be scored, and nothing is
suggested until MIN_TAGGED passages in all are tagged in at least two such
themes: below that the answer says how many are missing instead of guessing.
Suggestions are never applied here.
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from annotator.core.similar import embedding, model, store, vectors
from annotator.core.similar.similar import Target, target

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

MIN_PER_THEME = 5
MIN_TAGGED = 20
TOP_K = 3
# chosen on the labelled set (tests/labelled_themes.py), tagging 8 of 12 in six rotations
CENTRE_SHARE = 0.25  # static vectors
THEMES_CENTRE_SHARE = 0.75  # sentence transformer
THEMES_WEIGHT = 0.7


@dataclass
class Suggestions:
    enough: bool
    message: str
    themes: list[dict[str, object]] = field(
        default_factory=list
    )  # {"theme", "theme_id", "score"}, best first
    tagged: int = 0  # tagged passages with a vector (the query passage left out)
    too_few: list[dict[str, object]] = field(default_factory=list)  # {"theme", "count"} below MIN_PER_THEME

    def as_dict(self) -> dict[str, object]:
        return {
            "enough": self.enough,
            "message": self.message,
            "tagged": self.tagged,
            "min_per_theme": MIN_PER_THEME,
            "min_tagged": MIN_TAGGED,
            "themes": self.themes,
            "too_few": self.too_few,
        }


_tagging: dict[str, tuple[tuple[object, ...], np.ndarray, np.ndarray]] = {}


def _members(raw: sqlite3.Connection, key: str) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """(passage ids, theme ids) of every live tag, read again only when the tagging changed."""
    stamp = tuple(
        raw.execute(
            "SELECT (SELECT count(*) FROM passage_theme), (SELECT total(passage_id * 7919 + theme_id) "
            "FROM passage_theme), (SELECT count(*) FROM passage WHERE deleted_at IS NULL), "
            "(SELECT total(id) FROM passage WHERE deleted_at IS NULL)"
        ).fetchone()
    )
    names = dict(raw.execute("SELECT id, name FROM theme").fetchall())
    have = _tagging.get(key)
    if have is not None and have[0] == stamp:
        return have[1], have[2], names
    rows = raw.execute(
        "SELECT pt.passage_id, pt.theme_id FROM passage_theme pt JOIN passage p ON p.id = pt.passage_id "
        "WHERE p.deleted_at IS NULL"
    ).fetchall()
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    _tagging.clear()
    _tagging[key] = (stamp, pairs[:, 0].copy(), pairs[:, 1].copy())
    return _tagging[key][1], _tagging[key][2], names


def _groups(member_theme: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(theme id, positions in member_theme) for each theme."""
    order = np.argsort(member_theme, kind="stable")
    themes, starts = np.unique(member_theme[order], return_index=True)
    bounds = list(starts[1:]) + [len(order)]
    return [(int(t), order[x:y]) for t, x, y in zip(themes, starts, bounds, strict=True)]


_norms: dict[tuple[object, ...], dict[int, float]] = {}


def centre_norms(
    key: tuple[object, ...], mat: np.ndarray, rows: np.ndarray, member_theme: np.ndarray
) -> dict[int, float]:
    """{theme id: length of the sum of its members' vectors}, kept while the vectors and the
    tagging stay the same (it does not depend on the query)."""
    full = (*key, hash(rows.tobytes()), hash(member_theme.tobytes()))
    got = _norms.get(full)
    if got is None:
        got = {t: float(np.linalg.norm(mat[rows[g]].sum(axis=0))) for t, g in _groups(member_theme)}
        _norms.clear()  # one workspace state at a time is enough
        _norms[full] = got
    return got


def score_themes(
    sims: np.ndarray,
    member_theme: np.ndarray,
    norms: dict[int, float],
    centre_share: float = CENTRE_SHARE,
    itself: np.ndarray | None = None,
) -> dict[int, tuple[float, int]]:
    """{theme id: (score, members)} from each (passage, theme) pair's cosine to the query.

    The cosine to a theme's centre is the sum of its members' cosines over the centre's
    length. `itself` marks the pairs of the query passage: left out, and taken out of the
    centre (|S - v|^2 = |S|^2 - 2 S.v + v.v, where S.v is the sum of the cosines since the
    query is v)."""
    out: dict[int, tuple[float, int]] = {}
    for tid, rows in _groups(member_theme):
        s_all = sims[rows]
        mine = itself[rows] if itself is not None else np.zeros(len(rows), dtype=bool)
        s = s_all[~mine]
        if not len(s):
            continue
        total, norm2 = float(s_all.sum()), norms.get(tid, 0.0) ** 2
        if mine.any():
            own = float(s_all[mine][0])
            norm2 = norm2 - 2 * total + own
            total -= own
        k = min(TOP_K, len(s))
        near = float(np.mean(np.partition(s, len(s) - k)[len(s) - k :]))
        central = total / float(np.sqrt(norm2)) if norm2 > 1e-9 else 0.0
        out[tid] = ((1 - centre_share) * near + centre_share * central, len(s))
    return out


def combine(static: dict[int, tuple[float, int]], themes: dict[int, tuple[float, int]]) -> dict[int, float]:
    """{theme id: share}: each model's scores standardised over the themes, weighed, softmaxed."""
    ids = sorted(static)
    a = np.array([static[t][0] for t in ids])
    b = np.array([themes[t][0] for t in ids])
    z = (1 - THEMES_WEIGHT) * (a - a.mean()) / (a.std() + 1e-9) + THEMES_WEIGHT * (b - b.mean()) / (
        b.std() + 1e-9
    )
    e = np.exp(z - z.max())
    return dict(zip(ids, (e / e.sum()).tolist(), strict=True))


def suggest(
    ws: "Workspace",
    passage_id: int | None = None,
    text: str | None = None,
    limit: int = 5,
    refresh: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> Suggestions:
    if refresh and not ws.readonly:
        embedding.refresh(ws, cancelled=cancelled)
    with embedding.connection(ws) as raw:
        tgt = target(raw, passage_id, text)
        raw_vec = _stored_theme_vector(raw, tgt)
        vecs = vectors.load(raw, ws.path)
        pids, tids, names = _members(raw, ws.path)
        keep = np.ones(len(pids), dtype=bool)
        pos = np.searchsorted(vecs.passage_ids, pids)
        pos = np.minimum(pos, max(len(vecs.passage_ids) - 1, 0))
        if len(vecs.passage_ids):
            keep &= vecs.passage_ids[pos] == pids  # tagged passages with a vector
        else:
            keep &= False
        pids, tids, pos = pids[keep], tids[keep], pos[keep]
    itself = pids == (tgt.passage_id or 0)  # kept for the cached centres, left out of the scores
    counts: dict[int, int] = {}
    for t in tids[~itself].tolist():
        counts[t] = counts.get(t, 0) + 1
    ready = {t for t, n in counts.items() if n >= MIN_PER_THEME}
    tagged = len(set(pids[np.isin(tids, list(ready)) & ~itself].tolist())) if ready else 0
    too_few = [
        {"theme": names.get(t, str(t)), "count": n} for t, n in sorted(counts.items()) if t not in ready
    ]
    if tagged < MIN_TAGGED or len(ready) < 2:
        return Suggestions(False, _not_enough(tagged, len(ready)), [], tagged, too_few)
    use = np.isin(tids, list(ready))
    rows, members, mine = pos[use], tids[use], itself[use]
    key = (ws.path, vecs.generation)
    static = score_themes(
        (vecs.passages @ tgt.vector.astype(np.float32))[rows],
        members,
        centre_norms((*key, "static"), vecs.passages, rows, members),
        itself=mine,
    )
    sentence = score_themes(
        (vecs.passage_themes @ theme_vector(raw_vec, tgt))[rows],
        members,
        centre_norms((*key, "themes"), vecs.passage_themes, rows, members),
        THEMES_CENTRE_SHARE,
        itself=mine,
    )
    scores = combine(static, sentence)
    best = sorted(scores.items(), key=lambda kv: -kv[1])[: max(1, limit)]
    themes = [{"theme": names.get(t, str(t)), "theme_id": t, "score": round(s, 3)} for t, s in best]
    msg = f"From {tagged:,} tagged passages in {len(ready)} themes."
    return Suggestions(True, msg, themes, tagged, too_few)


def _stored_theme_vector(raw: sqlite3.Connection, tgt: Target) -> np.ndarray | None:
    if tgt.passage_id is None:
        return None
    row = raw.execute(
        "SELECT themes, digest, model FROM embed_passage WHERE passage_id = ?", (tgt.passage_id,)
    ).fetchone()
    if row and row[1] == store.digest(tgt.text) and row[2] == store.PASSAGE_MODELS:
        vec: np.ndarray = store.decode([row[0]], 1, model.THEMES_DIM)[0]
        return vec
    return None


def theme_vector(stored: np.ndarray | None, tgt: Target) -> np.ndarray:
    """The query in the theme model's space: stored for a current passage, else embedded now."""
    return stored if stored is not None else model.embed_for_themes([tgt.text])[0]


def _not_enough(tagged: int, themes: int) -> str:
    if themes < 2:
        return (
            f"Too few tagged passages to suggest themes: tag at least {MIN_PER_THEME} passages "
            f"in each of two themes or more ({themes} theme has enough now)."
            if themes == 1
            else f"Too few tagged passages to suggest themes: tag at least {MIN_PER_THEME} passages "
            "in each of two themes or more."
        )
    return (
        f"Too few tagged passages to suggest themes: {tagged} are tagged in themes with "
        f"{MIN_PER_THEME} or more; at least {MIN_TAGGED} are needed."
    )
