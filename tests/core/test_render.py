"""PageRenderer: pixels, word boxes that index Page.text, rotation; reading.marks and goto."""

import pymupdf
import pytest
from sqlmodel import select

from annotator.core.library import reading, render

from annotator.core.evidence import tagging
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.store.models import Page


def test_words_index_the_stored_page_text(demo_ws):
    data = render.load_pdf_bytes(demo_ws, 1)
    assert data and data.startswith(b"%PDF")
    assert render.load_pdf_bytes(demo_ws, 2) is None  # the report is plain text
    r = render.PageRenderer(data)
    try:
        assert r.page_count == 3
        with demo_ws.session() as s:
            stored = list(s.exec(select(Page.text).where(Page.document_id == 1).order_by(Page.index)))
        for i in range(r.page_count):
            assert r.text(i) == stored[i]
            for w in r.words(i):
                word = stored[i][w.start : w.end]
                assert word and not any(c.isspace() for c in word)
        img = r.render(0, 1.5)
        w, h = r.page_size(0)
        assert abs(img.width - w * 1.5) <= 1 and abs(img.height - h * 1.5) <= 1
        assert len(img.data) == img.stride * img.height
        turned = r.render(0, 1.0, 90)
        assert abs(turned.width - h) <= 1 and abs(turned.height - w) <= 1
    finally:
        r.close()


def test_rotated_page_words_are_in_displayed_coordinates():
    doc = pymupdf.open()
    page = doc.new_page(width=600, height=800)
    page.insert_text((50, 100), "hello world", fontsize=12)
    page.set_rotation(90)
    r = render.PageRenderer(doc.tobytes())
    w, h = r.page_size(0)
    assert (w, h) == (800, 600)
    for word in r.words(0):
        assert 0 <= word.x0 < word.x1 <= w and 0 <= word.y0 < word.y1 <= h
    assert r.words(0)[0].x0 > 600  # near the right edge once turned
    r.close()


def test_geometry_helpers():
    words = [
        render.Word(10, 10, 30, 20, 0, 4, 0),
        render.Word(35, 10, 60, 20, 5, 10, 0),
        render.Word(10, 30, 40, 40, 11, 16, 1),
    ]
    assert render.word_at(words, 36, 15) == 1
    assert render.nearest_word(words, 100, 35) == 2
    assert render.rects_for_range(words, 0, 16) == [(10, 10, 60, 20), (10, 30, 40, 40)]
    assert render.lanes([((0, 0), (0, 10)), ((0, 5), (0, 20)), ((0, 12), (0, 30))]) == [0, 1, 0]


def test_marks_and_goto(demo_ws):
    with demo_ws.session() as s:
        marks = reading.marks(s, 1)
        assert len(marks) == 10 and all(m.colours for m in marks)
        assert all(m.lane == 0 for m in marks)  # demo passages do not overlap
    first = marks[0]
    tagging.tag(demo_ws, 1, None, [first.theme_ids[0]], start=first.start, end=first.end)
    with demo_ws.session() as s:
        marks = reading.marks(s, 1)
        assert sorted(m.lane for m in marks if m.start == first.start) == [0, 1]
        hidden = {t for m in marks for t in m.theme_ids}
        assert reading.marks(s, 1, hidden) == []
        for text in ("Day 45/2:7", "45/2:7", "Day 45, page 2, line 7"):
            place = reading.goto(s, text)
            assert place.document_id == 1 and place.page == 1
        assert reading.goto(s, "{MSF0000045/1}").document_id == 2
        assert reading.goto(s, "MSF0000045/1").document_id == 2
        assert reading.goto(s, "item 2").document_id == 2
        assert reading.goto(s, "2:7", current_doc=1).page == 1
        with pytest.raises(NotFound):
            reading.goto(s, "Day 99/1:1")
        with pytest.raises(InvalidInput):
            reading.goto(s, "nonsense")


def test_passage_views_carry_where_each_starts(demo_ws):
    from annotator.core.evidence import passages
    from annotator.core.store.models import Passage

    with demo_ws.session() as s:
        starts = {p.id: (p.start_page, p.start_char) for p in s.exec(select(Passage))}
        views = passages.views(s)
    assert [(v.start_page, v.start_char) for v in views] == [starts[v.id] for v in views]
    assert [(v.document_id, v.start_page, v.start_char) for v in views] == sorted(
        (v.document_id, v.start_page, v.start_char) for v in views
    )  # in reading order
