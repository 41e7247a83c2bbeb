"""Which copied pages the fast marking path takes, read two ways."""

import pymupdf
import pytest

from annotator.core.export import marks
from annotator.core.export.pdfraw import Raw


def _page(doc, body: str, stream: bool = True) -> int:
    """A page object from its dictionary text (`{c}` names a new content stream)."""
    c = doc.get_new_xref()
    doc.update_object(c, "<<>>")
    doc.update_stream(c, b"0 0 m 10 10 l S")
    doc.new_page()
    xref = doc[-1].xref
    parent = doc.xref_get_key(xref, "Parent")[1]
    doc.update_object(xref, "<</Type/Page/Parent " + parent + body.format(c=c) + ">>")
    return xref, c


CASES = [  # (page dictionary, what geometry gives: None, or (w, h) and the contents)
    ("/MediaBox[0 0 595 842]/Resources<<>>/Contents {c} 0 R", (595, 842, "c")),
    (
        "/MediaBox[0 0 612 792]/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>"
        "/Contents[{c} 0 R]",
        (612, 792, "c"),
    ),
    (
        "/MediaBox[0 0 595.5 842]/CropBox[0 0 595.5 842]/Rotate 0/Resources<<>>/Contents[{c} 0 R {c} 0 R]",
        (595.5, 842, "cc"),
    ),
    ("/MediaBox[0 0 595 842]/Rotate 90/Resources<<>>/Contents {c} 0 R", None),
    ("/MediaBox[0 0 595 842]/Rotate -360/Resources<<>>/Contents {c} 0 R", (595, 842, "c")),
    ("/MediaBox[10 0 595 842]/Resources<<>>/Contents {c} 0 R", None),
    ("/MediaBox[0 0 595 842]/CropBox[0 20 595 842]/Resources<<>>/Contents {c} 0 R", None),
    ("/MediaBox[0 0 595 842]/Contents {c} 0 R", None),  # inherited or missing resources
    ("/MediaBox[0 0 595 842]/Resources<<>>", None),  # no contents
    ("/MediaBox[0 0 595 842]/Resources<<>>/Contents {c} 0 R/Annots[]", None),
    (
        "/MediaBox[0 0 595 842]/Resources<<>>/Contents {c} 0 R/PieceInfo<</X<</LastModified(D:2020)>>>>",
        (595, 842, "c"),
    ),
]


@pytest.mark.parametrize("body,expected", CASES)
def test_geometry_reads_page_dictionaries(body, expected):
    doc = pymupdf.open()
    res = doc.get_new_xref()
    doc.update_object(res, "<</Font<<>>>>")
    # the same page with its resources as an object of their own (read from the printed form)
    # and as a nested dictionary (read key by key): both must agree
    for text in (body.replace("/Resources<<>>", f"/Resources {res} 0 R"), body):
        xref, c = _page(doc, text)
        raw = Raw(doc)
        got = marks.geometry(raw, xref)
        if expected is None:
            assert got is None, text
        else:
            w, h, streams = expected
            assert got == (w, h, [c] * len(streams)), text


def test_contents_naming_an_array_of_streams_take_the_general_path():
    doc = pymupdf.open()
    xref, c = _page(doc, "/MediaBox[0 0 595 842]/Resources<<>>")
    arr = doc.get_new_xref()
    doc.update_object(arr, f"[{c} 0 R]")
    res = doc.get_new_xref()
    doc.update_object(res, "<<>>")
    doc.xref_set_key(xref, "Resources", f"{res} 0 R")
    doc.xref_set_key(xref, "Contents", f"{arr} 0 R")
    assert marks.geometry(Raw(doc), xref) is None


def test_a_copied_page_keeps_its_own_resource_names(ws, tmp_path):
    """Our stamp fonts and highlight state are added beside the original's resources,
    never over them, whatever the original named its own."""
    from sqlmodel import select

    from annotator.core.evidence import anchors, tagging
    from annotator.core.export import Selection, export
    from annotator.core.ingest import import_file
    from annotator.core.store.models import Page

    src = pymupdf.open()
    src.new_page()
    page = src[0]
    font = src.get_new_xref()
    src.update_object(font, "<</Type/Font/Subtype/Type1/BaseFont/Courier>>")
    used = "/An0 /An1 /AnHi /AnnotatorSan /F1"  # names of ours, old and new, and near them
    names = "".join(f"{n} {font} 0 R" for n in used.split())
    res = src.get_new_xref()
    src.update_object(res, f"<</Font<<{names}>>/ExtGState<</AnHi<</CA 1>>>>>>")
    src.xref_set_key(page.xref, "Resources", f"{res} 0 R")
    lines = [
        f"BT {n} 12 Tf 72 {720 - 20 * k} Td (Words of the original {k}) Tj ET"
        for k, n in enumerate(used.split())
    ]
    src.xref_set_key(page.xref, "Contents", f"{_stream(src, chr(10).join(lines))} 0 R")
    path = tmp_path / "named.pdf"
    src.save(path)
    r = import_file(ws, str(path))
    assert r.status == "imported"
    with ws.session() as s:
        text = s.exec(select(Page.text).where(Page.document_id == r.document_id)).first()
        a = text.index("Words of the original 2")
        tagging.tag(ws, r.document_id, anchors.resolve(s, r.document_id, 0, a, 0, a + 23), [1])
    report = export(ws, Selection(source_pages=True), str(tmp_path / "out.pdf"))
    with pymupdf.open(report.path) as doc:
        first = next(p for _l, t, p in doc.get_toc() if t.startswith("Source pages")) - 1
        copied = doc[first]
        spans = [
            s for b in copied.get_text("dict")["blocks"] for ln in b.get("lines", []) for s in ln["spans"]
        ]
        originals = [s for s in spans if s["text"].startswith("Words of the original")]
        assert len(originals) == 5 and {s["font"] for s in originals} == {"Courier"}
        assert any(s["font"].startswith("Helvetica") for s in spans)  # the stamp, in our own font


def _stream(doc, text: str) -> int:
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, text.encode())
    return xref


@pytest.mark.slow
def test_awkward_corpus_pdfs_export_with_their_pages_intact(ws, tmp_path):
    """Every corpus PDF that imports, tagged on its first pages, exported with source
    pages: the bundle is written, every page renders, each copied page still carries
    its original's text, and both marking paths are taken."""
    import re

    from sqlmodel import select

    from annotator.core.evidence import anchors, tagging
    from annotator.core.export import Selection, export, sources
    from annotator.core.ingest import import_file
    from annotator.core.store.models import Page
    from helpers import CORPUS

    def norm(text):
        return " ".join(re.sub(r"\s+", " ", text).split())

    originals = []
    for path in sorted((CORPUS / "pdf-corpus").rglob("*.pdf")):
        res = import_file(ws, str(path))
        if res.status != "imported":
            continue
        with ws.session() as s:
            pages = s.exec(select(Page).where(Page.document_id == res.document_id, Page.index < 2)).all()
            for pg in pages:
                words = pg.text.split()
                if len(words) < 8:
                    continue
                a = pg.text.index(words[0])
                b = pg.text.index(words[2], a) + len(words[2])
                tagging.tag(
                    ws,
                    res.document_id,
                    anchors.resolve(s, res.document_id, pg.index, a, pg.index, b),
                    [1 + pg.index],
                )
                with pymupdf.open(path) as original:  # its text as extracted from the page itself
                    originals.append((path.name, " ".join(norm(original[pg.index].get_text()).split()[:8])))
    assert len(originals) >= 40
    general = []
    decorate = sources.decorate
    sources.decorate = lambda *a, **k: general.append(1) or decorate(*a, **k)
    try:
        report = export(ws, Selection(source_pages=True), str(tmp_path / "corpus.pdf"))
    finally:
        sources.decorate = decorate
    with pymupdf.open(report.path) as doc:
        texts = []
        for page in doc:
            page.get_pixmap(dpi=10)  # renders
            texts.append(norm(page.get_text()))
    everything = "\n".join(texts)
    missing = [name for name, words in originals if words not in everything]
    assert not missing, missing
    assert general and len(general) < report.source_pages  # some pages need the general path, most not


def test_raw_puts_edit_old_and_new_objects_in_one_flush():
    doc = pymupdf.open()
    old = doc.get_new_xref()
    doc.update_object(old, "<</Kind/Old>>")
    raw = Raw(doc)
    new = raw.later("<</Kind/New>>")
    raw.put(old, "Resources/Font/F1", f"{new} 0 R")  # a path: the missing dictionaries are made
    raw.put(new, "Extra", "[1 2 3]")  # an object written in the same flush
    raw.flush()
    assert doc.xref_object(old, compressed=True) == f"<</Kind/Old/Resources<</Font<</F1 {new} 0 R>>>>>>"
    assert doc.xref_object(new, compressed=True) == "<</Kind/New/Extra[1 2 3]>>"
