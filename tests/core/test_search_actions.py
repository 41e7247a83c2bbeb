"""Acting on results: tag many in one undoable step, saved searches, CSV, the CLI."""

import csv
import os
import json

import pytest

from annotator.core.evidence import themes
from annotator.core.util.errors import InvalidInput, NotFound
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
    change.command.undo(ws)
    assert search(ws, "theme:quality").total == before
    assert search(ws, "targets tagged:no").total > 0
    change.command.redo(ws)
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
    ch.command.undo(ws)
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


def cli(capsys, *args) -> tuple[int, str, str]:
    """Run a command in this process (quicker than a child process; same code path)."""
    from annotator.cli import run

    code = run([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_search_json_and_text(built, capsys):
    ws, _ = built
    path = ws.path
    ws.close()
    data = json.loads(run_cli("search", path, "theme:targets", "--json").stdout)  # as a user runs it
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["passage_id"] and hit["citation"].startswith("Day 45") and hit["document"]
    code, text, _ = cli(
        capsys, "search", path, '"healthcare commission"', "--order", "document", "--limit", "1"
    )
    assert code == 0 and "«Healthcare Commission»" in text and "2 results" in text
    code, _, err = cli(capsys, "search", path, '"unbalanced AND')
    assert code == 0 and "unmatched quote" in err
    cli(capsys, "search", path, "surgeons", "--save", "Surgeons")
    assert "Surgeons: surgeons" in cli(capsys, "searches", path)[1]
    assert json.loads(cli(capsys, "search", path, "--saved", "surgeons", "--json")[1])["total"] == 2
    code, _, err = cli(capsys, "search", path, "surgeons", "--tag", "Safety")
    assert "Tag 2 results with Safety" in err
    assert json.loads(cli(capsys, "search", path, "theme:safety surgeons", "--json")[1])["total"] == 2
    code, _, err = cli(capsys, "search", path)
    assert code == 2 and "Give a query" in err
    out = os.path.join(os.path.dirname(path), "hits.csv")
    code, _, err = cli(capsys, "search", path, "surgeons", "--csv", out)
    assert code == 0 and "Wrote " in err and os.path.exists(out)
    with open(out, "a", encoding="utf-8") as fh:
        fh.write("my own column\n")  # the user's work on the file
    code, _, err = cli(capsys, "search", path, "surgeons", "--csv", out)
    assert code == 2 and "already exists" in err and "--force" in err
    assert open(out, encoding="utf-8").read().endswith("my own column\n")
    code, _, _ = cli(capsys, "search", path, "surgeons", "--csv", out, "--force")
    assert code == 0 and not open(out, encoding="utf-8").read().endswith("my own column\n")
