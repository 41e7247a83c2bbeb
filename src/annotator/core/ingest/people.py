"""Who is speaking: speaker labels, Q./A. turns, witnesses sworn in,
questioners announced; and the hearing date written on the first page."""

import re
from dataclasses import dataclass, field
from datetime import date

SPEAKER = re.compile(r"^((?:[A-Z][A-Z'’.\-]*\s+){0,4}[A-Z][A-Z'’.\-]*)\s*:(?=\s|$)")
QA = re.compile(r"^(Q|A)(?:[.:]|\s{2,}|$)")
SWORN = re.compile(
    r"^([A-Z][A-Za-z .,'’-]+?)\s*\((?:sworn|affirmed|recalled|re-?sworn|continued)\)", re.IGNORECASE
)
EXAMINER = re.compile(
    r"^(?:Questions|Examination|Further questions|Further examination|Cross-examination|"
    r"Re-examination|Direct examination|Cross examination|Redirect examination)"
    r"\s+(?:by|from)\s+(.+?)\s*:?$",
    re.IGNORECASE,
)
BY_LINE = re.compile(r"^BY\s+((?:MR|MRS|MS|MISS|DR)\.?\s+[A-Z][A-Za-z'’-]+)\s*:?$")
STAGE = re.compile(r"^\(.*\)$")
NOT_SPEAKERS = {
    "APPEARANCES",
    "PRESENT",
    "PRESIDING",
    "ALSO PRESENT",
    "INDEX",
    "CONTENTS",
    "EXHIBITS",
    "WITNESSES",
    "NOTE",
    "RE",
    "SUBJECT",
    "TO",
    "FROM",
    "CC",
    "DATE",
    "TIME",
    "PLACE",
}


@dataclass
class State:
    witness: str = ""
    questioner: str = ""
    speaker: str = ""
    witnesses: list[str] = field(default_factory=list)


def speaker_of(text: str, st: State) -> tuple[str, str]:
    """Speaker and role of one transcript line; updates the running state.
    Unlabelled lines continue the current speaker; blank lines have none."""
    body = text.replace("·", " ").strip()
    if not body:
        return "", "text"
    m = SWORN.match(body)
    if m:
        st.witness = m.group(1).strip()
        st.witnesses.append(st.witness)
        st.speaker = ""
        return "", "heading"
    m = EXAMINER.match(body) or BY_LINE.match(body)
    if m:
        st.questioner = m.group(1).strip()
        st.speaker = ""
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
    label = _label(body)
    if label:
        st.speaker = label
        if st.witness and label in (st.witness, "THE WITNESS"):
            return label, "answer"
        return label, "speech"
    if not st.speaker:
        return "", "text"
    if st.speaker == st.witness or st.speaker == "A":
        return st.speaker, "answer"
    if st.speaker == st.questioner or st.speaker == "Q":
        return st.speaker, "question"
    return st.speaker, "speech"


def _label(body: str) -> str:
    m = SPEAKER.match(body)
    if not m:
        return ""
    label = " ".join(m.group(1).split())
    if label.rstrip(".") in NOT_SPEAKERS or len(label) < 2 or label in ("Q", "A"):
        return ""
    return label


MARKED_LABEL = re.compile(r"^\*\*([^*\n]{2,60}?)\*\*\s*:(?=\s|$)")  # **Mr Keith**: (reStructuredText)


def label_of(body: str, st: State) -> tuple[str, str]:
    """Speaker labels in text that is not a numbered transcript (hearing
    notes, statements): a labelled paragraph and the lines after it."""
    m = MARKED_LABEL.match(body)
    label = " ".join(m.group(1).split()) if m else _label(body)
    if label:
        st.speaker = label
        return label, "speech"
    return (st.speaker, "speech") if st.speaker else ("", "text")


MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
}
_DMY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|"
    r"September|October|November|December),?\s+(\d{4})\b",
    re.IGNORECASE,
)
_MDY = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(\d{1,2}),?\s+(\d{4})\b",
    re.IGNORECASE,
)


def find_date(text: str) -> str:
    """The first full date written out in words, as ISO (or "")."""
    best = None
    for m in _DMY.finditer(text):
        best = (m.start(), int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        break
    for m in _MDY.finditer(text):
        if best is None or m.start() < best[0]:
            best = (m.start(), int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
        break
    if best is None:
        return ""
    try:
        return date(best[1], best[2], best[3]).isoformat()
    except ValueError:
        return ""
