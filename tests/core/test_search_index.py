"""The index always equals the tables; reindex and version bumps rebuild it."""

from annotator.core.store import index

from annotator.core.evidence import tagging, theme_ops, themes
from annotator.core.search import search
from annotator.core.search.actions import tag_hits
from annotator.core.store.workspace import Workspace
from helpers import run_cli

import search_corpus


def in_step(ws) -> list[str]:
    with ws.session() as s:
        return index.differences(s.connection())


def test_index_follows_every_change(ws, tmp_path):
    ids = search_corpus.build(ws, tmp_path)
    assert in_step(ws) == []
    with ws.session() as s:
        quality = themes.find(s, "Quality").id
        targets = themes.find(s, "Targets").id
    steps = [
        lambda: tagging.add_theme_to(ws, [ids["p_targets"]], quality),
        lambda: tagging.remove_theme_from(ws, [ids["p_targets"]], targets),
        lambda: theme_ops.rename(ws, quality, "Care quality"),
        lambda: tagging.set_note(ws, ids["p_staffing"], "Rota gaps"),
        lambda: tagging.delete_passage(ws, ids["p_staffing"]),
        lambda: tag_hits(ws, search(ws, "mortality").hits, targets),
        lambda: theme_ops.delete(ws, targets),
    ]
    undo = []
    for step in steps:
        undo.append(step().command)
        assert in_step(ws) == []
    assert search(ws, 'theme:"care quality"').hits[0].passage_id == ids["p_targets"]
    assert search(ws, "rota").total == 0  # the passage with that note is deleted
    assert search(ws, "theme:safety").total == 0  # ...and was the only Safety passage
    for command in reversed(undo):
        command.undo(ws)
        assert in_step(ws) == []
    assert search(ws, "theme:targets").hits[0].passage_id == ids["p_targets"]
    assert search(ws, "note:understaffing").total == 1


def test_reindex_repairs_a_broken_index(ws, tmp_path):
    search_corpus.build(ws, tmp_path)
    with ws.write("break the index") as s:
        s.connection().exec_driver_sql("DELETE FROM passage_fts")
        s.connection().exec_driver_sql("DROP TRIGGER line_fts_au")
        s.connection().exec_driver_sql("UPDATE line SET text = 'zebra crossing' WHERE id = 5")
    assert in_step(ws) and search(ws, "zebra").total == 0
    path = ws.path
    ws.close()
    out = run_cli("reindex", path).stdout
    assert "Rebuilt the search index" in out
    with Workspace.open(path) as again:
        assert in_step(again) == []
        assert search(again, "zebra").total == 1 and search(again, "theme:targets").total == 1


def test_old_index_is_rebuilt_on_open(ws, tmp_path):
    search_corpus.build(ws, tmp_path)
    with ws.write("pretend an old index") as s:
        s.connection().exec_driver_sql("DELETE FROM passage_fts")
        s.connection().exec_driver_sql("UPDATE setting SET value = '1' WHERE key = 'fts_version'")
    path = ws.path
    ws.close()
    with Workspace.open(path) as again:
        assert in_step(again) == []
        assert search(again, "note:culture").total == 1


def test_missing_plain_indexes_are_added_on_open_without_a_rebuild(ws, tmp_path):
    search_corpus.build(ws, tmp_path)
    before = search(ws, "board").as_dict()
    with ws.write("pretend a workspace from before the cover and page indexes") as s:
        s.connection().exec_driver_sql("DROP INDEX passage_cover")
        s.connection().exec_driver_sql("DROP INDEX page_at")
    path = ws.path
    ws.close()
    with Workspace.open(path) as again:
        with again.session() as s:
            names = {
                r[0]
                for r in s.connection().exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
            }
        assert {"passage_cover", "page_at"} <= names
        assert search(again, "board").as_dict() == before
