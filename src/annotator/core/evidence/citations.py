"""Citations as counsel write them, in one style everywhere.

Short style: Day 45/12:3, Day 45/12:3-9, Day 45/12:24-13:7; a transcript
without a hearing day by its witness or short title: McCaffrey 12:3-5;
documents {MSF0001234/4}, {MSF0001234/4-6}, or without a URN "Title, p. 4".
Long style spells the same out: Day 45, page 12, lines 3 to 9;
MSF0001234, pages 4 to 6. `cite` is the one entry point (it dispatches by
the document's kind); `parse` reads back every form written here.
"""

import re
from dataclasses import dataclass

STYLES = ("short", "long")
NAME_BY = ("witness", "title")  # what names a transcript that has no hearing day


@dataclass(frozen=True)
class Style:
    form: str = "short"  # short | long
    name_by: str = "witness"  # witness | title


@dataclass(frozen=True)
class Source:
    """What a citation needs to know of its document."""

    kind: str
    urn: str = ""
    title: str = ""
    witness: str = ""
    day: int | None = None


@dataclass(frozen=True)
class TranscriptRef:
    day: int | None
    page: int
    line: int
    page_to: int | None = None
    line_to: int | None = None
    name: str = ""  # the witness or title naming a transcript without a day


def _form(style) -> str:
    return getattr(style, "form", style) if getattr(style, "form", style) in STYLES else "short"


def transcript(
    day: int | None,
    p1: int,
    l1: int,
    p2: int | None = None,
    l2: int | None = None,
    style: "str | Style" = "short",
    name: str = "",
) -> str:
    """Day 45/12:3, Day 45/12:3-9, Day 45/12:3-13:7; without a day, `name`
    (the witness or short title) instead: McCaffrey 12:3-9. Style 'long'
    spells it out: Day 45, page 12, lines 3 to 9."""
    p2 = p1 if p2 is None else p2
    l2 = l1 if l2 is None else l2
    who = f"Day {day}" if day is not None else (name.strip() or "Untitled transcript")
    if _form(style) == "long":
        if (p1, l1) == (p2, l2):
            return f"{who}, page {p1}, line {l1}"
        if p1 == p2:
            return f"{who}, page {p1}, lines {l1} to {l2}"
        return f"{who}, page {p1}, line {l1} to page {p2}, line {l2}"
    if (p1, l1) == (p2, l2):
        span = f"{p1}:{l1}"
    elif p1 == p2:
        span = f"{p1}:{l1}-{l2}"
    else:
        span = f"{p1}:{l1}-{p2}:{l2}"
    return f"{who}/{span}" if day is not None else f"{who} {span}"


def document(
    urn: str, page: str | int, page_to: str | int | None = None, title: str = "", style="short"
) -> str:
    """{URN/4} or {URN/4-6}; without a URN the title and printed page. Long
    style: URN, page 4 / URN, pages 4 to 6."""
    page, page_to = str(page), None if page_to in (None, "", page) else str(page_to)
    name = urn or (title.strip() or "Untitled")
    if _form(style) == "long":
        return f"{name}, page {page}" if page_to is None else f"{name}, pages {page} to {page_to}"
    pages = page if page_to is None else f"{page}-{page_to}"
    if urn:
        return "{" + f"{urn}/{pages}" + "}"
    return f"{name}, p. {pages}" if page_to is None else f"{name}, pp. {pages}"


_POST_NOMINAL = re.compile(r"^(?:[A-Z]{2,}|\(.*\)|[A-Z]{2,}\W*)$")
_EXTENSION = re.compile(r"\.(?:pdf|txt|docx?|rst|md|html?)$", re.IGNORECASE)


def surname(witness: str) -> str:
    """McCaffrey from 'Dr Ian McCaffrey', 'McCaffrey, Ian' or 'Ian McCaffrey KC'."""
    witness = " ".join((witness or "").split())
    if "," in witness:
        return witness.split(",", 1)[0].strip()
    words = [w for w in witness.split() if not _POST_NOMINAL.match(w)]
    return words[-1] if words else witness


def short_title(title: str, limit: int = 40) -> str:
    """The title without a file extension, cut at a word within `limit` characters."""
    title = _EXTENSION.sub("", " ".join((title or "").split()))
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0]
    return (cut if len(cut) >= limit // 2 else title[:limit]).rstrip(" ,;:-")


def transcript_name(witness: str, title: str, name_by: str = "witness") -> str:
    """What names a transcript without a hearing day in its citations."""
    if name_by == "witness" and surname(witness):
        return surname(witness)
    return short_title(title) or "Untitled transcript"


def cite(
    src: Source,
    start: tuple[int, int] | str | int,
    end: tuple[int, int] | str | int | None = None,
    style: "Style | str" = "short",
    day: int | None = None,
    paras: tuple[int | None, int | None] = (None, None),
    area: bool = False,
) -> str:
    """The citation of a place in a document, by the document's kind.
    Transcripts: `start`/`end` are (printed page, line) and `day` overrides the
    document's; other documents: printed page labels. `paras`: the numbered
    paragraphs it spans, where the document has them (see `paragraphs`).
    `area`: a rectangle drawn on the page `start` (see `area_cite`)."""
    style = style if isinstance(style, Style) else Style(_form(style))
    if area:
        return area_cite(src, start[0] if isinstance(start, tuple) else start, style, day)
    if paras[0] is not None:
        return paragraphs(src, start, end, paras[0], paras[1], style, day)
    if src.kind == "transcript" and isinstance(start, tuple):
        end = end if isinstance(end, tuple) else start
        day = src.day if day is None else day
        name = "" if day is not None else transcript_name(src.witness, src.title, style.name_by)
        return transcript(day, start[0], start[1], end[0], end[1], style, name)
    if isinstance(start, tuple) or isinstance(end, tuple):
        raise ValueError("Only transcripts are cited by page and line; other documents by page.")
    return document(src.urn, start, end, src.title, style)


AREA = "area"


def area_cite(src: Source, page: str | int, style: "Style | str" = "short", day: int | None = None) -> str:
    """An area (a rectangle drawn on a page) is cited by its page: {URN/4}, area;
    Day 45/12, area; long: URN, page 4 (area); Day 45, page 12 (area)."""
    style = style if isinstance(style, Style) else Style(_form(style))
    long = _form(style) == "long"
    if src.kind == "transcript":
        day = src.day if day is None else day
        who = f"Day {day}" if day is not None else transcript_name(src.witness, src.title, style.name_by)
        if long:
            return f"{who}, page {page} ({AREA})"
        return f"{who}/{page}, {AREA}" if day is not None else f"{who} p. {page}, {AREA}"
    if long:
        return f"{document(src.urn, page, None, src.title, style)} ({AREA})"
    return f"{document(src.urn, page, None, src.title, style)}, {AREA}"


_AREA_TAIL = re.compile(rf"(?:,\s*{AREA}|\s*\({AREA}\))\s*$", re.IGNORECASE)


def strip_area(text: str) -> str:
    """A citation without its area mark ("{URN/4}, area" -> "{URN/4}"): the place is the page."""
    text = text if isinstance(text, str) else ""
    return _AREA_TAIL.sub("", text).strip()


# ---- reading citations back -------------------------------------------------
# Numbers have at most 9 digits, so int() never meets an absurd length.
_N = r"\d{1,9}"
_TO = r"\s*(?:-|\u2013|to)\s*"
_SHORT_SPAN = rf"(?P<p1>{_N})\s*:\s*(?P<l1>{_N})(?:{_TO}(?:(?P<p2>{_N})\s*:\s*)?(?P<l2>{_N}))?"
_LONG_SPAN = (
    rf"page\s+(?P<p1>{_N}),?\s*lines?\s+(?P<l1>{_N})"
    rf"(?:{_TO}(?:page\s+(?P<p2>{_N}),?\s*line\s+)?(?P<l2>{_N}))?"
)
# "Day 45/12:3", "Day 45, 12:3-13:7" (older short ranges), "Day 45, page 12, lines 3 to 9"
_DAY_SHORT = re.compile(rf"^\s*day\s+(?P<day>{_N})\s*(?:/|,)\s*{_SHORT_SPAN}\s*$", re.IGNORECASE)
_DAY_LONG = re.compile(rf"^\s*day\s+(?P<day>{_N}),\s*{_LONG_SPAN}\s*$", re.IGNORECASE)
# "McCaffrey 12:3-5", "Transcript/12:3" (older), "McCaffrey, page 12, lines 3 to 5"
_NAMED_SHORT = re.compile(rf"^\s*(?P<name>\S.*?)(?:\s*/\s*|\s+){_SHORT_SPAN}\s*$", re.IGNORECASE)
_NAMED_LONG = re.compile(rf"^\s*(?P<name>\S.*?),\s*{_LONG_SPAN}\s*$", re.IGNORECASE)
_PAGE = r"[\w.]+"
_D_REF = re.compile(
    rf"^\s*\{{?\s*(?P<urn>[A-Za-z]+[A-Za-z0-9_.-]*\d)\s*/\s*(?P<page>{_PAGE})"
    rf"(?:\s*(?:-|\u2013)\s*(?P<page_to>{_PAGE}))?\s*\}}?\s*$"
)
_D_NAMED = re.compile(
    rf"^\s*(?P<name>\S.*?),\s*(?:pp?\.|pages?)\s*(?P<page>{_PAGE})(?:{_TO}(?P<page_to>{_PAGE}))?\s*$",
    re.IGNORECASE,
)
_URN_LIKE = re.compile(r"[A-Za-z]+[A-Za-z0-9_.-]*\d")


class DocumentRef(tuple):
    """(urn, page) as a pair, with `page_to` set for a page range {URN/4-6}
    and `name`: the URN, or the title of a document cited without one."""

    page_to: str | None = None
    name: str = ""

    def __new__(cls, urn: str, page: str, page_to: str | None = None, name: str = ""):
        ref = super().__new__(cls, (urn, page))
        ref.page_to = page_to
        ref.name = name or urn
        return ref


def _t_ref(m, day: int | None, name: str = "") -> TranscriptRef:
    p1, l1 = int(m["p1"]), int(m["l1"])
    if m["l2"] is None:
        return TranscriptRef(day, p1, l1, name=name)
    return TranscriptRef(day, p1, l1, int(m["p2"] or p1), int(m["l2"]), name=name)


def parse(text: str) -> TranscriptRef | DocumentRef | None:
    """Parse any citation `cite` writes (and older forms); None if it is none."""
    text = text if isinstance(text, str) else ""
    m = _DAY_SHORT.match(text) or _DAY_LONG.match(text)
    if m:
        return _t_ref(m, int(m["day"]))
    m = _D_REF.match(text)
    if m and ("{" in text or ":" not in text):
        return DocumentRef(m["urn"], m["page"], m["page_to"])
    for rx in (_NAMED_LONG, _NAMED_SHORT):
        m = rx.match(text)
        if m:
            return _t_ref(m, None, m["name"].strip())
    m = _D_NAMED.match(text)
    if m:
        name = m["name"].strip()
        urn = name if _URN_LIKE.fullmatch(name) else ""
        return DocumentRef(urn, m["page"], m["page_to"], name)
    return None


# Paragraphs: numbered paragraphs of a witness statement, and the turns of a
# hearing published as web text, which has no printed pages (Annotator
# numbers them, and the citation says so).
TOOL_NUMBERING = "numbered by Annotator"


def _paras(p1: int, p2: int | None, style: str) -> str:
    one = p2 in (None, p1)
    if style == "long":
        return f"paragraph {p1}" if one else f"paragraphs {p1} to {p2}"
    return f"para {p1}" if one else f"paras {p1}-{p2}"


def statement(
    urn: str,
    page: str | int,
    page_to: str | int | None,
    para: int,
    para_to: int | None = None,
    title: str = "",
    style: "Style | str" = "short",
) -> str:
    """{WITN01230100/4}, para 12 — the printed page, then the paragraph
    (long: WITN01230100, page 4, paragraph 12)."""
    return f"{document(urn, page, page_to, title, style)}, {_paras(para, para_to, _form(style))}"


def tool_numbered(name: str, para: int, para_to: int | None = None, style: "Style | str" = "short") -> str:
    """A hearing without printed pages: Day 5, para 245 [numbered by Annotator]."""
    return f"{name}, {_paras(para, para_to, _form(style))} [{TOOL_NUMBERING}]"


def paragraphs(
    src: Source,
    page: "str | int | tuple",
    page_to: "str | int | tuple | None",
    para: int,
    para_to: int | None,
    style: Style,
    day: int | None = None,
) -> str:
    """A place that has paragraph numbers: a web transcript's (the tool's own
    numbering, named like any transcript) or a statement's (printed page, then
    paragraph)."""
    if src.kind == "transcript":
        day = src.day if day is None else day
        name = f"Day {day}" if day is not None else transcript_name(src.witness, src.title, style.name_by)
        return tool_numbered(name, para, para_to, style)
    first = page[0] if isinstance(page, tuple) else page  # (page, line) -> page
    last = page_to[0] if isinstance(page_to, tuple) else page_to
    return statement(src.urn, first, last, para, para_to, src.title, style)


@dataclass(frozen=True)
class ParagraphRef:
    """`{URN/4}, para 12`, `Whitty, paras 3-5 [numbered by Annotator]`, `para 7`:
    the paragraphs, and what names their document (`base`, "" for the open one)."""

    base: str
    para: int
    para_to: int | None = None


_PARA_REF = re.compile(
    rf"^\s*(?:(?P<base>.*?\S)\s*,\s*)?(?:¶\s*|paras?\.?\s+|paragraphs?\s+)(?P<p1>{_N})"
    rf"(?:{_TO}(?P<p2>{_N}))?\s*(?:\[\s*{TOOL_NUMBERING}\s*\])?\s*$",
    re.IGNORECASE,
)


def parse_paragraphs(text: str) -> ParagraphRef | None:
    """Read back a citation written by `statement` or `tool_numbered`."""
    m = _PARA_REF.match(text if isinstance(text, str) else "")
    if not m:
        return None
    return ParagraphRef(m["base"] or "", int(m["p1"]), int(m["p2"]) if m["p2"] else None)


# ---- finding citations inside running text (core/library/references.py) ----
# The same pieces as the patterns `parse` reads, unanchored and without group
# names, so a finder can join them; what it finds is read by `parse` itself.
def _bare(rx: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", rx)


_PARAS_AFTER = (
    rf"(?:\s*,\s*(?:¶\s*|paras?\.?\s+|paragraphs?\s+){_N}(?:{_TO}{_N})?(?:\s*\[\s*{TOOL_NUMBERING}\s*\])?)"
)
IN_TEXT = {
    # Day 45/12:3-9, Day 45, page 12, lines 3 to 9, Day 5, para 245 [numbered by Annotator]
    "day": rf"\bday\s+{_N}(?:\s*(?:/|,)\s*{_bare(_SHORT_SPAN)}|,\s*{_bare(_LONG_SPAN)}|{_PARAS_AFTER})",
    # what follows a transcript's name: 12:3-5, /12:3, , page 12, line 3, , paras 3-5
    "after_name": rf"(?:(?:\s*/\s*|\s+){_bare(_SHORT_SPAN)}|,\s*{_bare(_LONG_SPAN)}|{_PARAS_AFTER})",
    # what follows a document's URN or title: , p. 4 / , pages 4 to 6
    "pages_after": rf",\s*(?:pp?\.|pages?)\s*{_PAGE}(?:{_TO}{_PAGE})?",
    # {MSF0001234/4-6}
    "braced": rf"\{{\s*{_URN_LIKE.pattern}\s*/\s*{_PAGE}(?:\s*(?:-|\u2013)\s*{_PAGE})?\s*\}}",
    # , para 12 after any of these
    "paras_after": _PARAS_AFTER,
}
