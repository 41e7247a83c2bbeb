"""Search: each operator and filter on a small generated corpus."""

import pytest

from annotator.core.search import search
from annotator.core.store.workspace import Workspace

import search_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search")
    ws = Workspace.create(str(tmp / "search.annot"), title="Search")
    ids = search_corpus.build(ws, tmp)
    yield ws, ids
    ws.close()


def texts(ws, q, **kw):
    res = search(ws, q, limit=100, **kw)
    assert res.total == len(res.hits), (q, res.total, len(res.hits))
    return res, [h.snippet for h in res.hits]


def line_snips(ws, q):
    res = search(ws, q, limit=100)
    return [h.snippet for h in res.hits if h.kind == "line"]


def test_words_case_insensitive_and_marked(corpus):
    ws, _ = corpus
    snips = line_snips(ws, "MORTALITY")
    assert len(snips) == 3
    assert all("«" in s and "»" in s for s in snips)
    assert any("«Mortality»" in s for s in snips)


def test_stemming_target_finds_targets(corpus):
    ws, _ = corpus
    snips = line_snips(ws, "target")
    assert any("«targets»" in s for s in snips) and any("«target»" in s for s in snips)
    assert any("«Targets»" in s for s in snips)


def test_accents_folded_both_ways(corpus):
    ws, _ = corpus
    assert any("«café»" in s for s in line_snips(ws, "cafe"))
    assert any("«naïve»" in s for s in line_snips(ws, "naive"))
    assert any("«naïve»" in s for s in line_snips(ws, "NAÏVE"))


def test_phrase_is_exact(corpus):
    ws, _ = corpus
    res, snips = texts(ws, '"healthcare commission"')
    assert res.lines == 2 and all(
        "«Healthcare Commission»" in s for s in line_snips(ws, '"healthcare commission"')
    )
    assert search(ws, '"commission healthcare"').total == 0


def test_and_or_not_and_minus(corpus):
    ws, _ = corpus
    both = line_snips(ws, "surgical AND commission")
    assert len(both) == 2
    assert line_snips(ws, "surgical commission") == both  # implicit AND
    either = line_snips(ws, "budget OR café")
    assert len(either) == 3
    without = line_snips(ws, "surgical NOT commission")
    assert without and all("Commission" not in s for s in without)
    assert line_snips(ws, "surgical -commission") == without
    assert line_snips(ws, "(budget OR cafe) -finance") == [s for s in either if "finance" not in s]


def test_near_and_within(corpus):
    ws, _ = corpus
    near = line_snips(ws, "NEAR(budget target, 5)")
    assert len(near) == 2  # "budget a target" and "budget ... hard target"
    assert line_snips(ws, "NEAR(budget target, 2)") == [s for s in near if "itself" in s]
    assert line_snips(ws, "budget w/2 target") == line_snips(ws, "NEAR(budget target, 2)")
    assert line_snips(ws, "target W/5 budget") == line_snips(ws, "NEAR(target budget, 5)")


def test_prefix(corpus):
    ws, _ = corpus
    snips = line_snips(ws, "surg*")
    words = " ".join(snips)
    assert "«surgical»" in words and "«surgeons»" in words
    assert line_snips(ws, '"surgical war*"')  # prefix on the last word of a phrase


def test_filter_day_and_range(corpus):
    ws, ids = corpus
    day45 = search(ws, "day:45", limit=1000)
    assert day45.lines > 0 and {h.document_id for h in day45.hits} == {ids[45]}
    both = search(ws, "surgeons OR surgical day:45-46", limit=100)
    assert {h.document_id for h in both.hits} == {ids[45], ids[46]}
    assert search(ws, "surgical day:40-44").total == 0
    res = search(ws, "day:forty")
    assert res.notices and "day:40-50" in res.notices[0]


def test_filter_doc_by_urn_id_title(corpus):
    ws, ids = corpus
    for ref in ("MSF0000123", str(ids["report"]), '"Surgical outcomes review"', "msf0000123"):
        res = search(ws, f"surgical doc:{ref}")
        assert res.total >= 1 and {h.document_id for h in res.hits} == {ids["report"]}, ref
    res = search(ws, "surgical doc:NOPE999")
    assert res.total == 0 and any("NOPE999" in n for n in res.notices)


def test_filter_witness_and_kind(corpus):
    ws, ids = corpus
    res = search(ws, 'staffing witness:"helen moss"')
    assert res.total and {h.document_id for h in res.hits} == {ids[46]}
    res = search(ws, "staffing kind:report")
    assert res.total and {h.document_id for h in res.hits} == {ids["report"]}
    tr = search(ws, "staffing kind:transcript")
    assert tr.total and {h.document_id for h in tr.hits} == {ids[46]}
    bad = search(ws, "staffing kind:novel")
    assert "kind:novel" in bad.notices[0]  # not understood: said so, and left out
    assert bad.total == search(ws, "staffing").total


def test_filter_theme_tagged_note_author(corpus):
    ws, ids = corpus
    res = search(ws, "theme:targets")
    assert [h.passage_id for h in res.hits] == [ids["p_targets"]]
    assert res.hits[0].themes == ["Targets"] and res.hits[0].kind == "passage"
    assert search(ws, "theme:safety staffing").hits[0].passage_id == ids["p_staffing"]
    assert search(ws, "theme:safety targets").total == 0
    assert search(ws, "theme:nonesuch").notices
    tagged = search(ws, "tagged:yes", limit=100)
    assert {h.passage_id for h in tagged.hits} == {ids["p_targets"], ids["p_staffing"]}
    untagged = search(ws, "staffing tagged:no", limit=100)
    assert untagged.total and all(h.kind == "line" and h.passage_id is None for h in untagged.hits)
    assert search(ws, "note:culture").hits[0].passage_id == ids["p_targets"]
    assert search(ws, "note:understaffing").hits[0].snippet.startswith("Note:")
    assert search(ws, "author:jane").total == 2
    assert search(ws, 'author:"Jane Counsel" theme:safety').total == 1


def test_line_hits_know_their_passage_and_themes(corpus):
    ws, ids = corpus
    res = search(ws, "standing item")
    line = next(h for h in res.hits if h.kind == "line")
    assert line.passage_id == ids["p_targets"] and line.themes == ["Targets"]
    assert line.citation.startswith("Day 45/")
    assert line.ranges and all(a < b for _, a, b in line.ranges)
    with ws.session() as s:
        from annotator.core.store.models import Page
        from sqlmodel import select

        page = s.exec(select(Page).where(Page.document_id == ids[45], Page.index == line.page_index)).one()
    words = [page.text[a:b].lower() for _, a, b in line.ranges]
    assert words == ["standing", "item"]


def test_order_and_paging(corpus):
    ws, _ = corpus
    full = search(ws, "the", limit=1000, order="document")
    keys = [(h.document_id, h.page_index, h.char_start) for h in full.hits]
    assert keys == sorted(keys)
    pages = []
    for off in range(0, full.total, 4):
        pages += [(h.kind, h.id) for h in search(ws, "the", limit=4, offset=off, order="document").hits]
    assert pages == [(h.kind, h.id) for h in full.hits]
    ranked = search(ws, "the", limit=1000)
    assert sorted((h.kind, h.id) for h in ranked.hits) == sorted(pages)
    assert search(ws, "the", offset=10_000).hits == []


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced quote',
        "*",
        "AND",
        "OR OR",
        "NOT",
        "-",
        "( ( (",
        ")))",
        "NEAR(",
        "NEAR(a, x)",
        "'; DROP TABLE line; --",
        "x' OR 1=1 --",
        "w/5",
        "a w/ b",
        "theme:",
        'doc:"',
        "day:9999999999",
        "a* b* c*",
        "\x00\x01",
        "«»",
        '"" "" ""',
        "col:val : ^ + { } [ ]",
        "NEAR(NEAR(a b) c)",
        "surgeons " * 2000,
        "(" * 3000 + "a" + ")" * 3000,
        "NOT " * 3000 + "a",
    ],
)
def test_odd_input_never_raises(corpus, q):
    ws, _ = corpus
    res = search(ws, q)
    assert res.total >= 0 and isinstance(res.notices, list)


def test_odd_input_notices(corpus):
    ws, _ = corpus
    assert "unmatched quote" in search(ws, '"surgical unit').notices[0]
    res = search(ws, '"surgical unit')
    assert res.total > 0  # the rest is still searched as words
    assert search(ws, "AND").notices
    assert search(ws, "-surgical").total > 0  # exclusions alone: everything else
    assert "first 40 words" in " ".join(search(ws, " ".join(f"w{i}" for i in range(60))).notices)
    assert "too short" in search(ws, "s*").notices[0]
