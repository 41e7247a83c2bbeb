"""UK hearings published as web text (reStructuredText, Markdown, HTML):
recognised as transcripts, markup stripped, speakers and witnesses found,
numbered by the tool and cited as such; questions put by a role."""

import re

import pytest
from helpers import CORPUS
from sqlmodel import select

from annotator.core.evidence import citations, passages, tagging

from annotator.core import samples
from annotator.core.ingest import import_file
from annotator.core.store.models import Document, Line, Page, Passage

HEARINGS = sorted((CORPUS / "transcripts").glob("uk-*/*.rst"))
# Who the labels that are not a name stand for, read from each file: the
# witness's section title, and the counsel who called the witness (in the
# Covid-19 hearing Mr Keith asks for Sir Chris Whitty to be sworn, then the
# questioning is headed "Questions From Lead Counsel to the Inquiry").
PEOPLE = {
    "module-2_2023-11-21.rst": {"The Witness": "Professor Sir Whitty", "Lead Inquiry": "Mr Keith"},
    "phase-4_2023-07-05.rst": {"The Witness": "Anthony Marsh"},
}
_LABEL = re.compile(r"^\*\*([^*]+)\*\*:\s*")


def _key(text: str) -> str:
    text = re.sub(r"<[^>]*>|:[a-z]+:(?=`)", "", text.lower())  # link targets, :abbr: roles
    return re.sub(r"[^a-z0-9]", "", text)[:24]


def speaker_truth(path) -> list[tuple[str, str]]:
    """(speaker, opening words) of every paragraph of speech, read from the
    markup alone: a `**Name**:` label starts a turn and the unlabelled
    paragraphs after it continue it; headings, italic notes and directives
    are not speech."""
    names = PEOPLE[path.name]
    out, current = [], ""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if not lines or lines[0].startswith((".. ", " ")):
            continue
        if len(lines) >= 2 and re.fullmatch(r"([=\-^~])\1+", lines[1].strip()):
            current = ""
            continue
        text = " ".join(ln.strip() for ln in lines)
        if text.startswith("*") and not text.startswith("**"):
            continue  # *(10.00 am)*, *NAME (sworn).*
        m = _LABEL.match(text)
        if m:
            current = names.get(m.group(1), m.group(1))
            text = text[m.end() :]
        out.append((current, _key(text)))
    return out


def _lines(ws, doc_id):
    with ws.session() as s:
        doc = s.get(Document, doc_id)
        lines = s.exec(select(Line).where(Line.document_id == doc_id).order_by(Line.seq)).all()
        pages = {p.index: p.text for p in s.exec(select(Page).where(Page.document_id == doc_id))}
    return doc, lines, pages


def speaker_share(lines, truth) -> tuple[int, int]:
    """Rows of speech attributed to the right speaker, and all rows of speech."""
    by_para: dict[int, list] = {}
    for ln in lines:
        by_para.setdefault(ln.para, []).append(ln)
    ours = []  # (rows, keys the paragraph may match: with and without a leading label)
    for rows in by_para.values():
        text = " ".join(r.text for r in rows)
        if rows[0].role not in ("heading", "stage"):
            ours.append((rows, {_key(text), _key(re.sub(r"^[^:]{2,60}:\s*", "", text))}))
    right = total = 0
    i = 0
    for who, key in truth:
        at = next((j for j in range(i, min(i + 5, len(ours))) if key in ours[j][1]), None)
        if at is None:
            total += 1  # a paragraph we lost counts as wrong
            continue
        rows = ours[at][0]
        total += len(rows)
        right += sum(r.speaker == who for r in rows)
        i = at + 1
    return right, total


@pytest.mark.parametrize("path", HEARINGS, ids=lambda p: p.name)
def test_corpus_hearings_are_transcripts_with_speakers_and_tool_numbering(ws, path):
    assert len(HEARINGS) == 2
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    doc, lines, pages = _lines(ws, res.document_id)
    assert doc.kind == "transcript" and "tool-numbered" in doc.flags
    want_date = {"module-2_2023-11-21.rst": "2023-11-21", "phase-4_2023-07-05.rst": "2023-07-05"}
    assert doc.date == want_date[path.name]
    assert doc.witness == PEOPLE[path.name]["The Witness"]
    text = "\n".join(pages.values())
    for markup in ("**", ".. raw::", "rst-class", "<lite-youtube", "</details>", "====", "^^^^", "`_"):
        assert markup not in text
    assert "(10." in text and "(sworn)" in text or "(affirmed)" in text
    for ln in lines:
        assert pages[ln.page_index][ln.char_start : ln.char_end] == ln.text and "\n" not in ln.text
        assert ln.para is not None and ln.para >= 1
    assert [ln.para for ln in lines] == sorted(ln.para for ln in lines)
    right, total = speaker_share(lines, speaker_truth(path))
    print(f"\n{path.name}: {right}/{total} rows of speech attributed to the right speaker")
    assert right >= total * 0.98
    # a passage is cited by the tool's numbering, and says so
    first_answer = next(ln for ln in lines if ln.role == "answer")
    pid = tagging.tag(
        ws,
        doc.id,
        start=(first_answer.page_index, first_answer.char_start),
        end=(first_answer.page_index, first_answer.char_end),
    ).result
    with ws.session() as s:
        (view,) = passages.views(s, ids=[pid])
        p = s.get(Passage, pid)
        long = passages.cite(p, doc, "long")
    name = citations.transcript_name(doc.witness, doc.title)  # no day: named like any such transcript
    assert name in ("Whitty", "Marsh")
    assert view.citation == f"{name}, para {first_answer.para} [numbered by Annotator]"
    assert long.endswith(f"paragraph {first_answer.para} [numbered by Annotator]")
    assert not re.search(r"\d+:\d+", view.citation)  # nothing that looks like a printed page:line
    from annotator.core.library import reading

    with ws.session() as s:  # the citation leads back to the paragraph
        place = reading.goto(s, view.citation)
    assert (place.document_id, place.page, place.start) == (
        doc.id,
        first_answer.page_index,
        first_answer.char_start,
    )


TURNS = [
    ["THE CHAIR", "Good morning. Mr Kark."],
    ["Mr Kark", "Good morning. The first witness today is Joanne Smith, who will affirm."],
    ["@sworn", "JOANNE SMITH (affirmed)"],
    ["@heading", "Questions by Counsel to the Inquiry"],
    ["Counsel Inquiry", "Mrs Smith, you were a ward sister at the hospital from 2005 until 2009?"],
    ["Joanne Smith", "Yes, on ward 11, a general medical ward."],
    ["", "It had twenty-eight beds and far too few nurses."],
    ["@stage", "(11.30 am)"],
    ["THE CHAIR", "We will take a short break."],
    ["The Witness", "Thank you."],
]


@pytest.mark.parametrize("fmt", ["rst", "md", "html"])
def test_generated_web_hearing_is_read_in_every_markup(ws, tmp_path, fmt):
    path = tmp_path / f"module-3_2024-02-06.{fmt}"
    path.write_text(samples.to_web(TURNS * 4, fmt, "Day 12 of the Hearing"), encoding="utf-8")
    res = import_file(ws, str(path))
    assert res.status == "imported", res.reason
    doc, lines, pages = _lines(ws, res.document_id)
    assert (doc.kind, doc.day, doc.date, doc.witness) == ("transcript", 12, "2024-02-06", "Joanne Smith")
    text = "\n".join(pages.values())
    assert not re.search(r"\*\*|<[a-z/]|var x|Home \|", text)
    speech = {ln.text.split(":")[0]: ln.speaker for ln in lines if ln.speaker and ":" in ln.text}
    assert speech["Counsel Inquiry"] == "Mr Kark"  # the role's words name the counsel who called her
    assert speech["The Witness"] == "Joanne Smith"
    roles = {ln.text[:20]: ln.role for ln in lines}
    assert roles["Counsel Inquiry: Mrs"] == "question" and roles["Joanne Smith: Yes, o"] == "answer"
    assert roles["It had twenty-eight "] == "answer" and roles["(11.30 am)"] == "stage"


def test_questions_by_a_role_go_to_the_counsel_who_called_the_witness(ws, tmp_path):
    turns = [
        ["THE CHAIRMAN", "Yes, Mr Kark."],
        ["MR KARK", "Sir, the first witness today is Joanne Smith, who will affirm."],
        ["@sworn", "JOANNE SMITH (affirmed)"],
        ["@heading", "Questions by COUNSEL TO THE INQUIRY"],
        ["Q", "Mrs Smith, you were a ward sister at the hospital from 2005 until 2009?"],
        ["A", "Yes, on ward 11."],
    ]
    truth = samples.layout(turns * 3, 4, "JOANNE SMITH", "MR KARK")
    for fmt in ("pdf", "txt"):
        path = tmp_path / f"day4.{fmt}"
        text = samples.to_text(truth, "Inquiry", "2011-05-12")
        path.write_bytes(samples.to_pdf(truth, "Inquiry", "2011-05-12") if fmt == "pdf" else text.encode())
        res = import_file(ws, str(path))
        _doc, lines, _pages = _lines(ws, res.document_id)
        questions = [ln for ln in lines if ln.role == "question"]
        assert len(questions) >= 3 and {ln.speaker for ln in questions} == {"MR KARK"}
