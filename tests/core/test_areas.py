"""Areas: rectangles drawn on a PDF page, tagged like passages, cited by page."""

import pytest

from annotator.core.evidence import areas, citations, passages, tagging
from annotator.core.export import jsonio
from annotator.core.export.selection import Selection
from annotator.core.store.workspace import Workspace
from annotator.core.util.errors import InvalidInput, NotFound


def _area(ws, pid):
    with ws.session() as s:
        return passages.views(s, ids=[pid])[0]


def test_an_area_without_text_is_labelled_cited_by_page_and_undone(demo_ws):
    ch = tagging.tag_area(demo_ws, 1, 1, (420, 760, 560, 830), [3], note="signed", label="signature")
    v = _area(demo_ws, ch.result)
    assert v.area == [1, 420.0, 760.0, 560.0, 830.0]
    assert v.quote == "[Area on page 2: signature]"
    assert v.citation == "Day 45/2, area" and v.note == "signed" and v.themes == ["Safety"]
    with demo_ws.session() as s:
        assert passages.views(s, ids=[ch.result], style="long")[0].citation == "Day 45, page 2 (area)"
    ch.command.undo(demo_ws)
    with demo_ws.session() as s:
        assert passages.views(s, ids=[ch.result]) == []
    ch.command.redo(demo_ws)
    assert _area(demo_ws, ch.result).area == v.area


def test_an_area_over_text_quotes_the_words_inside(demo_ws):
    with demo_ws.engine.connect() as conn:
        x0, y0, x1, y1, text = conn.exec_driver_sql(
            "SELECT x0, y0, x1, y1, text FROM line WHERE document_id = 1 AND page_index = 0 "
            "AND role != 'header' AND length(text) > 30 ORDER BY seq LIMIT 1"
        ).one()
    ch = tagging.tag_area(demo_ws, 1, 0, (x0 - 2, y0 - 1, x1 + 2, y1 + 1), [1])
    v = _area(demo_ws, ch.result)
    assert v.quote.split() == text.split()
    assert v.citation == "Day 45/1, area"


def test_bad_areas_are_refused_in_one_sentence(demo_ws):
    with pytest.raises(InvalidInput, match="at least 4 points"):
        tagging.tag_area(demo_ws, 1, 0, (10, 10, 12, 300), [1])
    with pytest.raises(InvalidInput, match="must lie on page 1"):
        tagging.tag_area(demo_ws, 1, 0, (700, 10, 900, 300), [1])
    with pytest.raises(NotFound, match="no page 9"):
        tagging.tag_area(demo_ws, 1, 8, (10, 10, 100, 100), [1])
    with pytest.raises(InvalidInput, match="no PDF pages"):
        tagging.tag_area(demo_ws, 2, 0, (10, 10, 100, 100), [1])
    with pytest.raises(InvalidInput, match="four numbers"):
        areas.parse_rect("1,2,3")
    with pytest.raises(InvalidInput, match="four numbers"):
        areas.parse_rect("1,2,3,nan")


def test_area_citations_in_every_style():
    doc = citations.Source("exhibit", "MSF0000045", "Photo")
    assert citations.cite(doc, "4", area=True) == "{MSF0000045/4}, area"
    assert citations.cite(doc, "4", style="long", area=True) == "MSF0000045, page 4 (area)"
    untitled = citations.Source("exhibit", "", "Ward plan")
    assert citations.cite(untitled, "4", area=True) == "Ward plan, p. 4, area"
    t = citations.Source("transcript", witness="Dr Ian McCaffrey")
    assert citations.cite(t, 12, area=True) == "McCaffrey p. 12, area"
    assert citations.strip_area("{MSF0000045/4}, area") == "{MSF0000045/4}"
    assert citations.strip_area("MSF0000045, page 4 (area)") == "MSF0000045, page 4"


def test_areas_go_through_json_and_back(demo_ws, tmp_path):
    pid = tagging.tag_area(demo_ws, 1, 2, (50, 600, 300, 700), [2], note="photo", label="photograph").result
    path = tmp_path / "out.json"
    jsonio.write(demo_ws, Selection(), str(path))
    back = Workspace.create(str(tmp_path / "back.annot"))
    try:
        jsonio.import_json(back, str(path))
        v = _area(back, pid)
        assert v.area == [2, 50.0, 600.0, 300.0, 700.0]
        assert v.quote == _area(demo_ws, pid).quote and v.citation == "Day 45/3, area"
    finally:
        back.close()


def _statement(path, words: str) -> None:
    """A one-page PDF made here: a line of text near the top, `words` lower down."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 80), "Statement of a witness, page one.", fontsize=12)
    page.insert_text((72, 400), words, fontsize=12)
    doc.save(path)


def test_a_new_version_keeps_areas_on_their_page_and_reads_their_words_again(demo_ws, tmp_path):
    from annotator.core import versions
    from annotator.core.ingest import import_file

    _statement(str(tmp_path / "v1.pdf"), "The ward was short of two nurses.")
    doc_id = import_file(demo_ws, str(tmp_path / "v1.pdf"), kind="exhibit", urn="EXH0000001").document_id
    blank = tagging.tag_area(demo_ws, doc_id, 0, (300, 600, 500, 700), [1], label="signature").result
    words = tagging.tag_area(demo_ws, doc_id, 0, (60, 380, 540, 410), [2]).result
    assert _area(demo_ws, words).quote == "The ward was short of two nurses."
    _statement(str(tmp_path / "v2.pdf"), "The ward was short of three nurses.")
    ch = versions.replace(demo_ws, doc_id, str(tmp_path / "v2.pdf"))
    a, b = _area(demo_ws, blank), _area(demo_ws, words)
    assert a.area == [0, 300.0, 600.0, 500.0, 700.0] and a.quote == "[Area on page 1: signature]"
    assert a.anchor == "exact" and a.citation == "{EXH0000001/1}, area"
    assert b.quote == "The ward was short of three nurses." and b.anchor == "changed"
    assert b.old_quote == "The ward was short of two nurses." and b.citation == "{EXH0000001/1}, area"
    ch.command.undo(demo_ws)
    assert _area(demo_ws, words).quote == "The ward was short of two nurses."


def test_search_finds_an_area_by_its_note_and_label(demo_ws):
    from annotator.core.search import search

    pid = tagging.tag_area(
        demo_ws, 1, 1, (420, 760, 560, 830), [3], note="countersigned", label="stamp"
    ).result
    for query in ("countersigned", "stamp"):
        [hit] = [h for h in search(demo_ws, query).hits if h.kind == "passage"]
        assert hit.id == pid and hit.citation == "Day 45/2, area"
