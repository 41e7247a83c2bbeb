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
    r"^(?:Questions|Questioned|Examination|Further questions|Further examination|Cross-examination|"
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
    counsel: str = ""  # the last counsel to speak (a label with Mr, Ms, Dr...)
    caller: str = ""  # the counsel who spoke last before the witness was sworn
    role: str = ""  # the questioner's role when questions were introduced by one


TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "professor",
    "prof",
    "the",
    "rt",
    "hon",
}
COUNSEL = re.compile(r"^(?:MR|MRS|MS|MISS|DR|Mr|Mrs|Ms|Miss|Dr)\.?\s+\S")
ROLE_WORDS = re.compile(r"\b(?:counsel|inquiry|solicitor|inquest|tribunal)\b", re.IGNORECASE)
_FILLER = {"to", "the", "for", "of", "from", "by", "and"}


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z'’-]+", name.lower()) if w not in TITLES}


def same_person(label: str, name: str) -> bool:
    """`Professor Sir Whitty` and `PROFESSOR SIR CHRIS WHITTY` (sworn) are one person."""
    a, b = _words(label), _words(name)
    return bool(a) and bool(b) and (a <= b or b <= a)


def is_role(name: str) -> bool:
    """`Lead Counsel to the Inquiry`, `COUNSEL TO THE INQUIRY`: a role, not a person."""
    return bool(ROLE_WORDS.search(name)) and not COUNSEL.match(name)


def of_role(label: str, role: str) -> bool:
    """A label made of the role's words (`Lead Inquiry` for Lead Counsel to the Inquiry)."""
    words = set(re.findall(r"[a-z]+", label.lower())) - _FILLER
    return bool(role) and bool(words) and words <= set(re.findall(r"[a-z]+", role.lower()))


def set_questioner(name: str, st: State) -> None:
    """Questions introduced by a person, or by a role: then the person in it,
    the counsel who called the witness or, failing that, who spoke last."""
    st.role = name if is_role(name) else ""
    st.questioner = (st.caller or st.counsel or name) if st.role else name


def sworn(name: str, st: State) -> None:
    st.witness = name
    st.witnesses.append(name)
    st.caller = st.counsel
    st.speaker = ""


def who_is(label: str, st: State) -> str:
    """The person a speaker label names: the questioner for a label made of
    the words of the role they question in."""
    if st.role and (of_role(label, st.role) or is_role(label)):
        return st.questioner
    return label


def speaker_of(text: str, st: State) -> tuple[str, str]:
    """Speaker and role of one transcript line; updates the running state.
    Unlabelled lines continue the current speaker; blank lines have none."""
    body = text.replace("·", " ").strip()
    if not body:
        return "", "text"
    m = SWORN.match(body)
    if m:
        sworn(m.group(1).strip(), st)
        return "", "heading"
    m = EXAMINER.match(body) or BY_LINE.match(body)
    if m:
        set_questioner(m.group(1).strip(), st)
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
        label = who_is(label, st)
        st.speaker = label
        if st.witness and (label == "THE WITNESS" or same_person(label, st.witness)):
            return label, "answer"
        if COUNSEL.match(label):
            st.counsel = label
        if label == st.questioner:
            return label, "question"
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
