"""Find similar and Suggest themes on generated data: embeddings kept current,
results with citations and scores, honest refusals, and no network at all."""

import json
import shutil
import socket

import pytest
import search_corpus
import similar_set
from helpers import run_cli

from annotator.core.evidence import anchors, tagging
from annotator.core.ingest import import_file
from annotator.core.search import search
from annotator.core.similar import embedding, model, store, suggest as suggest_mod
from annotator.core.similar.similar import NothingToCompare, similar
from annotator.core.similar.suggest import suggest
from annotator.core.store import schema
from annotator.core.store.workspace import Workspace
from annotator.core.versions.store import replace


@pytest.fixture(scope="module")
def labelled_file(tmp_path_factory):
    """The labelled set tagged 8 of 12 per theme, embedded (built once: the theme model is slow)."""
    tmp = tmp_path_factory.mktemp("labelled")
    ws = Workspace.create(str(tmp / "labelled.annot"))
    _tids, rest = similar_set.build(ws, tmp)
    assert embedding.refresh(ws).finished
    ws.close()
    return tmp / "labelled.annot", rest


@pytest.fixture
def labelled(labelled_file, tmp_path):
    path = tmp_path / "copy.annot"
    shutil.copyfile(labelled_file[0], path)
    ws = Workspace.open(str(path))
    yield ws, labelled_file[1]
    ws.close()


def _count(ws, sql: str) -> int:
    with embedding.connection(ws) as con:
        return con.execute(sql).fetchone()[0]


def test_windows_keep_to_paragraphs_and_skip_running_heads():
    rows = [
        (1, "header", "THE INQUIRY  Day 4", None),
        (2, "question", "Q. Did you see the report?", None),
        (3, "answer", "A. Yes.", None),
        (4, "question", "Q. When?", None),
        (5, "answer", "A. In May.", None),
        (6, "question", "Q. And then?", None),
        (7, "text", "First numbered paragraph.", 1),
        (8, "text", "Still paragraph one.", 1),
        (9, "text", "Paragraph two.", 2),
    ]
    wins = store.windows(rows)
    assert [(w.first_line, w.last_line) for w in wins] == [(2, 5), (6, 6), (7, 8), (9, 9)]
    assert wins[0].text.startswith("Q. Did you see") and "Day 4" not in wins[0].text


def test_vectors_round_trip_within_a_hundredth():
    v = model.embed(["The board was told about the mortality alerts.", "Nurses were short on nights."])
    back = store.decode(store.encode(v), 2)
    assert abs(float(back[0] @ back[1]) - float(v[0] @ v[1])) < 0.01


def test_embedding_is_resumable_and_follows_changes(ws, tmp_path):
    ids = search_corpus.build(ws, tmp_path)
    seen = []

    def stop_after_one_document() -> bool:
        return _count(ws, "SELECT count(*) FROM embed_doc") >= 1

    first = embedding.refresh(
        ws, report=lambda d, t, text: seen.append(text), cancelled=stop_after_one_document
    )
    assert not first.finished and seen[0].startswith("Embedding 0 of ")
    assert _count(ws, "SELECT count(*) FROM embed_doc") == 1  # the finished one stays done
    rest = embedding.refresh(ws)
    assert rest.finished and rest.done == 2  # the two documents left, nothing again
    assert embedding.refresh(ws).total == 0

    # a passage whose words change (re-anchored on a new version) is embedded again;
    # a deleted one is dropped
    tagging.delete_passage(ws, ids["p_staffing"])
    with ws.write("test: the words of a passage change") as s:
        s.connection().exec_driver_sql(
            "UPDATE passage SET quote = 'The café by the entrance was closed that winter' WHERE id = ?",
            (ids["p_targets"],),
        )
    assert embedding.counts(ws)[0] == 1
    embedding.refresh(ws)
    assert _count(ws, "SELECT count(*) FROM embed_passage") == 1
    found = similar(ws, text="the café was closed in winter", limit=3, filters=[("tagged", "yes")])
    assert found.hits[0].kind == "passage" and found.hits[0].id == ids["p_targets"]

    # a new version of a document: its windows are made again from the new text
    new = tmp_path / "report2.txt"
    new.write_text(search_corpus.REPORT + "The pharmacy ran out of antibiotics over the bank holiday.\n")
    replace(ws, ids["report"], str(new))
    assert embedding.counts(ws)[0] == 1
    embedding.refresh(ws)
    top = similar(ws, text="antibiotics ran out in the pharmacy", limit=1).hits[0]
    assert top.kind == "line" and "antibiotics" in top.snippet and top.document_id == ids["report"]


def test_similar_lists_lines_and_passages_with_citations_and_scores(ws, tmp_path):
    ids = search_corpus.build(ws, tmp_path)
    found = similar(ws, text="surgeons complained about too few staff on the ward", limit=5)
    assert found.hits and not found.waiting
    scores = [h.score for h in found.hits]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    top = found.hits[0]
    assert top.kind == "line" and "surgeons" in top.snippet.lower()
    assert top.citation == "Day 46/1:1-4" and top.document_id == ids[46]  # the whole window
    # a passage is not listed as like itself, nor are its own lines
    own = similar(ws, passage_id=ids["p_targets"], limit=50)
    assert ids["p_targets"] not in [h.id for h in own.hits if h.kind == "passage"]
    assert not any(h.kind == "line" and "standing item" in h.snippet for h in own.hits)
    # filters as in search
    day45 = similar(ws, text="staffing", limit=50, filters=[("day", "45")])
    assert day45.hits and {h.document_id for h in day45.hits} == {ids[45]}
    safety = similar(ws, text="staffing", limit=50, filters=[("theme", "Safety")])
    assert [h.id for h in safety.hits] == [ids["p_staffing"]]
    with pytest.raises(NothingToCompare):
        similar(ws, text="  ?! ")
    with pytest.raises(NothingToCompare):
        similar(ws, passage_id=999)


def test_like_in_the_search_language_combines_with_filters(ws, tmp_path):
    ids = search_corpus.build(ws, tmp_path)
    res = search(ws, 'like:"not enough surgeons and nurses" day:46', limit=3)
    assert not res.hits and "5 documents and passages are not embedded yet" in res.notices[0]
    embedding.refresh(ws)
    res = search(ws, 'like:"not enough surgeons and nurses" day:46', limit=3)
    assert not res.notices and res.total >= len(res.hits) > 0
    assert all(h.document_id == ids[46] for h in res.hits)
    assert "staffing" in res.hits[0].snippet and res.hits[0].score is not None
    themed = search(ws, 'like:"budget" theme:Targets', limit=10)
    assert [h.id for h in themed.hits] == [ids["p_targets"]]
    words = search(ws, 'like:"budget" mortality', limit=10)
    assert any("Words beside like:" in n for n in words.notices)


def test_suggest_says_when_too_few_are_tagged(ws, tmp_path):
    search_corpus.build(ws, tmp_path)  # two passages tagged
    got = suggest(ws, text="the four-hour target")
    assert not got.enough and got.themes == [] and "Too few tagged passages" in got.message
    assert {t["theme"] for t in got.too_few} == {"Targets", "Safety"}


def test_suggest_ranks_themes_and_never_tags(labelled):
    ws, rest = labelled
    before = _count(ws, "SELECT count(*) FROM passage_theme")
    got = suggest(ws, text="The night shift had one nurse for thirty patients and falls went unreported.")
    assert got.enough and got.tagged == 32 and got.themes[0]["theme"] == "Safety"
    assert abs(sum(t["score"] for t in got.themes) - 1) < 0.01
    assert _count(ws, "SELECT count(*) FROM passage_theme") == before


def test_suggest_quality_on_the_labelled_set_beats_fts5(labelled):
    ws, rest = labelled
    one, two = similar_set.score(similar_set.by_embeddings(ws, rest), rest)
    fts_one, fts_two = similar_set.score(similar_set.by_fts(ws, rest), rest)
    assert one >= 0.75 and two >= 0.85, (one, two)
    assert one > fts_one and two > fts_two, (fts_one, fts_two)


def test_embedding_similar_and_suggest_with_networking_disabled(labelled, tmp_path, monkeypatch):
    """Both models load from the installed packages: any socket is refused."""
    ws, _rest = labelled

    def no_network(*args, **kwargs):
        raise OSError("networking is disabled in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(model, "_model", None)  # load both models again, under the block
    monkeypatch.setattr(model, "_themes", None)
    with ws.session() as s:
        doc = s.connection().exec_driver_sql("SELECT id FROM document").scalar()
    text = tmp_path / "more.txt"
    text.write_text("The consultants said the ward sisters had lost their authority after the changes.\n")
    assert import_file(ws, str(text), kind="report").status == "imported"
    with ws.session() as s:
        a = anchors.from_quote(s, doc, "The ward sisters had lost their authority")
    tagging.tag(ws, doc, a, [])
    prog = embedding.refresh(ws)
    assert prog.finished and prog.passages == 1 and prog.done == 2
    assert similar(ws, text="ward sisters without authority", limit=3).hits
    assert suggest(ws, text="ward sisters without authority").themes[0]["theme"] == "Clinical leadership"


def test_cli_similar_suggest_and_embed(labelled):
    ws, rest = labelled
    path = ws.path
    ws.close()
    _name, pid = rest[0]
    out = run_cli("similar", path, pid, "--limit", "3", "--json")
    data = json.loads(out.stdout)
    assert len(data["hits"]) == 3 and all(h["citation"] and h["score"] is not None for h in data["hits"])
    out = run_cli("suggest", path, "--text", "pressure sores and missed meals", "--json")
    data = json.loads(out.stdout)
    assert data["enough"] and data["themes"][0] == {
        "theme": "Quality of care",
        "theme_id": data["themes"][0]["theme_id"],
        "score": data["themes"][0]["score"],
    }
    out = run_cli("similar", path, check=False)
    assert out.returncode == 2 and "one passage id or --text" in out.stderr
    out = run_cli("embed", path)
    assert "Embedded 0 passages" in out.stdout


def test_an_older_workspace_gains_the_tables_on_upgrade(tmp_path):
    path = tmp_path / "old.annot"
    Workspace.create(str(path)).close()
    import sqlite3

    con = sqlite3.connect(path)
    for table in ("embed_doc", "embed_window", "embed_passage", "embed_state"):
        con.execute(f"DROP TABLE {table}")
    con.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION - 1}")
    con.commit()
    con.close()
    ws = Workspace.open(str(path))
    try:
        assert embedding.refresh(ws).finished
        with embedding.connection(ws) as con:
            schema_v = con.execute("PRAGMA user_version").fetchone()[0]
        assert schema_v == schema.SCHEMA_VERSION
    finally:
        ws.close()
    assert suggest_mod.MIN_TAGGED > 0
