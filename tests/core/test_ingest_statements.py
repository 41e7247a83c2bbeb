"""Witness statements: printed `Page N of M`, the header block, numbered
paragraphs, and passages cited by page and paragraph."""

import json

import pytest
from helpers import CORPUS
from sqlmodel import select

from annotator.core.evidence import citations, passages, tagging

from annotator.core import samples
from annotator.core.ingest import import_file
from annotator.core.store.models import Document, Line, Page

PARAS = [
    f"Paragraph {n} of the statement: I worked on ward {n} from 2005 and raised concerns about staffing "
    "at night with the matron, in writing and at the governance meeting, more than once."
    for n in range(1, 25)
]


def _doc(ws, doc_id):
    with ws.session() as s:
        doc = s.get(Document, doc_id)
        lines = s.exec(select(Line).where(Line.document_id == doc_id).order_by(Line.seq)).all()
        labels = [
            p.label for p in s.exec(select(Page).where(Page.document_id == doc_id).order_by(Page.index))
        ]
    return doc, lines, labels


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_generated_statement_keeps_printed_pages_header_and_paragraphs(ws, tmp_path, fmt):
    pages = samples.statement_pages(
        "WITN01230100", "Joanne Smith", "2022-11-15", "WITN0123_01/1 to WITN0123_01/4", PARAS
    )
    path = tmp_path / f"statement.{fmt}"
    if fmt == "pdf":
        path.write_bytes(samples.statement_pdf(pages))
    else:
        path.write_text(samples.statement_text(pages), encoding="utf-8")
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    doc, lines, labels = _doc(ws, res.document_id)
    assert (doc.kind, doc.witness, doc.date, doc.urn) == (
        "witness statement",
        "Joanne Smith",
        "2022-11-15",
        "WITN01230100",
    )
    assert json.loads(doc.exhibits) == ["WITN0123_01/1", "WITN0123_01/4"]
    assert doc.page_count == len(pages) and labels == [str(n) for n in range(1, len(pages) + 1)]
    for page_no, rows in enumerate(pages, 1):  # every printed row on its printed page
        ours = [ln.text.strip() for ln in lines if ln.tpage == page_no]
        assert ours == [r.strip() for r in rows if r.strip()]
    for n in (1, 12, 24):
        mine = [ln for ln in lines if ln.para == n]
        assert mine[0].text.startswith(f"{n}. Paragraph {n} ") and len(mine) >= 2
        assert " ".join(ln.text.strip() for ln in mine).endswith("more than once.")
    assert all(ln.para is None for ln in lines if ln.text.startswith(("Page ", "WITN", "Witness Name")))
    # a passage in paragraph 12 is cited by its printed page and the paragraph
    first = next(ln for ln in lines if ln.para == 12)
    pid = tagging.tag(
        ws, doc.id, start=(first.page_index, first.char_start), end=(first.page_index, first.char_end)
    ).result
    with ws.session() as s:
        (view,) = passages.views(s, ids=[pid])
    assert view.citation == f"{{WITN01230100/{first.tpage}}}, para 12"
    assert (
        citations.statement("WITN01230100", 4, 5, 12, 14, style="long")
        == "WITN01230100, pages 4 to 5, paragraphs 12 to 14"
    )


STATEMENTS = sorted((CORPUS / "transcripts/uk-post-office-horizon-inquiry/witness-statements").glob("*.txt"))


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.name[:12])
def test_corpus_statements_read_as_statements(ws, tmp_path, path):
    facts = {
        "WITN00170100": ("Anne Olivia Chambers", "2022-11-15", 63, [], "WITN0017_01"),
        "WITN06080100": (
            "Sir Anthony Blair",
            "2022-11-14",
            8,
            ["WITN0608_01/1", "WITN0608_1/7"],
            "WITN0608_01",
        ),
    }[path.name[:12]]
    res = import_file(ws, str(path))
    doc, lines, labels = _doc(ws, res.document_id)
    assert doc.kind == "witness statement"
    assert (doc.witness, doc.date, doc.page_count, json.loads(doc.exhibits)) == facts[:4]
    assert doc.urn == path.name[:12]  # the URN in the file name, by the workspace's pattern
    assert labels == [str(n) for n in range(1, facts[2] + 1)]
    assert all(ln.tpage == ln.page_index + 1 for ln in lines)
    assert all(ln.text.strip() != f"Page {ln.tpage} of {facts[2]}" or ln.para is None for ln in lines)
    with_para = [ln for ln in lines if ln.para is not None]
    assert len(with_para) > len(lines) * 0.3
    para_one = [ln for ln in lines if ln.para == 1]
    assert para_one[0].text.startswith("1. This witness statement is made")
    assert not any("\n" in ln.text for ln in lines)
    # with a pattern that finds nothing, the header's statement number is the URN
    ws.set("urn_pattern", r"INQ\d{6}")
    copy = tmp_path / "statement.txt"
    copy.write_bytes(path.read_bytes() + b"\n")
    again, _lines, _labels = _doc(ws, import_file(ws, str(copy)).document_id)
    assert again.urn == facts[4]


def test_tag_a_statement_paragraph_from_the_command_line(tmp_path):
    from helpers import run_cli

    pages = samples.statement_pages("WITN01230100", "Joanne Smith", "2022-11-15", "None", PARAS)
    path = tmp_path / "statement.txt"
    path.write_text(samples.statement_text(pages), encoding="utf-8")
    ws = tmp_path / "w.annot"
    run_cli("new", ws)
    run_cli("import", ws, path)
    out = run_cli("tag", ws, "1", "--para", "12-13", "--theme", "Safety").stdout
    assert "{WITN01230100/" in out and "paras 12-13" in out and "Paragraph 12 of the statement" in out
    bad = run_cli("tag", ws, "1", "--para", "99", "--theme", "Safety", check=False)
    assert bad.returncode != 0 and "no paragraph 99" in bad.stderr


def test_a_corrected_statement_keeps_paragraphs_and_their_citations(ws, tmp_path):
    from annotator.core import versions

    pages = samples.statement_pages("WITN01230100", "Joanne Smith", "2022-11-15", "None", PARAS)
    first = tmp_path / "draft.txt"
    first.write_text(samples.statement_text(pages), encoding="utf-8")
    doc_id = import_file(ws, str(first)).document_id
    _doc_, lines, _labels = _doc(ws, doc_id)
    mine = [ln for ln in lines if ln.para == 12]
    pid = tagging.tag(
        ws,
        doc_id,
        start=(mine[0].page_index, mine[0].char_start),
        end=(mine[-1].page_index, mine[-1].char_end),
    ).result
    fixed = PARAS[:3] + ["A paragraph added in the final version, which moves every later one down a line."]
    final = tmp_path / "final.txt"
    pages = samples.statement_pages("WITN01230100", "Joanne Smith", "2022-11-15", "None", fixed + PARAS[3:])
    final.write_text(samples.statement_text(pages), encoding="utf-8")
    versions.replace(ws, doc_id, str(final))
    with ws.session() as s:
        (view,) = passages.views(s, ids=[pid])
    assert view.citation.endswith(", para 13")  # the same words, now paragraph 13 of the final version


def test_go_to_a_paragraph_citation(ws, tmp_path):
    from annotator.core.library import reading

    pages = samples.statement_pages("WITN01230100", "Joanne Smith", "2022-11-15", "None", PARAS)
    path = tmp_path / "statement.txt"
    path.write_text(samples.statement_text(pages), encoding="utf-8")
    doc_id = import_file(ws, str(path)).document_id
    _doc_, lines, _labels = _doc(ws, doc_id)
    twelve = next(ln for ln in lines if ln.para == 12)
    written = citations.statement("WITN01230100", twelve.tpage, None, 12)
    for style in ("short", "long"):
        text = citations.statement("WITN01230100", twelve.tpage, twelve.tpage + 1, 12, 14, style=style)
        assert citations.parse_paragraphs(text) == citations.ParagraphRef(
            text.rsplit(",", 1)[0].strip(), 12, 14
        )
    with ws.session() as s:
        for typed in (written, "para 12", "¶12"):
            place = reading.goto(s, typed, current_doc=doc_id)
            assert (place.document_id, place.page, place.start) == (
                doc_id,
                twelve.page_index,
                twelve.char_start,
            )
        with pytest.raises(Exception, match="no paragraph 99"):
            reading.goto(s, "{WITN01230100/1}, para 99")
