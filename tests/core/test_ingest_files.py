"""Encodings, line ends, hostile PDFs (a reader that crashes or hangs)."""

import sys

import pytest
from sqlmodel import select

from annotator.core.ingest import import_file, text, worker
from annotator.core.store.models import Document, Line, Page

SAMPLE = "Q.  Did the board know?\nA.  It did — “in full”, café.\n"


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b""),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-le", b""),
        ("cp1252", b""),
    ],
)
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


def _long_pdf(tmp_path, pages=60):
    """A transcript PDF of more pages than one batch from the reader."""
    from annotator.core import samples

    turns = [
        ["MR KARK", f"Question {i} about the staffing rota and the night shifts."] for i in range(pages * 12)
    ]
    path = tmp_path / "long.pdf"
    path.write_bytes(samples.to_pdf(samples.layout(turns, 2, "W", "C"), "Inquiry", "2011-05-13"))
    return path


def _stored(ws) -> tuple[list, list, list]:
    with ws.session() as s:
        return (s.exec(select(Document)).all(), s.exec(select(Page)).all(), s.exec(select(Line)).all())


def test_import_cancelled_while_pages_arrive_leaves_nothing(ws, tmp_path):
    path = _long_pdf(tmp_path)
    seen = []
    res = import_file(
        ws, str(path), progress=lambda done, total: seen.append(done), cancelled=lambda: bool(seen)
    )
    assert res.status == "failed" and res.reason == "cancelled"
    assert 0 < seen[0] < 60  # stopped after the first batch of pages
    assert _stored(ws) == ([], [], [])


def test_import_failing_while_storing_leaves_nothing(ws, tmp_path, monkeypatch):
    from annotator.core.ingest import importer

    path = _long_pdf(tmp_path)
    real = importer.parse_bytes

    def broken(*args, **kwargs):
        parsed = real(*args, **kwargs)
        parsed.values.append(("not", "a", "line"))  # the line insert fails after the pages went in
        return parsed

    monkeypatch.setattr(importer, "parse_bytes", broken)
    with pytest.raises(Exception):  # noqa: B017  (any failure; what matters is nothing stored)
        import_file(ws, str(path))
    assert _stored(ws) == ([], [], [])


def test_two_readers_store_the_same_as_one(ws, tmp_path, monkeypatch):
    """Pages from two reader processes arrive interleaved; they are worked on in page order."""
    from annotator.core.store.workspace import Workspace

    path = _long_pdf(tmp_path, pages=130)
    assert import_file(ws, str(path)).status == "imported"
    monkeypatch.setattr(worker, "parts_for", lambda data: 2)
    other = Workspace.create(str(tmp_path / "other.annot"), title="Other")
    try:
        assert import_file(other, str(path)).status == "imported"
        assert _stored(ws)[0][0].page_count > 2 * worker.BATCH  # batches from both readers
        assert _rows(ws) == _rows(other)
    finally:
        other.close()


def _rows(ws) -> tuple[list, list]:
    with ws.session() as s:
        pages = s.exec(select(Page).order_by(Page.index)).all()
        lines = s.exec(select(Line).order_by(Line.seq)).all()
    return (
        [(p.index, p.text, p.label) for p in pages],
        [
            (
                ln.page_index,
                ln.seq,
                ln.tpage,
                ln.line,
                ln.speaker,
                ln.role,
                ln.text,
                ln.char_start,
                ln.x0,
                ln.y0,
                ln.x1,
                ln.y1,
            )
            for ln in lines
        ],
    )
