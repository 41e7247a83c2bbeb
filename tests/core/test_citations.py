"""One citation style everywhere: the forms, naming transcripts without a day,
and parse reading back every form cite writes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.evidence import citations, passages

from annotator.core.library import documents, reading
from annotator.core.evidence.citations import Source, Style
from annotator.core.search import search

DAY45 = Source("transcript", day=45)


@pytest.mark.parametrize(
    "start, end, short, long",
    [
        ((1, 13), None, "Day 45/1:13", "Day 45, page 1, line 13"),
        ((1, 9), (1, 10), "Day 45/1:9-10", "Day 45, page 1, lines 9 to 10"),
        ((1, 24), (2, 3), "Day 45/1:24-2:3", "Day 45, page 1, line 24 to page 2, line 3"),
    ],
)
def test_points_and_ranges_share_one_form(start, end, short, long):
    assert citations.cite(DAY45, start, end) == short
    assert citations.cite(DAY45, start, end, Style("long")) == long


def test_a_transcript_without_a_day_is_cited_by_its_witness_or_title():
    src = Source(
        "transcript", title="Deposition of John McCaffrey, 4 May 2012.pdf", witness="Dr John McCaffrey"
    )
    assert citations.cite(src, (12, 3), (12, 5)) == "McCaffrey 12:3-5"
    assert citations.cite(src, (12, 3), (12, 5), Style("long")) == "McCaffrey, page 12, lines 3 to 5"
    by_title = citations.cite(src, (12, 3), None, Style("short", "title"))
    assert by_title == "Deposition of John McCaffrey, 4 May 2012 12:3"
    no_witness = Source("transcript", title="Hearing of the board")
    assert citations.cite(no_witness, (2, 1)) == "Hearing of the board 2:1"
    assert citations.surname("McCaffrey, John") == "McCaffrey"
    assert citations.surname("Sir Bruce Keogh KBE") == "Keogh"


def test_documents_short_and_long():
    assert citations.cite(Source("exhibit", urn="INQ000123456"), "4") == "{INQ000123456/4}"
    assert citations.cite(Source("exhibit", urn="INQ000123456"), "4", "6", "long") == (
        "INQ000123456, pages 4 to 6"
    )
    assert citations.cite(Source("report", title="Board minutes"), "4", "6") == "Board minutes, pp. 4-6"


names = st.text(alphabet="abcdefgXYZ0123456789 .,'&()-", min_size=1, max_size=30).filter(
    lambda t: t.strip(" ,.-") and t[0].isalpha()
)
nums = st.integers(1, 9999)


@settings(max_examples=300, deadline=None)
@given(
    day=st.one_of(st.none(), nums),
    witness=st.one_of(st.just(""), names),
    title=names,
    p1=nums,
    l1=st.integers(1, 99),
    more=st.one_of(st.none(), st.tuples(st.integers(0, 3), st.integers(1, 99))),
    form=st.sampled_from(citations.STYLES),
    name_by=st.sampled_from(citations.NAME_BY),
)
def test_transcript_citations_round_trip(day, witness, title, p1, l1, more, form, name_by):
    src = Source("transcript", title=title, witness=witness, day=day)
    end = None if more is None else (p1 + more[0], more[1] if more[0] else max(l1, more[1]))
    text = citations.cite(src, (p1, l1), end, Style(form, name_by))
    ref = citations.parse(text)
    assert isinstance(ref, citations.TranscriptRef), text
    end = end or (p1, l1)
    got = (ref.day, ref.page, ref.line, ref.page_to or ref.page, ref.line_to or ref.line)
    assert got == (day, p1, l1, *end), text
    if day is None:
        assert ref.name == citations.transcript_name(witness, title, name_by), text


labels = st.from_regex(r"[1-9][0-9]{0,3}|[ivx]{1,4}|[A-Z][0-9]{1,3}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(
    urn=st.one_of(st.just(""), st.from_regex(r"[A-Z]{3,4}[0-9]{7,9}", fullmatch=True)),
    title=names,
    page=labels,
    page_to=st.one_of(st.none(), labels),
    form=st.sampled_from(citations.STYLES),
)
def test_document_citations_round_trip(urn, title, page, page_to, form):
    text = citations.cite(Source("exhibit", urn=urn, title=title), page, page_to, form)
    ref = citations.parse(text)
    assert isinstance(ref, citations.DocumentRef), text
    assert (ref.name, ref[1], ref.page_to) == (
        urn or title.strip(),
        page,
        None if page_to in (None, page) else page_to,
    ), text


def test_every_list_uses_the_workspace_style(demo_ws):
    with demo_ws.session() as s:
        short = [v.citation for v in passages.views(s)]
    hits = [h.citation for h in search(demo_ws, "theme:targets").hits]
    assert all("/" in c and ", " not in c for c in short if c.startswith("Day"))
    demo_ws.set("citation_style", "long")
    with demo_ws.session() as s:
        long = [v.citation for v in passages.views(s)]
    assert all(", page " in c for c in long)
    assert all(", page " in h.citation for h in search(demo_ws, "theme:targets").hits)
    assert hits and all(h in short for h in hits)


def test_a_transcript_without_a_day_names_its_witness_everywhere(demo_ws):
    with demo_ws.session() as s:
        doc = next(v for v in passages.views(s) if v.kind == "transcript")
    tagging_doc = doc.document_id
    documents.update_metadata(demo_ws, tagging_doc, day=None, witness="Sir Bruce Keogh")
    with demo_ws.session() as s:
        cites = [v.citation for v in passages.views(s, document_ids=[tagging_doc])]
        assert cites and all(c.startswith("Keogh ") for c in cites), cites
        place = reading.goto(s, cites[0])
        assert place.document_id == tagging_doc
    hits = search(demo_ws, "targets").hits
    assert any(h.citation.startswith("Keogh ") for h in hits)
    assert not any("Transcript" in h.citation for h in hits)


def test_exports_and_the_bundle_cite_in_the_workspace_style(demo_ws, tmp_path):
    import csv

    import pymupdf

    from annotator.core.export import Selection, export

    with demo_ws.session() as s:
        doc = next(d for d in documents.all_documents(s) if d.kind == "transcript")
    documents.update_metadata(demo_ws, doc.id, day=None)
    demo_ws.set("citation_style", "long")
    export(demo_ws, Selection(documents=[doc.id]), str(tmp_path / "x.csv"), fmt="csv")
    with open(tmp_path / "x.csv", encoding="utf-8-sig") as fh:
        cites = [row["Citation"] for row in csv.DictReader(fh)]
    assert cites and all(c.startswith("Keogh, page ") for c in cites), cites
    export(demo_ws, Selection(documents=[doc.id]), str(tmp_path / "x.pdf"))
    with pymupdf.open(tmp_path / "x.pdf") as pdf:
        text = " ".join(page.get_text() for page in pdf)
    assert cites[0] in " ".join(text.split()) and "Transcript/" not in text


def test_go_to_reads_every_form_the_lists_show(demo_ws):
    with demo_ws.session() as s:
        docs = documents.all_documents(s)
    report = next(d for d in docs if d.urn)
    transcript = next(d for d in docs if d.kind == "transcript")
    documents.update_metadata(demo_ws, report.id, urn="")  # cited by its title
    documents.update_metadata(demo_ws, transcript.id, day=None)  # by its witness
    for form in citations.STYLES:
        demo_ws.set("citation_style", form)
        with demo_ws.session() as s:
            for v in passages.views(s):
                place = reading.goto(s, v.citation)
                assert (place.document_id, place.page) == (v.document_id, v.start_page), v.citation


def test_a_real_deposition_without_a_day_is_cited_by_title_then_witness(ws):
    from annotator.core.evidence import tagging
    from annotator.core.ingest import import_file
    from helpers import CORPUS

    path = CORPUS / "transcripts" / "depositions-pdf" / "gov.uscourts.cacd.657892.202.2.pdf"
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    with ws.session() as s:
        rows = [ln for ln in documents.lines(s, res.document_id) if ln.tpage == 18 and ln.line in (5, 7)]
    start, end = rows[0], rows[-1]
    pid = tagging.tag(
        ws, res.document_id, start=(start.page_index, start.char_start), end=(end.page_index, end.char_end)
    ).result
    with ws.session() as s:
        assert passages.views(s, ids=[pid])[0].citation == "gov.uscourts.cacd.657892.202.2 18:5-7"
    documents.update_metadata(ws, res.document_id, witness="Jane Q. Analyst")
    ws.set("citation_style", "long")
    with ws.session() as s:
        cite = passages.views(s, ids=[pid])[0].citation
        assert cite == "Analyst, page 18, lines 5 to 7"
        assert reading.goto(s, cite).document_id == res.document_id
