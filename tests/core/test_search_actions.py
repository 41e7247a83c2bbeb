"""Acting on results: tag many in one undoable step, saved searches, CSV, the CLI."""

import csv
import json

import pytest

from annotator.core import themes
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.search import actions, search
from annotator.core.search.export import all_hits, write_csv
from helpers import run_cli

import search_corpus


@pytest.fixture
def built(ws, tmp_path):
    return ws, search_corpus.build(ws, tmp_path)


def test_tag_many_is_one_undoable_step(built):
    ws, ids = built
    with ws.session() as s:
        quality = themes.find(s, "Quality").id
    res = search(ws, "targets", limit=100)
    kinds = {h.kind for h in res.hits}
    assert kinds == {"line", "passage"}
    before = search(ws, "theme:quality").total
    change = actions.tag_hits(ws, res.hits, quality)
    tagged = search(ws, "theme:quality targets", limit=100)
    assert tagged.total >= res.lines  # every line hit is now inside a Quality passage
    assert all(h.passage_id for h in search(ws, "targets", limit=100).hits)
    redo = change.inverse(ws)
    assert search(ws, "theme:quality").total == before
    assert search(ws, "targets tagged:no").total > 0
    redo.inverse(ws)
    assert search(ws, "theme:quality targets", limit=100).total == tagged.total


def test_tag_many_refuses_nothing_or_unknown_theme(built):
    ws, _ = built
    with pytest.raises(InvalidInput):
        actions.tag_hits(ws, [], 1)
    with pytest.raises(NotFound):
        actions.tag_hits(ws, search(ws, "targets").hits, 9999)


def test_saved_searches(built):
    ws, _ = built
    ch = actions.save_search(ws, "Targets culture", "theme:targets culture")
    with ws.session() as s:
        assert actions.find_saved(s, "targets CULTURE").query == "theme:targets culture"
    actions.save_search(ws, "targets culture", "targets")  # same name: replaced
    with ws.session() as s:
        assert [r.query for r in actions.saved(s)] == ["targets"]
    ch.inverse(ws)
    with ws.session() as s:
        assert actions.saved(s) == []
    with pytest.raises(InvalidInput):
        actions.save_search(ws, "  ", "x")


def test_csv_export(built, tmp_path):
    ws, _ = built
    out = tmp_path / "hits.csv"
    n = write_csv(str(out), all_hits(ws, "surgical OR staffing"))
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert n == len(rows) == search(ws, "surgical OR staffing").total
    assert all("«" in r["snippet"] for r in rows if r["kind"] == "line")
    with pytest.raises(InvalidInput):
        write_csv(str(tmp_path / "no" / "such.csv"), [])


def test_cli_search_json_and_text(built):
    ws, _ = built
    path = ws.path
    ws.close()
    res = run_cli("search", path, "theme:targets", "--json")
    data = json.loads(res.stdout)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["passage_id"] and hit["citation"].startswith("Day 45") and hit["document"]
    text = run_cli("search", path, '"healthcare commission"', "--order", "document", "--limit", "1").stdout
    assert "«Healthcare Commission»" in text and "2 results" in text
    odd = run_cli("search", path, '"unbalanced AND')
    assert odd.returncode == 0 and "unmatched quote" in odd.stderr
    run_cli("search", path, "surgeons", "--save", "Surgeons")
    assert "Surgeons: surgeons" in run_cli("searches", path).stdout
    again = json.loads(run_cli("search", path, "--saved", "surgeons", "--json").stdout)
    assert again["total"] == 2
    tagged = run_cli("search", path, "surgeons", "--tag", "Safety")
    assert "Tag 2 results with Safety" in tagged.stderr
    assert json.loads(run_cli("search", path, "theme:safety surgeons", "--json").stdout)["total"] == 2
    bad = run_cli("search", path, check=False)
    assert bad.returncode == 2 and "Give a query" in bad.stderr
