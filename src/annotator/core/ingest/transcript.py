"""Recover transcript structure: day, page, 25 numbered lines, speakers.

Works on rows (text lines with optional positions), so PDF and plain-text
transcripts share one parser.
"""

import re
from dataclasses import dataclass, field

from annotator.core.ingest.rows import ParsedLine, Row

NUMBERED = re.compile(r"^(\s*)(\d{1,2})(?=\s|$)[ \t]*")
PAGE_NO = re.compile(r"\bPage\s+(\d{1,5})\b", re.IGNORECASE)
DAY_NO = re.compile(r"\bDay\s+(\d{1,4})\b", re.IGNORECASE)
SPEAKER = re.compile(r"^((?:THE|MR|MRS|MS|MISS|DR|SIR|DAME|LORD|LADY|PROFESSOR|PROF|JUSTICE|CHIEF|"
                     r"SENATOR|ASSEMBLYMAN|ASSEMBLYWOMAN|CHAIRMAN|CHAIRWOMAN|JUDGE)"
                     r"(?:[ .][A-Z][A-Z'.-]*){0,4}|[A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+){0,3}):\s+")
QA = re.compile(r"^(Q|A)[.:]\s+")
SWORN = re.compile(r"^([A-Z][A-Z .'-]+?)\s*\((?:sworn|affirmed|recalled|continued)\)", re.IGNORECASE)
EXAMINER = re.compile(r"^(?:Questions|Examination|Further questions|Cross-examination|Re-examination)"
                      r"\s+(?:by|from)\s+(.+)$", re.IGNORECASE)
STAGE = re.compile(r"^\(.*\)$")


@dataclass
class State:
    day: int | None = None
    witness: str = ""
    questioner: str = ""
    speaker: str = ""
    witnesses: list[str] = field(default_factory=list)


def numbered_rows(rows: list[Row]) -> list[tuple[int, int, int]]:
    """(row index, printed line number, start of text) for margin-numbered rows."""
    out = []
    for i, r in enumerate(rows):
        m = NUMBERED.match(r.text)
        if m and 1 <= int(m.group(2)) <= 25:
            out.append((i, int(m.group(2)), m.end()))
    return out


def looks_like_transcript(pages: list[list[Row]]) -> bool:
    good = 0
    for rows in pages:
        nums = [n for _, n, _ in numbered_rows(rows)]
        if len(nums) >= 12 and sum(1 for a, b in zip(nums, nums[1:]) if b == a + 1) >= len(nums) * 0.7:
            good += 1
    return bool(pages) and good >= max(1, len(pages) // 2)


def _speaker_of(text: str, st: State) -> tuple[str, str]:
    """Who speaks on this line and in what role; updates the running state."""
    body = text.strip()
    if not body:
        return st.speaker, "text"
    m = SWORN.match(body)
    if m:
        st.witness = m.group(1).strip()
        st.witnesses.append(st.witness)
        st.speaker = ""
        return "", "heading"
    m = EXAMINER.match(body)
    if m:
        st.questioner = m.group(1).strip()
        return "", "heading"
    if STAGE.match(body):
        return "", "stage"
    m = QA.match(body)
    if m:
        if m.group(1) == "Q":
            st.speaker = st.questioner or "Q"
            return st.speaker, "question"
        st.speaker = st.witness or "A"
        return st.speaker, "answer"
    m = SPEAKER.match(body)
    if m:
        st.speaker = m.group(1).strip()
        if st.witness and st.speaker in (st.witness, "THE WITNESS"):
            return st.speaker, "answer"
        if not st.questioner and st.speaker.startswith(("MR ", "MS ", "MRS ", "MISS ", "DR ")):
            st.questioner = st.speaker
        return st.speaker, "speech"
    role = "answer" if st.speaker and st.speaker == st.witness else "speech" if st.speaker else "text"
    return st.speaker, role


def parse(pages: list[list[Row]], day: int | None = None) -> tuple[list[ParsedLine], dict]:
    """Lines of a transcript and what was learnt (day, witness, first page)."""
    st = State(day=day)
    out: list[ParsedLine] = []
    last_tpage = 0
    for pidx, rows in enumerate(pages):
        numbered = numbered_rows(rows)
        numbered_idx = {i for i, _, _ in numbered}
        tpage = None
        for i, r in enumerate(rows):
            if i in numbered_idx:
                continue
            m = PAGE_NO.search(r.text)
            if m and tpage is None:
                tpage = int(m.group(1))
            d = DAY_NO.search(r.text)
            if d and st.day is None:
                st.day = int(d.group(1))
        if tpage is None:
            tpage = last_tpage + 1
        last_tpage = tpage
        for i, num, start in numbered:
            text = rows[i].text
            end = len(text.rstrip())
            speaker, role = _speaker_of(text[start:end], st)
            out.append(ParsedLine(pidx, i, min(start, end), end, tpage, num, st.day, speaker, role))
    info = {"day": st.day, "witness": st.witnesses[0] if st.witnesses else ""}
    for ln in out:
        ln.day = st.day
    return out, info


def plain_lines(pages: list[list[Row]]) -> list[ParsedLine]:
    """Non-transcripts: each non-empty row, numbered from 1 on each page."""
    out = []
    for pidx, rows in enumerate(pages):
        n = 0
        for i, r in enumerate(rows):
            if r.text.strip():
                n += 1
                lead = len(r.text) - len(r.text.lstrip())
                out.append(ParsedLine(pidx, i, lead, len(r.text.rstrip()), pidx + 1, n))
    return out
