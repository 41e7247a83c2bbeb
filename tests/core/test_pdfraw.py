"""core/export/pdfraw.py is the one module calling MuPDF below PyMuPDF's public API.

A smoke test that every such call still exists in the installed PyMuPDF, and a
differential test for each fast path there: the same work done the plain PyMuPDF
way must give the same PDF objects, page geometry and text."""

import importlib.metadata
import re
from pathlib import Path

import pymupdf
import pytest
from test_export_marks import CASES, _page

from annotator.core.export import layout, marks, pdfraw
from annotator.core.export.pdfraw import Raw

SOURCE = Path(pdfraw.__file__).read_text(encoding="utf-8")


def test_the_installed_pymupdf_has_every_low_level_call_we_make():
    version = importlib.metadata.version("pymupdf-lite")
    assert version.split(".")[:2] == ["2", "0"], f"pdfraw is checked against pymupdf-lite 2.0, not {version}"
    names = set(re.findall(r"\bmupdf\.(\w+)", SOURCE)) - {"m_internal"}
    assert len(names) > 20
    missing = sorted(n for n in names if not hasattr(pymupdf.mupdf, n))
    assert not missing, f"this PyMuPDF lacks {missing}"
    assert callable(pymupdf._as_pdf_document)
    for module in Path(pdfraw.__file__).parents[1].rglob("*.py"):  # nowhere else in the core
        if module.name != "pdfraw.py":
            text = module.read_text(encoding="utf-8")
            assert not re.search(r"\bmupdf\.|JM_|_as_pdf_document|TOOLS\._", text), module


def _plain_write(doc, objects: list[tuple[str, bytes | None]], puts) -> list[int]:
    xrefs = []
    for src, data in objects:
        x = doc.get_new_xref()
        doc.update_object(x, src)
        if data is not None:
            doc.update_stream(x, data)
        xrefs.append(x)
    for x, key, value in puts(xrefs):
        doc.xref_set_key(x, key, value)
    return xrefs


def _raw_write(doc, objects, puts) -> list[int]:
    raw = Raw(doc)
    xrefs = [raw.later(src, data) for src, data in objects]
    for x, key, value in puts(xrefs):
        raw.put(x, key, value)
    raw.flush()
    return xrefs


def test_raw_writes_the_objects_plain_pymupdf_writes():
    objects = [
        ("<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>", None),
        ("[1 2 3 (a \\(b\\))]", None),
        ("<<>>", b"q 0 0 1 rg 10 10 50 50 re f Q"),  # a short stream, stored as it is
        ("<</Length 0>>", ("BT /F1 10 Tf (" + "x" * 900 + ") Tj ET").encode()),  # deflated
    ]
    docs = []
    for write in (_plain_write, _raw_write):
        doc = pymupdf.open()
        doc.new_page()
        page = doc[0].xref
        xrefs = write(
            doc,
            objects,
            lambda xs, page=page: [(xs[0], "Widths/Extra/Deep", "[1 2]"), (page, "Rotate", "90")],
        )
        docs.append((doc, xrefs, page))
    (plain, px, pp), (ours, ox, op) = docs
    assert px == ox and pp == op
    for a, b in zip(px, ox, strict=True):
        assert plain.xref_is_stream(a) == ours.xref_is_stream(b)
        if plain.xref_is_stream(a):
            assert plain.xref_stream(a) == ours.xref_stream(b)
        else:
            assert plain.xref_object(a, compressed=True) == ours.xref_object(b, compressed=True)
    assert plain.xref_get_key(pp, "Rotate") == ours.xref_get_key(op, "Rotate") == ("int", "90")
    assert plain.tobytes(garbage=1) and ours.tobytes(garbage=1)  # both save


def _plain_geometry(doc, xref):
    """What the fast paths decide, read through PyMuPDF's public calls only."""
    get = lambda key: doc.xref_get_key(xref, key)  # noqa: E731
    if int(get("Rotate")[1] if get("Rotate")[0] == "int" else 0) % 360 or get("Annots")[0] != "null":
        return None
    box = lambda key: [float(v) for v in get(key)[1].strip("[]").split()] if get(key)[0] == "array" else None  # noqa: E731
    media, crop = box("MediaBox"), box("CropBox")
    if not media or media[:2] != [0, 0] or (crop is not None and crop != media):
        return None
    if get("Resources")[0] not in ("dict", "xref"):
        return None
    kind, value = get("Contents")
    if kind == "array":
        streams = [int(n) for n in re.findall(r"(\d+) 0 R", value)]
    elif kind == "xref" and doc.xref_is_stream(int(value.split()[0])):
        streams = [int(value.split()[0])]
    else:
        return None
    return media[2], media[3], streams


@pytest.mark.parametrize("body,_expected", CASES)
def test_both_geometry_fast_paths_agree_with_plain_pymupdf(body, _expected):
    doc = pymupdf.open()
    res = doc.get_new_xref()
    doc.update_object(res, "<</Font<<>>>>")
    for text in (body.replace("/Resources<<>>", f"/Resources {res} 0 R"), body):
        xref, _c = _page(doc, text)
        raw = Raw(doc)
        plain = _plain_geometry(doc, xref)
        assert raw.page_geometry(xref) == plain, text  # key by key through MuPDF
        assert marks.geometry(raw, xref) == plain, text  # from the printed page (or key by key)


def test_show_string_places_text_where_textwriter_append_does():
    text = "Łukasz Wójcik: “the ward was short of nurses” — 12:3"
    words = []
    for fast in (True, False):
        doc = pymupdf.open()
        page = doc.new_page(width=595, height=842)
        for key in ("sans", "serif-bold", "mono"):
            tw = pymupdf.TextWriter(page.rect)
            y = {"sans": 100, "serif-bold": 200, "mono": 300}[key]
            if fast:
                layout._show(tw, 50, y, text, key, 11)
            else:
                tw.append((50, y), text, font=layout.font(key), fontsize=11)
            tw.write_text(page)
        words.append(pymupdf.open("pdf", doc.tobytes())[0].get_text("words"))
    fast, plain = words
    assert [w[4] for w in fast] == [w[4] for w in plain] and len(fast) > 20
    for a, b in zip(fast, plain, strict=True):
        assert a[:4] == pytest.approx(b[:4], abs=0.01)
