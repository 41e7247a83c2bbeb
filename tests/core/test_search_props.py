"""Property tests: any text, and any mix of query syntax, is read and searched without error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.search import fts, parser, search
from annotator.core.store.workspace import Workspace

import search_corpus

PIECES = st.sampled_from(
    [
        '"',
        "(",
        ")",
        "*",
        "-",
        ",",
        ":",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "NEAR",
        "w/3",
        "/5",
        "W/0",
        "theme:",
        "theme:safety",
        'witness:"',
        "day:45-",
        "day:40-50",
        "doc:",
        "kind:x",
        "tagged:maybe",
        "note:",
        "author:jane",
        "surg*",
        "a*",
        "target",
        "café",
        "SELECT * FROM line",
        "';--",
        "\\",
        "{",
        "}",
        "^",
        "+",
        "NEAR(a b, 99999)",
        " ",
        "  ",
        "\t",
        "\n",
        "«",
        "é",
        "0",
        "ǅ",
        "\u0301",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=300),
    st.lists(PIECES | st.text(max_size=8), max_size=60).map(" ".join),
    st.lists(PIECES, max_size=80).map("".join),
)


@given(QUERIES)
@settings(max_examples=400, deadline=None)
def test_parser_reads_anything(text):
    q = parser.parse(text)
    match, exclude = fts.split(q.root, q.notices)
    for m in (match, exclude):
        assert m is None or isinstance(m, str)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("props")
    ws = Workspace.create(str(tmp / "props.annot"), title="Props")
    search_corpus.build(ws, tmp)
    yield ws
    ws.close()


@given(
    q=QUERIES,
    order=st.sampled_from(["rank", "document", "nonsense"]),
    offset=st.integers(-5, 50),
    limit=st.integers(-5, 200),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_search_answers_anything(corpus, q, order, offset, limit):
    res = search(corpus, q, limit=limit, offset=offset, order=order)
    assert res.total >= 0 and len(res.hits) <= max(limit, 0)
    assert not res.stopped
    assert all(isinstance(n, str) and n for n in res.notices)
