"""References in running text: found with their spans, resolved to places, and
every citation `cite` writes found again and taken back to its place."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.evidence import citations, passages
from annotator.core.evidence.citations import Source, Style
from annotator.core.library import documents, references
from annotator.core.library.references import Finder, Names
from annotator.core.util.errors import NotFound

TEXT = (
    "See Day 12/5:3 and {INQ000123456/4}, para 12. Also INQ000123456, exhibit WITN0608_01/1 "
    "and WITN06080100, pages 4 to 6; Day 45, page 12, lines 3 to 9."
)


def test_finds_each_form_with_its_span():
    found = Finder().find(TEXT)
    assert [(f.text, f.kind) for f in found] == [
        ("Day 12/5:3", "citation"),
        ("{INQ000123456/4}, para 12", "citation"),
        ("INQ000123456", "urn"),
        ("WITN0608_01/1", "exhibit"),
        ("WITN06080100, pages 4 to 6", "citation"),
        ("Day 45, page 12, lines 3 to 9", "citation"),
    ]
    assert all(TEXT[f.start : f.end] == f.text for f in found)
    assert Finder().at(TEXT, TEXT.index("12/5")).text == "Day 12/5:3"
    assert Finder().at(TEXT, 1) is None


@pytest.mark.parametrize(
    "text",
    [
        "at 10:30 today",
        "lower case inq000123456",
        "Day 45 alone",
        "INQ000123456789 too long",
        "xINQ000123456",
    ],
)
def test_ordinary_words_are_not_references(text):
    assert Finder().find(text) == []


def test_the_workspace_pattern_and_names_decide(demo_ws):
    demo_ws.set("urn_pattern", r"DOC-\d{3}")
    f = references.finder(demo_ws)
    assert [x.text for x in f.find("see DOC-123 and INQ000123456")] == ["DOC-123"]
    assert Finder(Names(transcripts=("McCaffrey",))).find("McCaffrey 12:3-5.")[0].text == "McCaffrey 12:3-5"
    assert Finder().find("McCaffrey 12:3-5") == []  # not a transcript this workspace holds


def test_resolves_to_the_document_page_and_line(demo_ws):
    with demo_ws.session() as s:
        docs = documents.all_documents(s)
        day = next(d for d in docs if d.kind == "transcript")
        report = next(d for d in docs if d.urn == "MSF0000045")
        f = references.Finder(references.names(s))
        (cite,) = f.find("as the witness said at Day 45/2:5.")
        place = references.resolve(s, cite)
        assert place.document_id == day.id and place.start is not None
        (bare,) = f.find("the report MSF0000045 says")
        assert references.resolve(s, bare).document_id == report.id
        assert references.resolve(s, "{MSF0000045/1}").page == 0
        with pytest.raises(NotFound, match="MSF0000045 has no page 2"):
            references.resolve(s, "{MSF0000045/2}")
        with pytest.raises(NotFound, match="INQ000123456 is not in this workspace"):
            references.resolve(s, f.find("INQ000123456")[0])
        with pytest.raises(NotFound, match="Exhibit WITN0608_01/1 is not in this workspace"):
            references.resolve(s, f.find("WITN0608_01/1")[0])
        with pytest.raises(NotFound, match="No transcript of Day 12 in this workspace"):
            references.resolve(s, f.find("Day 12/5:3")[0])
        with pytest.raises(NotFound, match="INQ000123456 in this workspace"):
            references.resolve(s, f.find("{INQ000123456/4}")[0])


def test_an_exhibit_opens_under_its_inquiry_urn(demo_ws):
    with demo_ws.session() as s:
        report = next(d for d in documents.all_documents(s) if d.urn)
    documents.update_metadata(demo_ws, report.id, urn="WITN06080101")
    assert references.place_of(demo_ws, "WITN0608_01/1").document_id == report.id


def test_every_passage_citation_in_a_note_resolves_to_its_passage(demo_ws):
    with demo_ws.session() as s:
        docs = documents.all_documents(s)
    transcript = next(d for d in docs if d.kind == "transcript")
    for day in (45, None):  # by hearing day, then by witness
        documents.update_metadata(demo_ws, transcript.id, day=day)
        for form in citations.STYLES:
            demo_ws.set("citation_style", form)
            with demo_ws.session() as s:
                f = Finder(references.names(s))
                for v in passages.views(s):
                    note = f"Compare ({v.citation}); it matters."
                    (found,) = f.find(note)
                    assert found.text == v.citation
                    place = references.resolve(s, found)
                    assert (place.document_id, place.page) == (v.document_id, v.start_page), v.citation


words = st.from_regex(r"[A-Z][a-z]{2,9}( [A-Z][a-z]{2,9}){0,2}", fullmatch=True)
labels = st.from_regex(r"[1-9][0-9]{0,3}|[ivx]{1,4}", fullmatch=True)
before = st.sampled_from(["", "see ", "(", "as in ", "— "])
after = st.sampled_from(["", ".", ")", ", and more", "; then", " said"])


@settings(max_examples=200, deadline=None)
@given(
    day=st.one_of(st.none(), st.integers(1, 999)),
    witness=st.one_of(st.just(""), words),
    title=words,
    place=st.tuples(st.integers(1, 999), st.integers(1, 30)),
    more=st.one_of(st.none(), st.tuples(st.integers(0, 3), st.integers(1, 30))),
    style=st.builds(Style, st.sampled_from(citations.STYLES), st.sampled_from(citations.NAME_BY)),
    pre=before,
    post=after,
)
def test_every_transcript_citation_is_found_whole(day, witness, title, place, more, style, pre, post):
    src = Source("transcript", title=title, witness=witness, day=day)
    end = None if more is None else (place[0] + more[0], more[1] if more[0] else max(place[1], more[1]))
    text = citations.cite(src, place, end, style)
    name = citations.transcript_name(witness, title, style.name_by)
    (found,) = Finder(Names(transcripts=(name,))).find(pre + text + post)
    assert (found.start, found.text) == (len(pre), text)


@settings(max_examples=200, deadline=None)
@given(
    urn=st.one_of(st.just(""), st.from_regex(r"[A-Z]{3,4}[0-9]{7,9}", fullmatch=True)),
    title=words,
    page=labels,
    page_to=st.one_of(st.none(), labels),
    para=st.one_of(st.none(), st.integers(1, 300)),
    form=st.sampled_from(citations.STYLES),
    pre=before,
    post=after,
)
def test_every_document_citation_is_found_whole(urn, title, page, page_to, para, form, pre, post):
    src = Source("witness statement", urn=urn, title=title)
    text = citations.cite(src, page, page_to, form, paras=(para, None))
    (found,) = Finder(Names(titles=(title,))).find(pre + text + post)
    assert (found.start, found.text) == (len(pre), text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), form=st.sampled_from(citations.STYLES), post=after)
def test_a_cited_line_is_found_and_resolves_to_that_line(demo_file, data, form, post):
    from annotator.core.library import reading
    from annotator.core.store.workspace import Workspace

    ws = Workspace.open(str(demo_file), readonly=True)
    try:
        with ws.session() as s:
            doc = next(d for d in documents.all_documents(s) if d.kind == "transcript")
        rows = [r for r in reading.line_rows(ws, doc.id) if r[8] != "header" and r[5]]
        seq, page, start, _end, tpage, line, *_ = data.draw(st.sampled_from(rows))
        src = Source("transcript", title=doc.title, witness=doc.witness, day=doc.day)
        text = citations.cite(src, (tpage, line), None, form)
        with ws.session() as s:
            (found,) = Finder(references.names(s)).find(f"Compare {text}{post}")
            got = references.resolve(s, found)
        assert (got.document_id, got.page, got.start) == (doc.id, page, start), text
    finally:
        ws.close()


def test_the_command_line_lists_references_and_where_they_lead(demo_file):
    import json

    from helpers import run_cli

    out = run_cli("refs", demo_file, "See Day 45/2:7 and INQ000123456.", "--json").stdout
    found = json.loads(out)
    assert [r["text"] for r in found] == ["Day 45/2:7", "INQ000123456"]
    assert found[0]["document"] == 1 and found[0]["page"] == 2
    assert found[1]["missing"] == "INQ000123456 is not in this workspace."
    text = run_cli("refs", demo_file, "nothing here").stdout
    assert text.strip() == "No references found."
