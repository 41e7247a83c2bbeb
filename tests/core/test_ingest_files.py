"""Encodings, line ends, hostile PDFs (a reader that crashes or hangs)."""

import sys

import pytest
from sqlmodel import select

from annotator.core.ingest import import_file, text, worker
from annotator.core.models import Document, Line, Page

SAMPLE = "Q.  Did the board know?\nA.  It did — “in full”, café.\n"


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b""), ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b""), ("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00"),
    ("utf-32-le", b""), ("cp1252", b""),
])
def test_text_is_decoded_exactly(encoding, bom):
    decoded, used = text.decode(bom + SAMPLE.encode(encoding))
    assert decoded == SAMPLE
    assert used == encoding


def test_latin1_bytes_that_cp1252_lacks_still_decode():
    decoded, used = text.decode("caf\xe9 \x81".encode("latin-1"))
    assert decoded == "caf\xe9 \x81" and used == "latin-1"


def test_line_ends_and_form_feeds_are_normalised_and_nothing_else():
    raw = "a  b\r\nc\rd\n\fe\x1a"
    assert text.normalise(raw) == "a  b\nc\nd\n\fe"
    assert text.split_pages(text.normalise(raw)) == ["a  b\nc\nd\n", "e"]


def test_crlf_cp1252_text_keeps_quotations_exact(ws, tmp_path):
    path = tmp_path / "statement.txt"
    path.write_bytes("I said: “It’s not safe.”\r\n\r\nSecond – line\r\n".encode("cp1252"))
    res = import_file(ws, str(path))
    with ws.session() as s:
        lines = s.exec(select(Line).where(Line.document_id == res.document_id).order_by(Line.seq)).all()
    assert [ln.text for ln in lines] == ["I said: “It’s not safe.”", "Second – line"]
    assert [(ln.tpage, ln.line) for ln in lines] == [(1, 1), (1, 2)]


def test_binary_and_unsupported_files_are_refused(ws, tmp_path):
    blob = tmp_path / "data.bin"
    blob.write_bytes(bytes(range(256)) * 8)
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    fake = tmp_path / "fake.pdf"
    fake.write_text("hello")
    assert import_file(ws, str(blob)).reason == "unsupported type: binary data, not text"
    assert import_file(ws, str(image)).reason.startswith("unsupported type: .png")
    assert import_file(ws, str(fake)).reason.startswith("not a PDF")
    assert import_file(ws, str(tmp_path / "missing.pdf")).reason.startswith("cannot read the file")


def test_urn_is_found_on_the_first_page(ws, tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("Our ref: MSF0000123\nDear Sir,\n")
    res = import_file(ws, str(path))
    with ws.session() as s:
        assert s.get(Document, res.document_id).urn == "MSF0000123"


def _stand_in(monkeypatch, code: str) -> None:
    worker.shutdown()
    monkeypatch.setattr(worker, "COMMAND", [sys.executable, "-c", code])


def _pdf(tmp_path):
    from annotator.core import samples

    lines = samples.layout([["MR KARK", "Good morning."]], 1, "W", "C")
    path = tmp_path / "day1.pdf"
    path.write_bytes(samples.to_pdf(lines, "Inquiry", "2011-05-12"))
    return path


def test_a_pdf_reader_that_crashes_is_reported_and_the_next_file_imports(ws, tmp_path, monkeypatch):
    path = _pdf(tmp_path)
    _stand_in(monkeypatch, "import os, sys; sys.stdin.buffer.read(8); os._exit(11)")
    res = import_file(ws, str(path))
    assert res.status == "failed" and res.reason == "damaged: the PDF library crashed reading it"
    monkeypatch.setattr(worker, "COMMAND", None)
    assert import_file(ws, str(path)).status == "imported"


def test_a_pdf_reader_that_hangs_is_stopped_after_the_time_limit(ws, tmp_path, monkeypatch):
    path = _pdf(tmp_path)
    _stand_in(monkeypatch, "import time; time.sleep(600)")
    monkeypatch.setattr(worker, "IDLE_LIMIT", 1.0)
    monkeypatch.setattr(worker, "STARTUP", 0.0)
    res = import_file(ws, str(path))
    assert res.status == "failed" and res.reason.startswith("timed out")
    monkeypatch.setattr(worker, "COMMAND", None)
    monkeypatch.setattr(worker, "STARTUP", 30.0)
    assert import_file(ws, str(path)).status == "imported"
    with ws.session() as s:
        assert len(s.exec(select(Document)).all()) == 1


def test_import_can_be_cancelled(ws, tmp_path):
    path = _pdf(tmp_path)
    res = import_file(ws, str(path), cancelled=lambda: True)
    assert res.status == "failed" and res.reason == "cancelled"
    with ws.session() as s:
        assert s.exec(select(Page)).all() == []


def test_docx_witness_statement_imports_paragraph_by_paragraph(ws, tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("WITNESS STATEMENT OF JOANNE SMITH")
    d.add_paragraph("I was a ward sister on ward 11 from 2005.")
    d.add_page_break()
    d.add_paragraph("Staffing at night was never enough.")
    path = tmp_path / "WIT0000001 statement.docx"
    d.save(str(path))
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    with ws.session() as s:
        doc = s.get(Document, res.document_id)
        lines = s.exec(select(Line).where(Line.document_id == doc.id).order_by(Line.seq)).all()
    assert (doc.kind, doc.urn, doc.source_format) == ("witness statement", "WIT0000001", "docx")
    assert [ln.text for ln in lines][-1] == "Staffing at night was never enough."
    assert lines[-1].tpage == 2 and lines[-1].line == 1
