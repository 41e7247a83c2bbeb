"""Editions: a re-issued bundle keeps every page number of the one before, checked with PyMuPDF."""

import re
import shutil

import pymupdf
import pytest

from annotator.core.evidence import tagging
from annotator.core.util.errors import InvalidInput
from annotator.core.export import Selection, export
from annotator.core.export.editions import editions
from annotator.core.store.workspace import Workspace
from helpers import run_cli

INSERTED = re.compile(r"^\d+[A-Z]+$")
LABEL = r"[A-Z]*\d+(?:-\d+)?[A-Z]*"  # 45, C45, 2-5, and inserted pages 45A, C45A, 2-5A


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def stamp(page) -> str:
    r = page.rect  # the boxed number is the rightmost word at the foot (a caption may reach in)
    words = page.get_text("words", clip=pymupdf.Rect(r.x1 - 150, r.y1 - 26, r.x1 - 30, r.y1 - 10))
    return max(words, key=lambda w: w[2])[4] if words else ""


def extracts(doc) -> dict[str, tuple[str, str]]:
    """Extract number -> (stamped page, the citation under its heading) for every extract heading."""
    out = {}
    for page in doc:
        lines = [norm(ln) for ln in page.get_text().splitlines()]
        for k, line in enumerate(lines):
            m = re.fullmatch(r"Extract (\S+)(?: · (?:withdrawn|marked important))?", line)
            if m and k + 1 < len(lines):
                out[m.group(1)] = (stamp(page), lines[k + 1])
    return out


def check_pages_and_links(doc) -> int:
    """Labels equal stamps; each link lands on the page its text names. Returns links checked."""
    labels = [doc[i].get_label() for i in range(doc.page_count)]
    assert len(set(labels)) == len(labels), labels
    checked = 0
    for page in doc:
        assert stamp(page) == page.get_label(), (page.number, stamp(page), page.get_label())
        if "highlighted: extract" in page.get_text():
            continue  # a source page: its highlights open their extracts (test_export_bundle)
        for link in page.get_links():
            if link.get("kind") != pymupdf.LINK_GOTO:
                continue
            target = doc[link["page"]]
            under = norm(page.get_text(clip=link["from"] + (0, 2, 0, -2)))
            named = re.search(rf"(?:p\. |\s|^)({LABEL})(?:–{LABEL})?$", under)
            assert named, under
            assert target.get_label() == named.group(1), (page.get_label(), under, target.get_label())
            number = re.match(r"(?:Extract )?(\d+[A-Z]*(?:\.\d+)?) ", under)
            if number and "." in number.group(1):  # an extract's row: that extract is on the page
                assert f"Extract {number.group(1)}" in norm(target.get_text()), under
            checked += 1
    for _level, title, pno in doc.get_toc():
        assert title.endswith(f"(p. {doc[pno - 1].get_label()})"), title
    return checked


@pytest.fixture
def first(demo_ws, tmp_path):
    report = export(
        demo_ws, Selection(source_pages=True, title="Clinical leadership", letter="C"), str(tmp_path)
    )
    return demo_ws, report


def _late_material(ws):
    """Two new passages, one deleted, one note changed."""
    from annotator.core.evidence import passages

    with ws.session() as s:
        views = sorted(passages.views(s), key=lambda v: v.id)
    p = views[6]
    with ws.session() as s:
        from annotator.core.store.models import Passage

        row = s.get(Passage, p.id)
        page, end = row.end_page, row.end_char
    added = [
        tagging.tag(
            ws, p.document_id, theme_ids=[1], note="Late", start=(page, end + 2), end=(page, end + 90)
        ).result,
        tagging.tag(ws, views[-1].document_id, theme_ids=[2], start=(0, 5), end=(0, 160)).result,
    ]
    tagging.delete_passage(ws, views[3].id)
    tagging.set_note(ws, views[5].id, "A note changed after the first edition")
    return added


def test_reissue_keeps_every_page_and_inserts_lettered_pages(first, tmp_path):
    ws, report1 = first
    assert report1.edition == 1 and editions(ws)[0]["edition"] == 1
    with pymupdf.open(report1.path) as doc1:
        labels1 = [doc1[i].get_label() for i in range(doc1.page_count)]
        old = extracts(doc1)
        assert check_pages_and_links(doc1) > 20
    added = _late_material(ws)
    report2 = export(ws, None, str(tmp_path), reissue=report1.path)
    assert report2.path.endswith("Bundle C - Edition 2.pdf") and report2.edition == 2
    changes = report2.changes
    assert (
        len(changes["added"]) == len(added)
        and len(changes["withdrawn"]) == 1
        and len(changes["changed"]) == 1
    )
    with pymupdf.open(report2.path) as doc2:
        labels2 = [doc2[i].get_label() for i in range(doc2.page_count)]
        assert [lb for lb in labels2 if lb in labels1] == labels1  # every old page, in order
        inserted = [lb for lb in labels2 if lb not in labels1]
        assert inserted == changes["inserted_pages"] and all(INSERTED.match(lb) for lb in inserted)
        assert labels2[1] == "1A" and "Edition 2 — changes" in doc2[1].get_text()
        new = extracts(doc2)
        for number, (page, citation) in old.items():  # each extract of edition 1 on its page
            assert new[number][0] == page, number
            assert new[number][1] == citation
        (gone,) = changes["withdrawn"]
        assert "withdrawn" in norm(doc2[labels2.index(old[gone][0])].get_text())
        for number in changes["added"]:  # new extracts on lettered pages
            assert INSERTED.match(new[number][0]), (number, new[number])
        changes_text = norm(doc2[1].get_text())
        for number in changes["added"] + changes["withdrawn"] + changes["changed"]:
            assert f"Extract {number}" in changes_text
        assert "note changed" in changes_text
        assert check_pages_and_links(doc2) > 20
    # a third edition keeps the second's pages, 1A and 45A included
    report3 = export(ws, None, str(tmp_path), reissue=report2.path)
    with pymupdf.open(report3.path) as doc3:
        labels3 = [doc3[i].get_label() for i in range(doc3.page_count)]
        assert labels3 == labels2 and report3.changes["added"] == []
        assert "Withdrawn (0)" in norm(doc3[1].get_text()) and "Edition 3 — changes" in doc3[1].get_text()
        assert {n: p for n, (p, _c) in extracts(doc3).items()} == {n: p for n, (p, _c) in new.items()}
        check_pages_and_links(doc3)


def test_reissue_refuses_a_changed_file_and_a_stranger(first, demo_file, tmp_path):
    ws, report1 = first
    altered = tmp_path / "altered.pdf"
    with pymupdf.open(report1.path) as doc:
        doc.set_metadata({**doc.metadata, "title": "retitled"})
        doc.save(altered)  # the edition's mark is kept, its bytes are not
    with pytest.raises(InvalidInput, match=r"has been changed since Edition 1 was exported"):
        export(ws, None, str(tmp_path), reissue=str(altered))
    other_path = tmp_path / "other" / "demo.annot"
    other_path.parent.mkdir()
    shutil.copyfile(demo_file, other_path)
    with Workspace.open(str(other_path)) as other:
        stranger = export(other, Selection(), str(other_path.parent))
    with pytest.raises(InvalidInput, match=r"was not exported from this workspace"):
        export(ws, None, str(tmp_path), reissue=stranger.path)
    assert len(editions(ws)) == 1  # nothing recorded, nothing written
    assert not list(tmp_path.glob("*Edition 2*"))


def test_cli_reissue(first, tmp_path):
    ws, report1 = first
    path = ws.path
    _late_material(ws)
    ws.close()
    out = run_cli("export", path, "--out", tmp_path, "--reissue", report1.path)
    assert "edition 2" in out.stdout and "2 added, 1 withdrawn, 1 changed" in out.stdout
    bad = run_cli("export", path, "--out", tmp_path / "x.pdf", "--reissue", path, check=False)
    assert bad.returncode == 2 and "was not exported from this workspace" in bad.stderr
