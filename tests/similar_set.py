"""The labelled set as a workspace, and its scoring: embeddings beside FTS5 alone."""

import re

from labelled_themes import LABELLED, TAG_FIRST

from annotator.core.evidence import anchors, tagging, theme_ops, themes
from annotator.core.ingest import import_file


def build(ws, tmp) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Import the set as one report, tag the first TAG_FIRST of each theme.

    Returns ({theme: id}, [(theme, passage id)] of the untagged rest)."""
    path = tmp / "evidence.txt"
    paras = [text for items in LABELLED.values() for text in items]
    path.write_text("Evidence heard\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    res = import_file(ws, str(path), kind="report", urn="LAB0000001", title="Labelled evidence")
    assert res.status == "imported", res.reason
    tids: dict[str, int] = {}
    for name in LABELLED:
        with ws.session() as s:
            found = [t for t in themes.all_themes(s) if t.name == name]
        tids[name] = found[0].id if found else theme_ops.add(ws, name).result
    rest = []
    for name, items in LABELLED.items():
        for i, text in enumerate(items):
            with ws.session() as s:
                a = anchors.from_quote(s, res.document_id, text)
            pid = tagging.tag(ws, res.document_id, a, [tids[name]] if i < TAG_FIRST else []).result
            if i >= TAG_FIRST:
                rest.append((name, pid))
    return tids, rest


def score(ranked: dict[int, list[str]], rest: list[tuple[str, int]]) -> tuple[float, float]:
    """(top-1, top-2) share of the untagged passages whose theme is ranked first / in the first two."""
    one = sum(1 for name, pid in rest if ranked[pid][:1] == [name])
    two = sum(1 for name, pid in rest if name in ranked[pid][:2])
    return one / len(rest), two / len(rest)


def by_embeddings(ws, rest) -> dict[int, list[str]]:
    from annotator.core.similar.suggest import suggest

    out = {}
    for _name, pid in rest:
        got = suggest(ws, passage_id=pid, limit=4, refresh=False)
        assert got.enough, got.message
        out[pid] = [t["theme"] for t in got.themes]
    return out


def by_fts(ws, rest) -> dict[int, list[str]]:
    """FTS5 alone: the passage's words ORed, bm25 over the tagged passages; themes in order of the hits."""
    untagged = {pid for _n, pid in rest}
    raw = ws.engine.raw_connection()
    try:
        con = raw.driver_connection
        out = {}
        for _name, pid in rest:
            quote = con.execute("SELECT quote FROM passage WHERE id = ?", (pid,)).fetchone()[0]
            words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", quote)}
            match = " OR ".join(f'"{w}"' for w in sorted(words))
            rows = con.execute(
                "SELECT f.rowid, t.name FROM passage_fts f JOIN passage_theme pt ON pt.passage_id = f.rowid "
                "JOIN theme t ON t.id = pt.theme_id WHERE passage_fts MATCH ? ORDER BY bm25(passage_fts)",
                (f"quote: ({match})",),
            ).fetchall()
            names: list[str] = []
            for rowid, name in rows:
                if rowid not in untagged and name not in names:
                    names.append(name)
            out[pid] = names
        return out
    finally:
        raw.close()
