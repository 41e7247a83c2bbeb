"""References inside text: URNs and citations, found with their spans and resolved to places.

A note or a document mentions `Day 12/5:3`, `{INQ000123456/4}`, `INQ000123456`
or an exhibit `WITN0608_01/1`; a reader underlines them and follows them.
Citations are found with the pieces of core.evidence.citations and read by
its `parse` (through reading.goto), so a reference links exactly when the
Go to box would take it. Bare URNs are found with the workspace's URN
pattern; transcripts without a hearing day and documents without a URN are
found by the names their citations use, which only the workspace knows.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from annotator.core.evidence import citations
from annotator.core.library import reading
from annotator.core.library.reading import Place
from annotator.core.store import settings
from annotator.core.store.workspace import sqlite_of
from annotator.core.util.errors import InvalidInput, NotFound

# An exhibit to a statement: statement number WITN0608_01, exhibit 1.
_EXHIBIT = r"[A-Z]{3,5}\d{4}_\d{1,2}/\d{1,3}"
_EXHIBIT_PARTS = re.compile(r"([A-Z]{3,5}\d{4})_(\d{1,2})/(\d{1,3})")
_EDGE_BEFORE = r"(?<![A-Za-z0-9_/])"
_EDGE_AFTER = r"(?![A-Za-z0-9_])"


@dataclass(frozen=True)
class Found:
    """A reference in a text: text[start:end] is what it says."""

    start: int
    end: int
    text: str
    kind: str  # citation | urn | exhibit


@dataclass(frozen=True)
class Names:
    """What the workspace calls its documents, for the references only it can read."""

    urn_pattern: str = settings.DEFAULT_URN_PATTERN
    transcripts: tuple[str, ...] = ()  # names of transcripts without a hearing day
    titles: tuple[str, ...] = ()  # titles of documents without a URN


def _alternatives(words: Iterable[str]) -> str:
    words = sorted({w for w in words if w.strip()}, key=len, reverse=True)  # longest first
    return "|".join(re.escape(w) for w in words)


class Finder:
    """Finds references in text; built once per workspace state (its regex joins the names)."""

    def __init__(self, names: Names = Names()):
        self.names = names
        t = citations.IN_TEXT
        try:
            re.compile(names.urn_pattern)
            urn = f"(?:{names.urn_pattern})"
        except re.error:
            urn = f"(?:{settings.DEFAULT_URN_PATTERN})"
        parts = [
            rf"(?P<citation>{t['day']}|{t['braced']}{t['paras_after']}?)",
            rf"(?P<exhibit>{_EDGE_BEFORE}{_EXHIBIT}{_EDGE_AFTER})",
            # a URN with a page after it is a citation; alone, the document itself
            rf"(?P<urncite>{_EDGE_BEFORE}{urn}(?:\s*/\s*[\w.]*\w(?:\s*(?:-|\u2013)\s*[\w.]*\w)?"
            rf"|{t['pages_after']})(?:{t['paras_after']})?{_EDGE_AFTER})",
            rf"(?P<urn>{_EDGE_BEFORE}{urn}{_EDGE_AFTER})",
        ]
        if names.transcripts:
            who = _alternatives(names.transcripts)
            parts.append(rf"(?P<named>(?<!\w)(?:{who}){t['after_name']})")
        if names.titles:
            what = _alternatives(names.titles)
            parts.append(rf"(?P<titled>(?<!\w)(?:{what}){t['pages_after']}(?:{t['paras_after']})?)")
        self.rx = re.compile("|".join(parts), re.IGNORECASE)
        self._urn = re.compile(urn)  # the URN pattern keeps its own case

    def find(self, text: str) -> list[Found]:
        """Every reference in `text`, in order, none overlapping."""
        out = []
        for m in self.rx.finditer(text or ""):
            kind = m.lastgroup or "citation"
            start, end = m.span()
            while end > start and text[end - 1] in ".,;:":  # a full stop after "p. 4."
                end -= 1
            said = text[start:end]
            if kind in ("urn", "urncite") and not self._urn.match(said):
                continue  # the pattern matched only because the search ignores case
            if kind in ("citation", "urncite", "named", "titled"):
                if citations.parse(said) is None and citations.parse_paragraphs(said) is None:
                    continue
                kind = "citation"
            out.append(Found(start, end, said, kind))
        return out

    def at(self, text: str, pos: int) -> Found | None:
        """The reference covering character `pos` of `text` (its end counts too)."""
        return next((f for f in self.find(text) if f.start <= pos <= f.end), None)


def names(s: Session) -> Names:
    """The workspace's names, read once for a Finder."""
    conn = sqlite_of(s)
    style = settings.citation_style(conn)
    transcripts: set[str] = set()
    titles: set[str] = set()
    for kind, urn, title, witness, day in conn.execute("SELECT kind, urn, title, witness, day FROM document"):
        if kind == "transcript" and day is None:
            transcripts.add(citations.transcript_name(witness, title, style.name_by))
            transcripts.add(citations.transcript_name(witness, title, "title"))
        if not urn and title.strip():
            titles.add(title.strip())
    return Names(str(settings.read(conn, "urn_pattern")), tuple(sorted(transcripts)), tuple(sorted(titles)))


def _by_urn(s: Session, urn: str) -> int | None:
    """The id of the document with this URN, whatever its case."""
    conn = sqlite_of(s)
    row = conn.execute(
        "SELECT id FROM document WHERE urn != '' AND lower(urn) = ?", (urn.lower(),)
    ).fetchone()
    return None if row is None else int(row[0])


def resolve(s: Session, ref: Found | str, current_doc: int | None = None) -> Place:
    """Where a found reference points; NotFound says, in one sentence, what is missing."""
    text = ref.text if isinstance(ref, Found) else ref
    kind = ref.kind if isinstance(ref, Found) else ("exhibit" if _EXHIBIT_PARTS.fullmatch(text) else "")
    if kind == "exhibit":
        m = _EXHIBIT_PARTS.fullmatch(text)
        assert m is not None
        # filed as WITN0608_01/1, or under the inquiry's URN for it, WITN06080101
        doc = _by_urn(s, text) or _by_urn(s, f"{m[1]}{int(m[2]):02d}{int(m[3]):02d}")
        if doc is None:
            raise NotFound(f"Exhibit {text} is not in this workspace.")
        return Place(doc, 0, None, None, text)
    if kind == "urn" or (not kind and citations.parse(text) is None and "," not in text):
        doc = _by_urn(s, text.strip())
        if doc is None:
            raise NotFound(f"{text.strip()} is not in this workspace.")
        return Place(doc, 0, None, None, text)
    try:
        return reading.goto(s, text, current_doc)
    except InvalidInput:
        raise NotFound(f"{text} is not a reference to a place this workspace holds.") from None


def finder(ws: object) -> Finder:
    with ws.session() as s:  # type: ignore[attr-defined]
        return Finder(names(s))


def place_of(ws: object, ref: Found | str, current_doc: int | None = None) -> Place:
    with ws.session() as s:  # type: ignore[attr-defined]
        return resolve(s, ref, current_doc)
