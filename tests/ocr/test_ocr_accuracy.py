"""OCR of scanned transcripts: page:line and words recovered, searchable and taggable."""

import pytest
from scans import accuracy, scan, transcript

from annotator.core.evidence import anchors, tagging
from annotator.core.ingest import import_file
from annotator.core.library import documents
from annotator.core.ocr import pages, run
from annotator.core.search import search


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    from annotator.core.store.workspace import Workspace

    tmp = tmp_path_factory.mktemp("ocr")
    truth = transcript(pages=4)
    path = tmp / "Day 12 scanned.pdf"
    path.write_bytes(scan(truth))
    ws = Workspace.create(str(tmp / "w.annot"), title="OCR")
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    assert res.ocr_pages == 4 and "OCR" in res.note
    result = run.run(ws, [res.document_id])
    yield ws, res.document_id, truth, result
    ws.close()


def test_numbered_lines_and_words_are_recovered(scanned):
    ws, doc, truth, result = scanned
    assert result.documents == [{"document": doc, "done": 4, "failed": 0, "reasons": {}}]
    with ws.session() as s:
        d = documents.find(s, doc)
        stored = documents.lines(s, doc)
    assert d.kind == "transcript" and d.day == 12 and d.has_text
    score = accuracy(truth, stored)
    print(f"\nOCR accuracy on {score['n_lines']} numbered lines (pages skewed up to 2 degrees): {score}")
    assert score["lines"] >= 0.97
    assert score["words"] >= 0.95
    assert pages.status(ws, doc) == {"pending": 0, "done": 4, "failed": 0}


def test_recognised_words_are_searched_and_tagged_like_others(scanned):
    ws, doc, _truth, _result = scanned
    hits = search(ws, '"standing item"').hits
    assert hits and all(h.document_id == doc for h in hits)
    with ws.session() as s:
        a = anchors.from_quote(s, doc, "Targets were a standing item")
        words = pages.words_of(s, doc, a.start_page)
    assert a.tpage_from is not None and a.line_from is not None
    pid = tagging.tag(ws, doc, a, [], "from a scan").result
    assert pid
    inside = [w for w in words if w[6] >= a.start_char and w[7] <= a.end_char]
    assert [w[4] for w in inside][:3] == ["Targets", "were", "a"]


def test_low_confidence_words_are_found_with_ocr_low(scanned):
    ws, doc, _truth, _result = scanned
    with ws.write("test", {}) as s:  # one word made doubtful, as a misread would be
        raw = s.connection().connection.driver_connection
        raw.execute(
            "UPDATE ocr_word SET conf = 10 WHERE id = (SELECT id FROM ocr_word WHERE document_id = ? "
            "AND text = 'Mortality' ORDER BY id LIMIT 1)",
            (doc,),
        )
    res = search(ws, "ocr:low mortality")
    assert res.hits and all("ortality" in h.snippet for h in res.hits)
    assert len(search(ws, "ocr:low").hits) < len(search(ws, "mortality").hits) + 50
    assert "ocr: takes low" in " ".join(search(ws, "ocr:maybe mortality").notices)


def test_bundle_keeps_the_scan_with_the_highlight_and_searchable_text(scanned, tmp_path):
    import pymupdf

    from annotator.core.export import export
    from annotator.core.export.selection import Selection

    ws, doc, _truth, _result = scanned
    with ws.session() as s:
        a = anchors.from_quote(s, doc, "The budget was treated as a hard target")
        b = anchors.from_quote(s, doc, "Two surgeons wrote to the medical director")
    tagging.tag(ws, doc, a, [], "budget")
    tagging.tag(ws, doc, b, [], "withheld", redact=True)
    report = export(ws, Selection(source_pages=True, documents=[doc]), str(tmp_path / "scan-bundle.pdf"))
    out = pymupdf.open(report.path)
    scans = [pg for pg in out if pg.get_images()]  # the original pictures, copied
    assert scans
    found = [pg for pg in scans if pg.search_for("hard target")]
    assert found, "the scanned page's recognised words are searchable in the bundle"
    spans = [sp for sp in found[0].get_texttrace() if "hard" in "".join(chr(c[0]) for c in sp["chars"])]
    assert spans and all(sp["type"] == 3 for sp in spans), "the text layer is invisible"
    out.save(str(tmp_path / "copy.pdf"))
    assert not any(pg.search_for("medical director") for pg in scans), "redacted words stay out"
