"""Workspace settings: declared once here, typed, with defaults and checks.

Stored as JSON in the workspace's `setting` table (Workspace.get/set). The
ones a person sets (`shown`) are listed by `annotator settings` and offered
in the window's Workspace settings dialog.
"""

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.evidence.citations import NAME_BY, STYLES, Style
from annotator.core.util.errors import InvalidInput

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

# Three or four capitals then 7 to 9 digits: INQ000123456, WITN06080100, POL00012345.
DEFAULT_URN_PATTERN = r"[A-Z]{3,4}\d{7,9}"


def _regex(value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput("A URN pattern cannot be empty; e.g. [A-Z]{3,4}\\d{7,9}.")
    try:
        rx = re.compile(value)
    except re.error as err:
        raise InvalidInput(f"'{value}' is not a regular expression ({err}).") from None
    if rx.fullmatch(""):
        raise InvalidInput(f"The URN pattern '{value}' matches empty text; it must need at least a letter.")
    return value


def _language(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", value):
        raise InvalidInput(f"'{value}' is not a Tesseract language code; e.g. eng, or eng+fra for two.")
    return value


def _at_least_one(value: int) -> int:
    if value < 1:
        raise InvalidInput("Use a whole number from 1.")
    return value


@dataclass(frozen=True)
class Setting:
    key: str
    default: object
    help: str = ""
    choices: tuple[str, ...] = ()
    # returns the value to keep, or raises InvalidInput; given a value of the default's type
    check: Callable[[Any], object] | None = None
    shown: bool = True  # listed by `annotator settings`

    def coerce(self, value: object) -> object:
        kind = type(self.default)
        if kind is int:
            try:
                if isinstance(value, bool) or not isinstance(value, (int, str)):
                    raise ValueError(value)
                value = int(value)
            except ValueError:
                raise InvalidInput(f"{self.key} must be a whole number.") from None
        elif kind is str:
            value = str(value)
        if self.choices and value not in self.choices:
            raise InvalidInput(f"{self.key} must be one of: {', '.join(self.choices)}.")
        return self.check(value) if self.check else value


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("title", "Untitled workspace", "the workspace's title"),
        Setting("inquiry", "", "the inquiry's name (on bundle covers)"),
        Setting(
            "urn_pattern",
            DEFAULT_URN_PATTERN,
            "regular expression of the inquiry's document references (URNs)",
            check=_regex,
        ),
        Setting(
            "citation_style",
            "short",
            "short: Day 45/12:3-9; long: Day 45, page 12, lines 3 to 9",
            choices=STYLES,
        ),
        Setting(
            "cite_transcripts_by",
            "witness",
            "what names a transcript without a hearing day: its witness's surname or its short title",
            choices=NAME_BY,
        ),
        Setting("author", "", "the name written on passages and links"),
        Setting("backup_every_minutes", 10, "minutes between automatic backups", check=_at_least_one),
        Setting("backup_keep", 10, "backups kept", check=_at_least_one),
        Setting(
            "ocr_language",
            "eng",
            "Tesseract language(s) for text recognition of scans, e.g. eng or eng+fra",
            check=_language,
        ),
        Setting("last_export", {}, shown=False),
        Setting("last_import_folder", "", shown=False),  # where the import dialogs open next time
    )
}
DEFAULTS: dict[str, object] = {k: s.default for k, s in SETTINGS.items()}


def info(key: str) -> Setting:
    if key not in SETTINGS:
        raise KeyError(key)
    return SETTINGS[key]


def read(conn: sqlite3.Connection, key: str) -> object:
    """A setting read through a plain sqlite3 connection (inside a query)."""
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    try:
        return info(key).default if row is None else json.loads(row[0])
    except ValueError:
        return info(key).default


def citation_style(conn: sqlite3.Connection) -> Style:
    """How this workspace writes citations (see core.citations)."""
    form, name_by = read(conn, "citation_style"), read(conn, "cite_transcripts_by")
    return Style(
        form if isinstance(form, str) and form in STYLES else "short",
        name_by if isinstance(name_by, str) and name_by in NAME_BY else "witness",
    )


def apply(ws: "Workspace", values: dict[str, object]) -> dict[str, object]:
    """Check every value first, then store them all in one transaction; returns
    what was stored. Nothing is stored if one value is refused."""
    clean = {key: info(key).coerce(value) for key, value in values.items()}
    if clean:
        with ws.write("change settings", clean) as s:
            for key, value in clean.items():
                ws._set(s, key, value)
    return clean


def shown(ws: "Workspace") -> dict[str, object]:
    """Every setting a person sets, with its current value."""
    return {key: ws.get(key) for key, s in SETTINGS.items() if s.shown}
