"""Switching between the PDF page and the transcript keeps exactly the same place."""


def _wait_pdf(qtbot, reader, page: int) -> None:
    view = reader.pdf_view
    qtbot.waitUntil(lambda: view.service.words.get(page) is not None, timeout=10000)
    view.viewport().repaint()  # a place waiting for the page's words is applied on paint
    qtbot.waitUntil(lambda: view._pending_place is None, timeout=10000)


def _line_at(reader, place) -> int:
    return reader.model.line_index_at(place)


def _pdf_line_top(reader, ln) -> float:
    """Where the line's first word is drawn in the PDF view (y in the viewport)."""
    pv = reader.pdf_view
    rects = pv._rects(ln.page, ln.start, ln.end, pv.page_rect(ln.page))
    assert rects, (ln.tpage, ln.line)
    return rects[0].top()


def _shown_at_top(reader, ln) -> None:
    """The line is the first on screen in both views, or (where the end of the
    document stops the scrolling) on screen."""
    pv, tv = reader.pdf_view, reader.text_view
    if reader.view_name() == "pdf":
        top = _pdf_line_top(reader, ln)
        at_end = pv.verticalScrollBar().value() == pv.verticalScrollBar().maximum()
        assert 0 <= top <= pv.viewport().height() - 5 if at_end else 0 <= top <= 10, (ln.tpage, ln.line, top)
    else:
        at = tv.point_of((ln.page, ln.start), centre=False)
        assert at is not None, (ln.tpage, ln.line)
        if tv.top < tv._max_top:
            assert at.y() <= tv.rh, (ln.tpage, ln.line, at.y())


def test_same_line_at_the_top_both_ways_on_every_page(demo_window, qtbot):
    win = demo_window
    win.resize(1366, 740)
    reader = win.open_document(1)
    model = reader.model
    assert len(model.page_sizes) >= 3, "a multi-page transcript PDF"
    reader.show_view("text")
    tv, pv = reader.text_view, reader.pdf_view
    shown = [k for k, ln in enumerate(model.lines) if ln.role != "header" and ln.text.strip()]
    for page in range(len(model.page_sizes)):
        on_page = [k for k in shown if model.lines[k].page == page]
        for k in (on_page[0], on_page[len(on_page) // 2]):
            ln = model.lines[k]
            tv.go_to((ln.page, ln.start), align_top=True)
            assert tv.current_place() == (ln.page, ln.start)
            reader.show_view("pdf")
            _wait_pdf(qtbot, reader, page)
            there = pv.current_place()
            assert there[0] == page and _line_at(reader, there) == k, (page, ln.tpage, ln.line, there)
            _shown_at_top(reader, ln)
            reader.show_view("text")
            assert tv.current_place() == (ln.page, ln.start), (page, ln.tpage, ln.line)
            _shown_at_top(reader, ln)
    # and from the PDF side: scroll the page to a line, switch, switch back
    last = len(model.page_sizes) - 1
    k = [k for k in shown if model.lines[k].page == last][3]
    ln = model.lines[k]
    reader.show_view("pdf")
    pv.go_to((ln.page, ln.start), align_top=True)
    _wait_pdf(qtbot, reader, last)
    pv.verticalScrollBar().setValue(pv.verticalScrollBar().value() - 1)  # as a person scrolls
    before = pv.current_place()
    assert _line_at(reader, before) == k
    reader.show_view("text")
    assert _line_at(reader, tv.current_place()) == k
    _shown_at_top(reader, ln)
    assert tv.current_place()[0] == last
    reader.show_view("pdf")
    _wait_pdf(qtbot, reader, last)
    assert pv.current_place() == before
    # a page's heading on top of the transcript: the PDF shows that page from its top
    reader.show_view("text")
    second = next(ln for ln in model.lines if ln.page == 1 and ln.role != "header")
    tv.go_to((second.page, second.start), align_top=True)
    tv.scroll_rows(1)
    tv.scroll_rows(-1)  # as a person scrolls
    assert tv.rowmap.head_row(tv.top) is not None and tv.current_place() == (1, 0)
    reader.show_view("pdf")
    assert abs(pv.page_rect(1).top()) <= 1
    reader.show_view("text")
    assert tv.rowmap.head_row(tv.top) == "Day 45, page 2"


def test_a_selected_passage_stays_in_view_both_ways(demo_window, qtbot):
    win = demo_window
    reader = win.open_document(1)
    model = reader.model
    reader.show_view("text")
    tv, pv = reader.text_view, reader.pdf_view
    page = 2
    k = [k for k, ln in enumerate(model.lines) if ln.page == page and ln.role != "header" and ln.text][5]
    ln = model.lines[k]
    tv.go_to((0, 0), align_top=True)
    model.set_selection((ln.page, ln.start), (ln.page, ln.end))
    reader.show_view("pdf")
    _wait_pdf(qtbot, reader, page)
    rects = pv._rects(page, ln.start, ln.end, pv.page_rect(page))
    assert rects and all(0 <= r.top() and r.bottom() <= pv.viewport().height() for r in rects)
    pv.verticalScrollBar().setValue(0)
    reader.show_view("text")
    assert tv.point_of((ln.page, ln.start)) is not None
