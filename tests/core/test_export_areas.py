"""Areas in exports: the cropped picture on the extract page, the rectangle on the source
page, the rectangle in the tables."""

import csv

import pymupdf
import pytest

from annotator.core.evidence import tagging
from annotator.core.export import Selection, export
from annotator.core.ingest import import_file

PHOTO = pymupdf.Rect(100, 300, 400, 500)  # a 3:2 "photograph" on page 2 of the exhibit
CAPTION = pymupdf.Rect(100, 520, 400, 560)


def _exhibit(path) -> None:
    """A two-page exhibit made here: text, and on page 2 a picture (a red left half and a
    blue right half) with a caption under it."""
    doc = pymupdf.open()
    for k in range(2):
        page = doc.new_page()
        page.insert_text((72, 90), f"Exhibit page {k + 1}: ward plan and photographs.", fontsize=12)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 300, 200), False)
    pix.set_rect(pix.irect, (20, 60, 200))
    pix.set_rect(pymupdf.IRect(0, 0, 150, 200), (210, 30, 30))
    doc[1].insert_image(PHOTO, pixmap=pix)
    doc[1].insert_text((CAPTION.x0, CAPTION.y0 + 20), "Ward 7 corridor, March 2009", fontsize=11)
    doc.save(path)


@pytest.fixture
def exhibit(demo_ws, tmp_path):
    path = tmp_path / "exhibit.pdf"
    _exhibit(str(path))
    doc_id = import_file(demo_ws, str(path), kind="exhibit", urn="EXH0000007").document_id
    return demo_ws, doc_id


def _extract_page(doc, citation: str):
    return next(p for p in doc if citation in p.get_text() and p.get_images())


def test_the_bundle_shows_the_cropped_area_and_the_rectangle_on_its_page(exhibit, tmp_path):
    ws, doc_id = exhibit
    pid = tagging.tag_area(ws, doc_id, 1, tuple(PHOTO), [4], note="The corridor", label="photograph").result
    report = export(ws, Selection(documents=[doc_id], source_pages=True), str(tmp_path / "b.pdf"))
    with pymupdf.open(report.path) as doc:
        page = _extract_page(doc, "{EXH0000007/2}, area")
        assert "The corridor" in page.get_text() and "[Area on page 2: photograph]" in page.get_text()
        [info] = page.get_image_info(xrefs=True)
        box = pymupdf.Rect(info["bbox"])
        assert abs(box.width / box.height - PHOTO.width / PHOTO.height) < 0.02
        assert info["width"] >= PHOTO.width * 200 / 72 - 2  # rendered at 200 dpi
        pix = pymupdf.Pixmap(doc, info["xref"])
        left = pix.pixel(pix.width // 4, pix.height // 2)
        right = pix.pixel(3 * pix.width // 4, pix.height // 2)
        assert left[0] > 150 and left[2] < 90 and right[2] > 150 and right[0] < 90  # the same picture
        # on the copied source page: the rectangle outlined in the theme's colour
        src = next(p for p in doc if "Exhibit page 2" in p.get_text() and p.number != page.number)
        strokes = [d for d in src.get_drawings() if d.get("color") and d["rect"].width > 250]
        assert any(abs(d["rect"].x0 - PHOTO.x0) < 2 and abs(d["rect"].y0 - PHOTO.y0) < 2 for d in strokes)
    assert pid


def test_a_redacted_passage_inside_an_area_is_blacked_out_in_the_picture(exhibit, tmp_path):
    ws, doc_id = exhibit
    tagging.tag_area(ws, doc_id, 1, (PHOTO.x0, PHOTO.y0, PHOTO.x1, CAPTION.y1), [4])
    with ws.engine.connect() as conn:
        text = conn.exec_driver_sql(
            f'SELECT text FROM page WHERE document_id = {doc_id} AND "index" = 1'
        ).scalar()
    at = text.index("Ward 7 corridor")
    tagging.tag(ws, doc_id, None, [4], start=(1, at), end=(1, at + len("Ward 7 corridor")), redact=True)
    report = export(ws, Selection(documents=[doc_id]), str(tmp_path / "r.pdf"))
    with pymupdf.open(report.path) as doc:
        page = _extract_page(doc, "{EXH0000007/2}, area")
        assert "Ward 7 corridor" not in "".join(p.get_text() for p in doc)
        [info] = page.get_image_info(xrefs=True)
        pix = pymupdf.Pixmap(doc, info["xref"])
        scale = pix.height / (CAPTION.y1 - PHOTO.y0)
        y = int((CAPTION.y0 + 12 - PHOTO.y0) * scale)  # the caption's line, in the picture
        dark = sum(1 for x in range(0, pix.width // 2, 4) if sum(pix.pixel(x, y)) < 60)
        assert dark > pix.width // 16  # a black bar where its words were
    report = export(ws, Selection(documents=[doc_id]), str(tmp_path / "r.csv"), fmt="csv")
    with open(report.path, encoding="utf-8-sig") as fh:
        assert "Ward 7 corridor" not in fh.read()


def test_tables_carry_the_rectangle(exhibit, tmp_path):
    ws, doc_id = exhibit
    tagging.tag_area(ws, doc_id, 1, tuple(PHOTO), [4], label="photograph")
    report = export(ws, Selection(documents=[doc_id]), str(tmp_path / "t.csv"), fmt="csv")
    with open(report.path, encoding="utf-8-sig") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["Area"] == "page 2: 100,300-400,500 pt" and row["Citation"] == "{EXH0000007/2}, area"
