"""SQLModel tables of a workspace.

Positions: a page's text is stored as extracted; lines and passages point
into it by (page index, character offset), so highlights and citations
always agree with the stored text.
"""

from datetime import datetime, UTC
from typing import Protocol

from sqlmodel import Field, SQLModel


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str = ""  # JSON


class Blob(SQLModel, table=True):
    """An original file, stored once, addressed by its SHA-256."""

    sha256: str = Field(primary_key=True)
    size: int = 0
    data: bytes = b""


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = "other"  # transcript | witness statement | exhibit | report | other
    title: str = ""
    urn: str = Field(default="", index=True)
    witness: str = Field(default="", index=True)
    date: str = ""  # ISO date when known
    day: int | None = Field(default=None, index=True)
    sha256: str = Field(foreign_key="blob.sha256", index=True)
    filename: str = ""
    source_format: str = "pdf"  # pdf | text | docx
    page_count: int = 0
    has_text: bool = True
    flags: str = ""  # JSON list, e.g. ["no-text-layer"]
    exhibits: str = "[]"  # JSON list of exhibit references (a statement's header)
    imported_at: str = Field(default_factory=now)
    position: int = 0


class Page(SQLModel, table=True):
    """One page of the original: a PDF page, or a page of a text file."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    index: int = 0  # 0-based position in the file
    label: str = ""  # page label printed/declared on it
    width: float = 0.0
    height: float = 0.0
    rotation: int = 0
    text: str = ""


class Line(SQLModel, table=True):
    """A line of text. Transcripts: day/tpage/line as printed; others: page/line."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    page_index: int = 0  # 0-based file page holding it
    seq: int = 0  # order within the document
    tpage: int = 0  # transcript page as printed (others: page_index + 1)
    line: int = 0  # line number as printed (others: counted from 1 per page)
    day: int | None = None
    speaker: str = ""
    role: str = "text"  # text | question | answer | speech | heading | stage | header | index
    text: str = ""
    char_start: int = 0  # offsets into Page.text
    char_end: int = 0
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    para: int | None = None  # numbered paragraph (statements) or turn numbered by the tool (web text)


class OcrPage(SQLModel, table=True):
    """A page that needs (or had) text recognition: its words are then in ocr_word."""

    __tablename__ = "ocr_page"
    document_id: int = Field(foreign_key="document.id", primary_key=True)
    page_index: int = Field(primary_key=True)
    status: str = "pending"  # pending | read (words stored) | done (in the page's text) | failed
    reason: str = ""  # why it failed
    lang: str = ""
    at: str = ""


class OcrWord(SQLModel, table=True):
    """A word recognised on a scanned page, in PDF points, with its place in Page.text."""

    __tablename__ = "ocr_word"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    page_index: int = 0
    seq: int = 0  # order on the page as recognised
    text: str = ""
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    conf: int = 100  # 0-100: how sure the recognition is (see core/ocr/engine.py)
    char_start: int = 0  # offsets into Page.text once the page's text is rebuilt
    char_end: int = 0


class Theme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    parent_id: int | None = Field(default=None, foreign_key="theme.id")
    colour: str = "#888888"
    shortcut: str = ""
    position: int = 0
    builtin: bool = False


class Passage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    start_page: int = 0  # 0-based file page
    start_char: int = 0  # offset in that page's text
    end_page: int = 0
    end_char: int = 0  # exclusive
    rects: str = "[]"  # JSON [[page, x0, y0, x1, y1], ...]
    quote: str = ""
    prefix: str = ""  # words just before the quote
    suffix: str = ""  # words just after
    day: int | None = None
    tpage_from: int | None = None
    line_from: int | None = None
    tpage_to: int | None = None
    line_to: int | None = None
    para_from: int | None = None  # paragraphs it spans (see Line.para)
    para_to: int | None = None
    note: str = ""
    author: str = ""
    important: bool = False
    redact: bool = False
    created_at: str = Field(default_factory=now)
    modified_at: str = Field(default_factory=now)
    deleted_at: str | None = Field(default=None, index=True)
    # after a new version of its document: exact | moved | changed | orphaned ("" before any)
    # (with a database default, so inserts that name only the older columns still work)
    anchor: str = Field(default="", sa_column_kwargs={"server_default": ""})
    old_quote: str = Field(default="", sa_column_kwargs={"server_default": ""})  # words before a change
    # an area: a rectangle drawn on a page (a signature, a photograph), in PDF points of
    # that page as its text is extracted (unrotated); all None for a passage of text
    area_page: int | None = None
    area_x0: float | None = None
    area_y0: float | None = None
    area_x1: float | None = None
    area_y1: float | None = None


class PassageTheme(SQLModel, table=True):
    __tablename__ = "passage_theme"
    passage_id: int = Field(foreign_key="passage.id", primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, index=True)


class Link(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="passage.id", index=True)
    target_id: int = Field(foreign_key="passage.id", index=True)
    relation: str = "see also"
    author: str = ""
    created_at: str = Field(default_factory=now)
    deleted_at: str | None = None


class SavedSearch(SQLModel, table=True):
    __tablename__ = "saved_search"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    query: str = ""
    created_at: str = Field(default_factory=now)


class DocumentVersion(SQLModel, table=True):
    """A version of a document's file; the current one is the document's own sha256."""

    __tablename__ = "document_version"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    number: int = 1
    sha256: str = Field(foreign_key="blob.sha256")
    filename: str = ""
    source_format: str = "pdf"
    page_count: int = 0
    imported_at: str = ""
    report: str = "{}"  # JSON: how the passages were carried onto this version


class Audit(SQLModel, table=True):
    """Append-only log of every change (triggers refuse updates and deletes)."""

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(default_factory=now)
    who: str = ""
    action: str = ""
    details: str = "{}"  # JSON


class Edition(SQLModel, table=True):
    """One PDF bundle as exported: what it held and where, so a later edition keeps its pages."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True)  # also written into the PDF's information dictionary
    series: str = Field(index=True)  # the uid of edition 1 of this bundle
    number: int = 1
    previous_uid: str = ""
    sha256: str = Field(index=True)  # of the file as written
    filename: str = ""
    title: str = ""
    letter: str = ""
    pages: int = 0
    selection: str = "{}"  # JSON Selection
    plan: str = "{}"  # JSON page plan (see export/editions.py)
    author: str = ""
    created_at: str = Field(default_factory=now)


class _Saved(Protocol):
    id: int | None


def saved_id(row: _Saved) -> int:
    """The id of a row read from (or flushed to) the database: SQLModel types every id
    as optional because a new, unsaved row has none yet."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has not been saved yet")
    return row.id
