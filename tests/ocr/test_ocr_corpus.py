"""The corpus deposition whose testimony pages come out as 25 empty numbered lines."""

from helpers import CORPUS

from annotator.core.ingest import import_file
from annotator.core.library import documents
from annotator.core.ocr import pages, run

DEPOSITION = CORPUS / "transcripts" / "depositions-pdf" / "gov.uscourts.cand.348075.74.5.pdf"


def test_pages_of_empty_numbered_lines_are_found_read_and_keep_their_page_lines(ws):
    res = import_file(ws, str(DEPOSITION))
    assert res.status == "imported", res.reason
    todo = pages.pending(ws, res.document_id)
    assert todo == list(range(7, 25))  # only the pages of empty numbered lines: not the exhibit index
    seen = []

    def progress(done, total, _text):
        seen.append(done)

    # stopped after two pages (as Cancel does): they stay done, the others wait for the next run
    result = run.run(ws, [res.document_id], progress=progress, cancelled=lambda: len(seen) >= 2)
    assert result.cancelled
    state = pages.status(ws, res.document_id)
    assert state["done"] >= 2 and state["pending"] == 18 - state["done"] - state["failed"]
    with ws.session() as s:
        lines = documents.lines(s, res.document_id)
        done = [p for p in range(7, 25) if pages.page_status(s, res.document_id, p) == "done"]
    assert {ln.tpage for ln in lines if ln.page_index == 2} == {2}  # pages with text are untouched
    for p in done:  # margin numbers recognised in the picture: still 25 numbered lines
        assert sorted(ln.line for ln in lines if ln.page_index == p and ln.line > 0) == list(range(1, 26))
    assert pages.unbuilt(ws) == []


def test_real_scans_in_odd_picture_codecs_are_read_or_refused_page_by_page(ws):
    from annotator.core.search import search

    scanned = CORPUS / "pdf-corpus" / "scanned"
    ids = []
    for name in (
        "doctor__image-pdf-2.pdf",
        "pdfjs__jbig2_symbol_offset.pdf",
        "samplefiles__imagemagick-CCITTFaxDecode.pdf",
    ):
        res = import_file(ws, str(scanned / name))
        assert res.status == "imported" and res.ocr_pages == 1, (name, res.reason)
        ids.append(res.document_id)
    result = run.run(ws, ids)
    assert [d["done"] + d["failed"] for d in result.documents] == [1, 1, 1]
    assert all(d["failed"] == 0 or d["reasons"] for d in result.documents)
    with ws.session() as s:
        first = documents.pages(s, ids[0])[0].text
    assert len(first.split()) > 50  # a page of print, recognised
    word = max(first.split(), key=len).strip(".,;:()")
    assert any(h.document_id == ids[0] for h in search(ws, word).hits)
