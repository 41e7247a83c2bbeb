"""The evidence bundle PDF, checked by opening it with PyMuPDF."""

import hashlib
import re

import pymupdf
import pytest
from sqlmodel import select

from annotator.core.evidence import passages as passage_views
from annotator.core.evidence import tagging, themes
from annotator.core.export import ExportCancelled, Selection, export
from annotator.core.export.extracts import QUOTE_X
from annotator.core.export.layout import BOTTOM, RIGHT, TOP, hex_rgb
from annotator.core.export.safety import MARKERS
from annotator.core.store.models import Blob, Document


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def stamp_text(page) -> str:
    r = page.rect
    clip = pymupdf.Rect(r.x1 - 150, r.y1 - 26, r.x1 - 30, r.y1 - 10) * page.derotation_matrix
    return norm(page.get_text(clip=clip))


def highlights(page) -> list[tuple[tuple, pymupdf.Rect]]:
    """(colour, rect) of the highlight fills painted on a page (45 % opacity)."""
    return [
        (tuple(round(c, 2) for c in d["fill"]), d["rect"])
        for d in page.get_drawings()
        if d.get("fill") and abs((d.get("fill_opacity") or 1) - 0.45) < 0.01
    ]


def live_views(ws):
    with ws.session() as s:
        return passage_views.views(s)


@pytest.fixture
def bundle(demo_ws, tmp_path):
    report = export(
        demo_ws, Selection(source_pages=True, title="Clinical leadership", letter="C"), str(tmp_path)
    )
    doc = pymupdf.open(report.path)
    yield demo_ws, report, doc
    doc.close()


def test_name_pages_labels_and_stamps(bundle):
    _ws, report, doc = bundle
    assert report.path.endswith(
        "Mid Staffordshire NHS FT Public Inquiry - Clinical leadership - Bundle C.pdf"
    )
    assert doc.page_count == report.pages
    assert report.passages == 13 and report.source_pages == 4
    for page in doc:
        assert page.get_label() == str(page.number + 1)
        assert stamp_text(page) == page.get_label(), f"page {page.number + 1}"
        assert norm(page.get_text()), "every page has a text layer"


def _targets(doc, page_no):
    for link in doc[page_no].get_links():
        if link.get("kind") == pymupdf.LINK_GOTO:
            under = norm(doc[page_no].get_text(clip=link["from"] + (0, 2, 0, -2)))
            yield under, link["page"], link["from"]


def test_index_rows_link_to_the_pages_holding_them(bundle):
    ws, _report, doc = bundle
    index_pages = [i for i in range(doc.page_count) if "Reference" in doc[i].get_text()]
    assert index_pages == [1]
    cites = {v.citation for v in live_views(ws)}
    seen, rows = set(), 0
    for under, target, _rect in _targets(doc, 1):  # each row is one link, number to pages
        rows += 1
        body = norm(doc[target].get_text())
        first, *_, pages = under.split()
        assert doc[target].get_label() == pages.split("–")[0]  # the page column names the page it opens
        cited = [c for c in cites if under.startswith(f"{first} {c} ")]
        if cited:  # a passage row (number, citation, quote) opens the page with that extract
            assert len(cited) == 1 and cited[0] in body, under
            seen.add(cited[0])
        elif first == "Tab":
            assert all(word in body.split() for word in under.split()[:-1])
        elif first.isdigit():
            assert f"Item {first}" in body
    assert seen == cites
    titles = [t for _l, t, _p in doc.get_toc()]
    body_entries = (
        titles.index(next(t for t in titles if t.startswith("Source pages"))) - 1
    )  # tabs, items, passages
    assert rows == body_entries + 2  # and the rows for the source pages and the appendix


def test_cross_references_link_to_the_cited_passage(bundle):
    ws, _report, doc = bundle
    by_id = {v.id: v for v in live_views(ws)}
    refs = 0
    for i in range(doc.page_count):
        for under, target, _rect in _targets(doc, i):
            m = re.search(r"\{(.+?)\} — see item (\d+), p\. (\d+)", under)
            if not m:
                continue
            refs += 1
            assert doc[target].get_label() == m.group(3)
            assert m.group(1) in norm(doc[target].get_text())
            assert f"Item {m.group(2)}" in " ".join(norm(doc[p].get_text()) for p in range(2, target + 1))
    assert refs >= 6  # 3 links, printed at both ends (some twice where a passage has two themes)
    assert all(v.links for v in by_id.values() if v.links) and refs


def test_outline_levels_and_labels(bundle):
    _ws, _report, doc = bundle
    toc = doc.get_toc()
    levels = [lvl for lvl, _t, _p in toc]
    assert levels[0] == 1 and max(levels) == 3
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    for _lvl, title, page in toc:
        assert title.endswith(f"(p. {doc[page - 1].get_label()})"), title
    titles = [t for _l, t, _p in toc]
    assert any(t.startswith("Tab 1: Targets (p.") for t in titles)
    assert any(t.startswith("Day 45/1:9-10 (p.") for t in titles)
    assert titles[-1].startswith("Provenance of the source documents")


def test_each_quote_verbatim_with_its_citation(bundle):
    ws, _report, doc = bundle
    toc = doc.get_toc()
    first_source = next(p for _l, t, p in toc if t.startswith("Source pages")) - 1
    body = " ".join(
        doc[i].get_text(clip=pymupdf.Rect(QUOTE_X - 1, TOP - 1, RIGHT + 1, BOTTOM + 1))
        for i in range(2, first_source)
    )
    full = norm(" ".join(doc[i].get_text() for i in range(2, first_source)))
    for v in live_views(ws):
        assert norm(v.quote) in norm(body), v.quote
        assert v.citation in full


def test_provenance_hashes_equal_the_originals(bundle):
    ws, _report, doc = bundle
    text = norm(doc[-1].get_text())
    assert "Provenance" in text
    with ws.session() as s:
        for d in s.exec(select(Document)):
            blob = s.get(Blob, d.sha256)
            assert hashlib.sha256(blob.data).hexdigest() == d.sha256
            assert d.sha256 in text


def test_no_active_content(bundle):
    _ws, _report, doc = bundle
    for xref in range(1, doc.xref_length()):
        obj = doc.xref_object(xref, compressed=True)
        assert not any(m in obj for m in MARKERS), obj[:200]
    assert doc.embfile_count() == 0


def test_source_pages_are_real_and_highlighted(bundle):
    _ws, _report, doc = bundle
    toc = doc.get_toc()
    first = next(p for _l, t, p in toc if t.startswith("Source pages")) - 1
    page = doc[first]
    assert "Page 1" in page.get_text()  # the transcript's own page header, copied as is
    with _ws.session() as s:
        colours = {tuple(round(c, 2) for c in hex_rgb(t.colour)) for t in themes.all_themes(s)} | {
            (1, 0.85, 0.2)
        }
    fills = highlights(page)
    assert len(fills) >= 4 and {c for c, _r in fills} <= colours
    for _colour, rect in fills:  # painted over words of the page, which stay extractable
        assert norm(page.get_text(clip=rect)), rect
    assert not any(a.type[1] == "Highlight" for a in page.annots())  # painted, not annotations
    back = [ln for ln in page.get_links() if ln.get("kind") == pymupdf.LINK_GOTO]
    assert back and all(ln["page"] < first for ln in back)


def test_no_notes_means_no_note_text(demo_ws, tmp_path):
    notes = [v.note for v in live_views(demo_ws) if v.note.strip()]
    assert notes
    report = export(demo_ws, Selection(notes=False), str(tmp_path / "b.pdf"))
    with pymupdf.open(report.path) as doc:
        text = norm(" ".join(p.get_text() for p in doc))
    assert "Note by" not in text
    for n in notes:
        assert norm(n) not in text


def test_redacted_text_cannot_be_extracted(demo_ws, tmp_path):
    v = next(v for v in live_views(demo_ws) if "dysfunctional" in v.quote)
    tagging.set_flags(demo_ws, v.id, redact=True)
    # only the transcript: the press report words it the same way, unredacted
    report = export(demo_ws, Selection(source_pages=True, documents=[v.document_id]), str(tmp_path / "r.pdf"))
    with pymupdf.open(report.path) as doc:
        text = norm(" ".join(p.get_text() for p in doc))
        streams = {doc.xref_stream(x) for x in range(1, doc.xref_length()) if doc.xref_is_stream(x)}
    assert "dysfunctional" not in text
    assert v.citation in text  # the reference stays
    # nor is the redacted page's old content anywhere in the file (left unused, say)
    with demo_ws.session() as s:
        original = s.get(Blob, s.get(Document, v.document_id).sha256).data
        pages = {p.start_page for p in live_views(demo_ws) if p.document_id == v.document_id}
    with pymupdf.open(stream=original, filetype="pdf") as doc:
        old = {x: doc.xref_stream(x) for p in pages for x in doc[p].get_contents()}
        redacted = set(doc[v.start_page].get_contents())
    assert any(data in streams for x, data in old.items() if x not in redacted)  # copied pages: found
    assert not any(old[x] in streams for x in redacted)


def test_link_report_names_excluded_and_deleted_passages(demo_ws, tmp_path):
    with demo_ws.session() as s:
        safety = themes.find(s, "Safety").id
    report = export(demo_ws, Selection(themes=[safety]), str(tmp_path / "s.pdf"))
    assert report.unresolved and all(u["reason"].endswith("not in this selection") for u in report.unresolved)
    with pymupdf.open(report.path) as doc:
        text = norm(" ".join(p.get_text() for p in doc))
    for u in report.unresolved:
        assert f"{u['other']} (not in this bundle)" in text
    victim = report.unresolved[0]["other_id"]
    tagging.delete_passage(demo_ws, victim)
    report = export(demo_ws, Selection(), str(tmp_path / "all.pdf"))
    assert any(u["other_id"] == victim and "deleted" in u["reason"] for u in report.unresolved)


@pytest.mark.parametrize("scheme,letter", [("prefix", "C"), ("tab", "")])
def test_other_numbering_schemes_stamp_their_labels(demo_ws, tmp_path, scheme, letter):
    report = export(demo_ws, Selection(numbering=scheme, letter=letter), str(tmp_path / f"{scheme}.pdf"))
    with pymupdf.open(report.path) as doc:
        labels = [p.get_label() for p in doc]
        assert [stamp_text(p) for p in doc] == labels
    assert len(set(labels)) == len(labels)
    assert labels[0] == ("C1" if scheme == "prefix" else "0-1")


def test_existing_file_is_kept_and_cancel_leaves_nothing(demo_ws, tmp_path):
    from annotator.core.export.naming import FileExists

    target = tmp_path / "out.pdf"
    target.write_bytes(b"keep me")
    with pytest.raises(FileExists):
        export(demo_ws, Selection(), str(target))
    assert target.read_bytes() == b"keep me"
    export(demo_ws, Selection(), str(target), overwrite=True)
    assert target.read_bytes().startswith(b"%PDF")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(ExportCancelled):
        export(demo_ws, Selection(), str(tmp_path / "never.pdf"), cancelled=lambda: True)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_file_names_have_no_windows_forbidden_characters():
    from annotator.core.export.naming import bundle_name

    name = bundle_name('Inquiry: "A/B"?', "Safety*<1>|", "C")
    assert not set('<>:"/\\|?*') & set(name)
    assert name.endswith(" - Bundle C.pdf")
    assert bundle_name("", "CON", "", "csv") == "_CON.csv"


def test_rotated_and_landscape_pages_keep_their_shape(ws, tmp_path):
    from annotator.core.evidence import anchors
    from annotator.core.ingest import import_file
    from helpers import CORPUS

    r = import_file(ws, str(CORPUS / "pdf-corpus" / "rotated" / "PyMuPDF__test-2812.pdf"))
    assert r.status == "imported"
    with pymupdf.open(CORPUS / "pdf-corpus" / "rotated" / "PyMuPDF__test-2812.pdf") as src:
        shapes = [(p.rotation, p.rect.width > p.rect.height) for p in src]
    from annotator.core.store.models import Page

    with ws.session() as s:
        texts = [
            pg.text
            for pg in s.exec(select(Page).where(Page.document_id == r.document_id).order_by(Page.index))
        ]
        pieces = []
        for idx, text in enumerate(texts):  # one passage on each page; the second is redacted
            word = "cell[2][4]" if idx == 1 else text.split()[0]
            a = text.index(word)
            pieces.append(anchors.resolve(s, r.document_id, idx, a, idx, a + len(word)))
    for k, a in enumerate(pieces):
        pid = tagging.tag(ws, r.document_id, a, [1]).result
        if k == 1:
            tagging.set_flags(ws, pid, redact=True)
    report = export(ws, Selection(source_pages=True), str(tmp_path / "rot.pdf"))
    with pymupdf.open(report.path) as doc:
        first = next(p for _l, t, p in doc.get_toc() if t.startswith("Source pages")) - 1
        copied = [doc[i] for i in range(first, first + 4)]
        for k, (page, (rotation, landscape)) in enumerate(zip(copied, shapes, strict=False)):
            assert page.rotation == rotation
            assert (page.rect.width > page.rect.height) == landscape
            assert stamp_text(page) == page.get_label()
            fills = [r for _c, r in highlights(page)]
            if k == 1:
                assert not fills  # the redacted passage is not highlighted
                continue
            word = pymupdf.Rect(next(w[:4] for w in page.get_text("words") if w[4] == texts[k].split()[0]))
            assert any(abs(r & word) > 0.8 * abs(word) for r in fills), (k, rotation, word, fills)
        second = copied[1].get_text()
        assert "cell[2][4]" not in second  # redacted for real
        assert "cell[1][4]" in second and "cell[3][4]" in second


def test_text_outside_and_inside_winansi_is_extracted_verbatim(demo_ws, tmp_path):
    # pages in WinAnsi use the standard fonts; any other character sends the page
    # through MuPDF's embedded fonts: both must give back exactly what was written
    views = live_views(demo_ws)
    western = "“Quoted” — £5 for the café’s naïve œuvre… (see p. 3) C:\\notes"
    other = "Zażółć gęślą jaźń; Ωμέγα; Дело"
    tagging.set_note(demo_ws, views[0].id, western)
    tagging.set_note(demo_ws, views[-1].id, other)
    tagging.set_note(demo_ws, views[1].id, "plain (bracketed) back\\slash")
    report = export(demo_ws, Selection(), str(tmp_path / "u.pdf"))
    with pymupdf.open(report.path) as doc:
        text = norm(" ".join(p.get_text() for p in doc))
        kinds = {}  # font types of the page that holds each note
        for p in doc:
            for note in (western, other, "plain (bracketed)"):
                if note in norm(p.get_text()):
                    kinds[note] = {f[2] for f in p.get_fonts()}
    assert western in text and other in text and "plain (bracketed) back\\slash" in text
    assert kinds[western] == kinds["plain (bracketed)"] == {"Type1"}  # the standard fonts
    assert "Type0" in kinds[other]  # embedded fonts for the rest
