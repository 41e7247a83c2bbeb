"""Fuzzing: parsers and importers meet arbitrary input and never let an exception escape."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.evidence import citations
from annotator.core.util.errors import AnnotatorError
from annotator.core.ingest import parse_bytes, transcript
from annotator.core.ingest.rows import Row, page_text

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

numbers = st.integers(min_value=0, max_value=999_999_999)
# transcript-like rows: margin numbers, speakers, headers, plus anything at all
row_text = st.one_of(
    st.text(max_size=80),
    st.builds(lambda n, body: f"{n:>2}   {body}", st.integers(-3, 40), st.text(max_size=60)),
    st.sampled_from(
        [
            "Day 12    The Inquiry    8 November 2010",
            "Page 7",
            "MR SMITH (sworn)",
            "Questions by COUNSEL TO THE INQUIRY",
            "Q.  Is that right?",
            "A.  Yes.",
            "THE CHAIRMAN:  Thank you.",
            "(The short adjournment)",
            "\f",
            "Page 99999999",
        ]
    ),
)


@FAST
@given(
    day=st.one_of(st.none(), numbers),
    p1=numbers,
    l1=numbers,
    p2=st.one_of(st.none(), numbers),
    l2=st.one_of(st.none(), numbers),
    style=st.sampled_from(["short", "long"]),
)
def test_transcript_citations_parse_back_to_the_same_numbers(day, p1, l1, p2, l2, style):
    text = citations.transcript(day, p1, l1, p2, l2, style)
    ref = citations.parse(text)
    assert isinstance(ref, citations.TranscriptRef), text
    got = (
        ref.day,
        ref.page,
        ref.line,
        ref.page if ref.page_to is None else ref.page_to,
        ref.line if ref.line_to is None else ref.line_to,
    )
    assert got == (day, p1, l1, p1 if p2 is None else p2, l1 if l2 is None else l2), text


def test_the_long_forms_counsel_write_parse():
    ref = citations.parse("Day 45, page 12, lines 3 to 9")
    assert (ref.day, ref.page, ref.line, ref.page_to, ref.line_to) == (45, 12, 3, 12, 9)
    ref = citations.parse("Day 45, page 12, line 3 to page 13, line 7")
    assert (ref.page, ref.line, ref.page_to, ref.line_to) == (12, 3, 13, 7)
    assert citations.parse("Transcript/12:3").day is None
    assert citations.parse("{MSF0001234/4-6}").page_to == "6"


@FAST
@given(
    urn=st.from_regex(r"[A-Z]{3}[0-9]{7}", fullmatch=True),
    page=st.integers(1, 99999),
    page_to=st.one_of(st.none(), st.integers(1, 99999)),
)
def test_document_references_parse_back(urn, page, page_to):
    text = citations.document(urn, page, page_to)
    ref = citations.parse(text)
    assert tuple(ref) == (urn, str(page))
    expected = None if page_to in (None, page) else str(page_to)
    assert ref.page_to == expected


@FAST
@given(st.one_of(st.text(max_size=200), st.from_regex(r"(?i)(day|transcript)\s*[0-9 ,/:\-a-z]{0,60}")))
def test_citation_parse_never_raises(text):
    ref = citations.parse(text)
    assert ref is None or isinstance(ref, (citations.TranscriptRef, tuple))


@FAST
@given(
    st.lists(st.lists(st.builds(Row, row_text), max_size=40), max_size=6),
    st.one_of(st.none(), numbers),
    st.booleans(),
)
def test_transcript_parser_on_arbitrary_rows(pages, day, is_pdf):
    transcript.is_transcript(pages, is_pdf)
    for lines in (transcript.parse(pages, is_pdf, day)[0], transcript.plain_lines(pages)):
        for ln in lines:
            body, starts = page_text(pages[ln.page_index])
            assert 0 <= starts[ln.row] <= ln.start <= ln.end <= len(body)


@FAST
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.lists(row_text, max_size=80).map(lambda rows: "\n".join(rows).encode("utf-8")),
        st.text(max_size=2000).map(lambda t: t.encode("utf-16")),
    )
)
def test_text_import_parsing_only_refuses_with_a_reason(data):
    try:
        parsed = parse_bytes(data, "fuzz.txt", in_process=True)
    except AnnotatorError as err:
        assert str(err)
        return
    for ln in parsed.lines:
        body, _starts = page_text(parsed.pages[ln.page_index])
        assert 0 <= ln.start <= ln.end <= len(body)


query_text = st.one_of(
    st.text(max_size=120),
    st.lists(
        st.sampled_from(
            [
                '"',
                "(",
                ")",
                "AND",
                "OR",
                "NOT",
                "-",
                "*",
                "NEAR(",
                ",",
                "w/5",
                "theme:",
                "doc:",
                "witness:",
                "day:",
                "day:1-3",
                "kind:",
                "tagged:",
                "note:",
                "a",
                "ward",
                "staff*",
                "é",
                ":",
                "\\",
                "'",
                "^",
                "{",
                "}",
                "NEAR(a b, 999999999)",
            ]
        ),
        max_size=30,
    ).map(" ".join),
)


@FAST
@given(query_text)
def test_search_query_parser_never_raises(text):
    from annotator.core.search import parser

    q = parser.parse(text)
    assert isinstance(q.notices, list)


@SLOW
@given(query_text)
def test_search_runs_any_query_within_bounds(demo_ws, text):
    from annotator.core.search import search

    res = search(demo_ws, text, limit=20)  # bounded by the search's own time limit
    assert res.total >= 0


@pytest.fixture(scope="module")
def export_data(tmp_path_factory, demo_file):
    from annotator.core.export import jsonio
    from annotator.core.export.selection import Selection
    from annotator.core.store.workspace import Workspace

    with Workspace.open(str(demo_file), readonly=True) as ws:
        data = jsonio.dump(ws, Selection())
    # keep the originals small: fuzzing is about the structure
    for d in data["documents"]:
        d["original"]["base64"] = None
    return data


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:3]):
            yield from _paths(v, prefix + (i,))


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.just({}),
    st.just("!!not base64!!"),
)


@SLOW
@given(data=st.data())
def test_json_import_of_damaged_files_refuses_cleanly(export_data, tmp_path_factory, data):
    from annotator.core.export import jsonio
    from annotator.core.store.models import Document, Passage
    from annotator.core.store.workspace import Workspace
    from sqlmodel import select

    doc = copy.deepcopy(export_data)
    paths = list(_paths(doc))[1:]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = data.draw(junk)
        except (KeyError, IndexError, TypeError):
            continue
    folder = tmp_path_factory.mktemp("fuzzjson")
    src = folder / "in.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    with Workspace.create(str(folder / "target.annot")) as ws:
        try:
            jsonio.import_json(ws, str(src))
        except AnnotatorError as err:
            assert str(err)
            with ws.session() as s:  # nothing half-imported
                assert s.exec(select(Document)).first() is None
                assert s.exec(select(Passage)).first() is None
