"""Every printed row of a transcript is a line of its own, at its printed
page:line: captions set in two columns, text that begins with a number,
Q./A. in a column of their own; and no stored line ever spans two rows."""

import re

import pytest
from helpers import CORPUS
from sqlmodel import select

from annotator.core import samples
from annotator.core.ingest import import_file
from annotator.core.ingest.importer import parse_bytes
from annotator.core.store.models import Line

TURNS = [
    ["MR KARK", "Sir, the witness is Joanne Smith."],
    ["@sworn", "JOANNE SMITH (affirmed)"],
    ["@heading", "Questions by MR KARK"],
    ["Q", "How many nurses were on the ward at night in the winter of 2005, do you remember?"],
    ["A", "2 on most nights, 3 when we were lucky, for twenty-eight beds and more."],
    ["Q", "11 o'clock at night: who was in charge?"],
    ["A", "25 patients and one staff nurse in charge."],
]


def _truth(qa_gap: str = "  "):
    lines = samples.caption(7, "CR 14-648", ("UNITED STATES OF AMERICA", "HARINDER SINGH"))
    body = samples.layout(TURNS * 6, 7, "JOANNE SMITH", "MR KARK", first_page=2)
    for t in body:  # Q. and A. in a column of their own, the text further right
        text = t.text.replace("Q.  ", "Q." + qa_gap, 1).replace("A.  ", "A." + qa_gap, 1)
        text = text.replace("    ", "  " + qa_gap, 1) if t.role in ("question", "answer") else text
        lines.append(samples.TLine(t.day, t.page, t.line, t.speaker, t.role, text))
    return lines


@pytest.mark.parametrize("fmt", ["txt", "txt-no-form-feeds", "txt-time-stamps", "pdf", "pdf-condensed"])
@pytest.mark.parametrize("qa_gap", ["  ", "          "])
def test_every_printed_row_is_a_line_at_its_printed_page_and_line(ws, tmp_path, fmt, qa_gap):
    truth = _truth(qa_gap)
    if fmt.startswith("pdf"):
        data = samples.to_pdf(truth, "Test Inquiry", "2011-05-12", condensed=fmt.endswith("condensed"))
    else:
        text = samples.to_text(truth, "Test Inquiry", "2011-05-12")
        if fmt.endswith("stamps"):  # a time stamp left of every margin number
            text = re.sub(r"(?m)^(?= ?\d{1,2}(?:   |$))", "10:21:05  ", text)
        data = (text.replace("\f", "\n") if fmt.endswith("feeds") else text).encode()
    path = tmp_path / f"day7.{fmt.split('-')[0]}"
    path.write_bytes(data)
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    with ws.session() as s:
        lines = s.exec(select(Line).where(Line.document_id == res.document_id).order_by(Line.seq)).all()
    printed = [t for t in truth if t.text.strip() or t.numbered]
    got = [(ln.tpage, ln.line, " ".join(ln.text.split())) for ln in lines if ln.text.strip() or ln.line]
    want = [(t.page, t.line, " ".join(t.text.split())) for t in printed]
    assert got == want
    assert not any("\n" in ln.text for ln in lines)
    answers = [ln for ln in lines if ln.text.startswith("A.")]
    assert answers and {ln.speaker for ln in answers} == {"JOANNE SMITH"}


TRANSCRIPTS = sorted(p for p in (CORPUS / "transcripts").rglob("*") if p.is_file())


def test_no_line_of_any_corpus_transcript_holds_a_newline():
    assert len(TRANSCRIPTS) >= 20
    for path in TRANSCRIPTS:
        parsed = parse_bytes(path.read_bytes(), str(path), in_process=True)
        assert parsed.values, path.name
        bad = [v[6] for v in parsed.values if "\n" in v[6]]
        assert not bad, f"{path.name}: {bad[:3]}"
