"""Real public files: transcripts whose margins carry page:line numbers,
and collections of awkward and hostile files."""

import os
import time
from pathlib import Path

import pytest
from helpers import CORPUS
from margin_truth import printed_numbers
from sqlmodel import select

from annotator.core.ingest import import_file
from annotator.core.store.models import Document, Line, Page

T = CORPUS / "transcripts"
NUMBERED = sorted(
    [
        *T.glob("depositions-pdf/*.pdf"),
        *T.glob("us-district-court-hearings-pdf/*.pdf"),
        *T.glob("scotus/*"),
        *T.glob("ny-senate-hearings/*.txt"),
    ]
)
UNNUMBERED = sorted(
    [
        *T.glob("uk-post-office-horizon-inquiry/witness-statements/*"),
        *T.glob("us-district-court-text/*"),
        *T.glob("us-congress/*"),
    ]
)


def _lines(ws, doc_id):
    with ws.session() as s:
        lines = s.exec(select(Line).where(Line.document_id == doc_id).order_by(Line.seq)).all()
        pages = {p.index: p.text for p in s.exec(select(Page).where(Page.document_id == doc_id))}
    return lines, pages


def test_the_corpus_is_there():
    assert len(NUMBERED) == 14 and len(UNNUMBERED) == 4  # the .rst hearings: test_ingest_web.py


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name[:40])
def test_page_and_line_numbers_equal_those_printed_in_the_margin(ws, path):
    truth = printed_numbers(path)
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    lines, pages = _lines(ws, res.document_id)
    with ws.session() as s:
        assert s.get(Document, res.document_id).kind == "transcript"
    by_page: dict[int, list] = {}
    for ln in lines:
        assert pages[ln.page_index][ln.char_start : ln.char_end] == ln.text
        by_page.setdefault(ln.page_index, []).append(ln)
    printed = agree = same_text = 0
    for index, numbers in enumerate(truth):
        ours: dict = {}
        for ln in by_page.get(index, []):  # the numbered row, not an unnumbered row under it
            ours.setdefault((ln.tpage, ln.line), ln)
        for page, line, text in numbers:
            printed += 1
            ln = ours.get((page, line))
            if ln is None:
                continue
            agree += 1
            want = "".join(text.replace("·", "").split())[:25]
            same_text += "".join(ln.text.replace("·", "").split()).startswith(want)
    assert printed >= 25
    print(f"\n{path.name}: {agree}/{printed} page:line agree, {same_text} with the same text")
    assert agree == printed
    assert same_text >= printed * 0.97


@pytest.mark.parametrize("path", UNNUMBERED, ids=lambda p: p.name[:40])
def test_files_without_margin_numbers_import_as_text_with_speakers(ws, path):
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    lines, pages = _lines(ws, res.document_id)
    with ws.session() as s:
        assert s.get(Document, res.document_id).kind != "transcript"
    assert len(lines) > 50
    for ln in lines[:2000]:
        assert pages[ln.page_index][ln.char_start : ln.char_end] == ln.text
        assert ln.line >= 1
    if "Guo" in path.name:  # a hearing with speaker labels
        assert sum(1 for ln in lines if ln.speaker) > len(lines) * 0.3


def test_every_awkward_file_imports_or_is_refused_with_a_reason(ws, capsys):
    files = sorted(
        p for folder in ("pdf-corpus", "text-oddities") for p in (CORPUS / folder).rglob("*") if p.is_file()
    )
    assert len(files) >= 100
    counts = {"imported": 0, "refused": 0, "crashed": 0}
    reasons: dict[str, int] = {}
    started = time.monotonic()
    for path in files:
        try:
            res = import_file(ws, str(path))
        except Exception as err:  # a crash of ours: counted, then the test fails
            counts["crashed"] += 1
            print(f"CRASH {path.name}: {err!r}")
            continue
        if res.status == "imported":
            counts["imported"] += 1
        else:
            assert res.status == "failed" and res.reason, path
            assert res.reason.split(":")[0].split(" (")[0] in (
                "encrypted",
                "damaged",
                "damaged or not a PDF",
                "not a PDF",
                "the PDF has no pages",
                "the file is empty",
                "unsupported type",
                "timed out",
            ), res.reason
            counts["refused"] += 1
            key = res.reason.split(":")[0].split(" (")[0]
            reasons[key] = reasons.get(key, 0) + 1
    took = time.monotonic() - started
    with capsys.disabled():
        print(f"\ncorpus walk: {len(files)} files in {took:.1f}s: {counts}; refusals: {reasons}")
    assert counts["crashed"] == 0  # a file that hangs the reader is refused as "timed out"
    assert counts["imported"] >= 80
    assert reasons.get("encrypted") == 7


def test_image_only_pdf_is_imported_flagged_and_queued_for_ocr(ws):
    res = import_file(ws, str(CORPUS / "pdf-corpus/scanned/doctor__image-pdf.pdf"))
    assert res.status == "imported" and res.flags == ["no-text-layer"]
    assert res.ocr_pages == 2 and res.note == "2 scanned pages to recognise (OCR)"
    with ws.session() as s:
        doc = s.get(Document, res.document_id)
        assert doc.page_count == 2 and not doc.has_text


@pytest.mark.parametrize(
    "name,password",
    [
        ("pdfplumber__password-example.pdf", "test"),
        ("qpdf__enc-R2,V1,U=view,O=master.pdf", "view"),
        ("qpdf__enc-XI-R6,V5,U=view,O=master.pdf", "view"),
        ("samplefiles__libreoffice-writer-password.pdf", "openpassword"),
    ],
)
def test_encrypted_pdfs_open_with_their_password(ws, name, password):
    path = str(CORPUS / "pdf-corpus/encrypted" / name)
    first = import_file(ws, path)
    assert first.status == "failed" and first.needs_password
    assert first.reason == "encrypted: a password is needed to open it"
    wrong = import_file(ws, path, password="not-it")
    assert wrong.reason == "encrypted: the password was not accepted"
    res = import_file(ws, path, password=password)
    assert res.status == "imported", res.reason
    assert res.pages >= 1 and not res.flags


def test_the_same_file_twice_is_recognised(ws, tmp_path):
    src = T / "scotus/scotus-transcript-p1.pdf"
    copy = tmp_path / "renamed.pdf"
    copy.write_bytes(src.read_bytes())
    first = import_file(ws, str(src))
    again = import_file(ws, str(copy))
    assert again.status == "duplicate" and again.document_id == first.document_id
    with ws.session() as s:
        assert len(s.exec(select(Document)).all()) == 1


def test_files_with_odd_names_keep_them_and_urns_follow_the_workspace_pattern(ws):
    folder = T / "uk-post-office-horizon-inquiry/witness-statements"
    path = next(folder.glob("*Blair*"))
    res = import_file(ws, str(path))
    with ws.session() as s:
        doc = s.get(Document, res.document_id)
    assert doc.filename == os.path.basename(path) and "–" in doc.filename
    assert Path(path).stem == doc.title
    assert doc.urn == "WITN06080100"  # the default reads four capitals and eight digits
    ws.set("urn_pattern", r"WITN\d{8}")
    res = import_file(ws, str(next(folder.glob("*Chambers*"))))
    with ws.session() as s:
        assert s.get(Document, res.document_id).urn == "WITN00170100"
