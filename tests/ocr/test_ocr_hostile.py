"""OCR without Tesseract, and on pages that must not crash or hang it."""

import pytest
from scans import scan, transcript

from annotator.core.ingest import import_file
from annotator.core.ocr import engine, pages, run


def _scanned_ws(ws, tmp_path, n=1):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan(transcript(pages=n), skews=(0.0,)))
    res = import_file(ws, str(path))
    assert res.status == "imported" and res.ocr_pages == n
    return res.document_id


def test_without_language_files_ocr_says_so_and_the_import_stands(ws, tmp_path, monkeypatch):
    doc = _scanned_ws(ws, tmp_path)
    empty = tmp_path / "no-tessdata"
    empty.mkdir()
    monkeypatch.setenv("ANNOTATOR_TESSDATA", str(empty))
    with pytest.raises(engine.OcrUnavailable, match="no 'eng' language installed"):
        run.run(ws, [doc])
    assert pages.status(ws, doc) == {"pending": 1, "done": 0, "failed": 0}


def test_without_the_tesseract_program_ocr_says_so(ws, tmp_path, monkeypatch):
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract here
    with pytest.raises(engine.OcrUnavailable, match="install Tesseract"):
        run.check(ws)


def test_a_stuck_page_is_stopped_and_marked_failed_with_a_reason(ws, tmp_path):
    doc = _scanned_ws(ws, tmp_path)
    result = run.run(ws, [doc], page_limit=0.01)  # no page can be read this fast
    assert result.documents[0]["failed"] == 1
    assert "timed out" in result.documents[0]["reasons"][1]
    assert pages.status(ws, doc)["failed"] == 1
    assert run.run(ws, [doc]).documents == []  # failed pages wait for --retry
    assert run.run(ws, [doc], retry=True).documents[0]["done"] == 1
    from annotator.core.library import documents

    gone = documents.remove(ws, doc)  # the recognised words go with the document, and come back with undo
    assert pages.status(ws, doc) == {"pending": 0, "done": 0, "failed": 0}
    gone.command.undo(ws)
    assert pages.status(ws, doc)["done"] == 1
    with ws.session() as s:
        assert pages.words_of(s, doc, 0)


def test_noise_a_huge_page_and_a_damaged_image_never_crash(ws, tmp_path):
    import pymupdf

    out = pymupdf.open()
    noise = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 600, 800), False)
    import random

    rnd = random.Random(7)
    noise.set_rect(noise.irect, (255,))
    for _ in range(20000):
        noise.set_pixel(rnd.randrange(600), rnd.randrange(800), (0,))
    out.new_page().insert_image(pymupdf.Rect(0, 0, 595, 842), pixmap=noise)
    out.new_page(width=2384, height=3370).insert_text((100, 200), "An A0 drawing", fontsize=60)
    page = out.new_page()
    page.insert_image(page.rect, stream=noise.tobytes("jpeg"))
    data = bytearray(out.tobytes())
    out.close()
    # cut into the last picture's JPEG data: a damaged image stream
    at = data.rfind(b"\xff\xd8")
    data[at + 200 : at + 1200] = b"\x00" * 1000
    path = tmp_path / "hostile.pdf"
    path.write_bytes(bytes(data))
    res = import_file(ws, str(path))
    assert res.status == "imported"
    todo = pages.pending(ws, res.document_id)
    assert 0 in todo and 2 in todo
    result = run.run(ws, [res.document_id])
    d = result.documents[0]
    assert d["done"] + d["failed"] == res.ocr_pages
    assert engine.dpi_for(2384, 3370) < engine.DPI  # the A0 page read at a bounded size
