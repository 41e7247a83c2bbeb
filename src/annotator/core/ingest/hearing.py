"""Hearings published as web text (the inquiry's website saved as
reStructuredText, Markdown or HTML): speakers, witnesses sworn, questions.

Such text has no printed pages or line numbers. Nothing that looks printed
is invented: every paragraph (a turn, a heading, a note such as
`(10.00 am)`) gets a number counted through the day, and citations say the
numbering is the tool's own. Paragraphs are wrapped into rows for reading;
each row is a line that carries its paragraph's number.
"""

import os
import re
import textwrap
from dataclasses import dataclass, field

from annotator.core.ingest import markup, people
from annotator.core.ingest.rows import Facts, ParsedLine, Row

TOOL_NUMBERED = "tool-numbered"  # document flag: paragraph numbers are ours, not printed
WIDTH = 80  # characters a row
ROWS_PER_PAGE = 60  # a page of the viewer, broken between paragraphs
_STAGE = re.compile(r"^\(.*\)\.?$")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DAY = re.compile(r"\bday[\s_-]*(\d{1,3})\b", re.IGNORECASE)


@dataclass
class Hearing:
    pages: list[list[Row]]
    lines: list[ParsedLine]
    info: Facts = field(default_factory=dict)


def looks_like_hearing(blocks: list[markup.Block]) -> bool:
    """Turns marked with speaker labels make up a good part of the text."""
    paras = [b for b in blocks if b.kind == "para"]
    labelled = sum(1 for b in paras if b.label)
    return labelled >= 10 and labelled >= len(paras) * 0.2


def read(text: str, path: str) -> Hearing | None:
    """The hearing in this web text, or None if it is not one."""
    blocks = markup.blocks(text, path)
    if not looks_like_hearing(blocks):
        return None
    return _build(blocks, _facts(blocks, os.path.basename(path)))


def _facts(blocks: list[markup.Block], name: str) -> Facts:
    """Title, date and day from the first headings, else from the file name."""
    heads = [b.text for b in blocks[:12] if b.kind == "heading"]
    info: Facts = {"title": heads[0] if heads else "", "flags": [TOOL_NUMBERED]}
    for h in heads:
        info["date"] = info.get("date") or people.find_date(h)
        m = _DAY.search(h)
        if m and "day" not in info:
            info["day"] = int(m.group(1))
    if not info.get("date"):
        m = _ISO.search(name)
        info["date"] = people.find_date(name)
        if not info["date"] and m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            info["date"] = m.group(0)
    if "day" not in info:
        m = _DAY.search(os.path.splitext(name)[0])
        info["day"] = int(m.group(1)) if m else None
    return info


def _display(name: str) -> str:
    return name.title() if name.isupper() else name


class _Turns:
    """Speaker and role of each block, in order (the running state of the day)."""

    def __init__(self) -> None:
        self.st = people.State()
        self.section = ""  # the last heading: often the witness's name

    def classify(self, b: markup.Block) -> tuple[str, str]:
        st = self.st
        body = b.text.strip().strip("*").strip()
        sworn = people.SWORN.match(body)
        if sworn and not b.label:
            name = sworn.group(1).strip()
            shown = self.section if people.same_person(self.section, name) else _display(name)
            people.sworn(shown, st)
            return "", "heading"
        exam = people.EXAMINER.match(body)
        if exam and not b.label:
            people.set_questioner(exam.group(1).strip(), st)
            st.speaker = ""
            return "", "heading"
        if b.kind == "heading":
            self.section = body
            return "", "heading"
        if not b.label:
            if _STAGE.match(body):
                return "", "stage"
            return (st.speaker, self._role(st.speaker)) if st.speaker else ("", "text")
        who = people.who_is(b.label, st)
        if who.upper() == "THE WITNESS" and st.witness:
            who = st.witness
        elif st.witness and people.same_person(who, st.witness):
            who = st.witness
        elif people.COUNSEL.match(who):
            st.counsel = who
        st.speaker = who
        return who, self._role(who)

    def _role(self, who: str) -> str:
        if who and who == self.st.witness:
            return "answer"
        if who and who == self.st.questioner:
            return "question"
        return "speech"


def _build(blocks: list[markup.Block], info: Facts) -> Hearing:
    turns = _Turns()
    found = info.get("day")
    day = found if isinstance(found, int) else None  # as _facts found it
    pages: list[list[Row]] = [[]]
    lines: list[ParsedLine] = []
    offsets = [0]  # where the next row starts in the current page's text
    n_line = 0
    for para, b in enumerate(blocks, 1):
        speaker, role = turns.classify(b)
        shown = f"{b.label}: {b.text}" if b.label else b.text
        rows = textwrap.wrap(shown, WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
        if len(pages[-1]) + len(rows) > ROWS_PER_PAGE and pages[-1]:
            pages.append([])
            offsets.append(0)
        page = pages[-1]
        if page:  # a blank row between paragraphs
            page.append(Row(""))
            offsets[-1] += 1
        for text in rows:
            n_line += 1
            at = offsets[-1]
            lines.append(
                ParsedLine(len(pages) - 1, len(page), at, at + len(text), 0, n_line, day, speaker, role)
            )
            lines[-1].para = para
            page.append(Row(text))
            offsets[-1] += len(text) + 1
    for ln in lines:
        ln.tpage = ln.page_index + 1
    st = turns.st
    info["witness"] = st.witnesses[0] if st.witnesses else ""
    return Hearing(pages, lines, info)
