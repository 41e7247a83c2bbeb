"""Settings: each declared once here, typed, with its default, its check and where it lives.

Two homes (a setting's `scope`):
- "workspace": stored as JSON in the workspace's `setting` table; they belong to
  the inquiry's material (URN pattern, citation style, export defaults).
- "user": stored in the user's config folder (core/store/user_config.py); they
  belong to the person and this computer (name, backups, scale, appearance).
  A workspace may still hold its own value of a user setting, which then wins
  for that workspace; except the author, where the user's name (when set) wins
  over the workspace's own (`team join` stores the server login there; the demo
  its "Demo counsel"): see Workspace.author.

The ones a person sets (`shown`) are listed by `annotator settings` and make up
the window's Settings dialog (Edit > Settings…), in the order declared here.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.evidence.citations import NAME_BY, STYLES, Style
from annotator.core.store import user_config
from annotator.core.util.errors import InvalidInput

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

# Three or four capitals then 7 to 9 digits: INQ000123456, WITN06080100, POL00012345.
DEFAULT_URN_PATTERN = r"[A-Z]{3,4}\d{7,9}"
WORKSPACE, USER = "workspace", "user"
# The export's choices, named here once (core.export reads them from these declarations:
# the workspace module, which core.export uses, needs this one first).
EXPORT_FORMATS = ("pdf", "csv", "xlsx", "docx", "json", "qdpx")
EXPORT_ORDERS = ("theme", "document", "witness")
EXPORT_NUMBERING = ("plain", "prefix", "tab")
_YES = {"yes", "true", "on", "1"}
_NO = {"no", "false", "off", "0"}


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


def _stripped(value: str) -> str:
    return value.strip()


def _language(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", value):
        raise InvalidInput(f"'{value}' is not a Tesseract language code; e.g. eng, or eng+fra for two.")
    return value


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    help: str = ""
    choices: tuple[str, ...] = ()
    check: Callable[[Any], Any] | None = None  # returns the value to keep, or raises InvalidInput
    shown: bool = True  # listed by `annotator settings` and in the Settings dialog
    scope: str = WORKSPACE  # where it is stored: WORKSPACE or USER (see the module's doc)
    label: str = ""  # the dialog's field label
    low: int | None = None  # whole numbers: the smallest and largest allowed
    high: int | None = None
    labels: tuple[str, ...] = ()  # how each choice reads in the dialog (same order as choices)
    restart: bool = False  # takes effect the next time Annotator starts

    def coerce(self, value: object) -> Any:
        kind = type(self.default)
        if kind is bool:
            value = self._bool(value)
        elif kind is int:
            value = self._int(value)
        elif kind is str:
            value = str(value)
        if self.choices and value not in self.choices:
            raise InvalidInput(f"{self.key} must be one of: {', '.join(self.choices)}.")
        return self.check(value) if self.check else value

    def _bool(self, value: object) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _YES | _NO:
            return text in _YES
        raise InvalidInput(f"{self.key} must be yes or no.")

    def _int(self, value: object) -> int:
        try:
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise ValueError(value)
            number = int(value)
        except ValueError:
            raise InvalidInput(f"{self.key} must be a whole number.") from None
        if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
            raise InvalidInput(f"Use a whole number from {self.low} to {self.high}.")
        return number

    def choice_label(self, choice: str) -> str:
        return dict(zip(self.choices, self.labels, strict=False)).get(choice, choice)


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        # ---- the workspace's own ----
        Setting("title", "Untitled workspace", "the workspace's title", label="Title", check=_stripped),
        Setting("inquiry", "", "the inquiry's name (on bundle covers)", label="Inquiry"),
        Setting(
            "urn_pattern",
            DEFAULT_URN_PATTERN,
            "regular expression of the inquiry's document references (URNs)",
            check=_regex,
            label="URN pattern",
        ),
        Setting(
            "citation_style",
            "short",
            "short: Day 45/12:3-9; long: Day 45, page 12, lines 3 to 9",
            choices=STYLES,
            label="Citations",
            labels=("Short: Day 45/12:3-9, {INQ000123456/4}", "Long: Day 45, page 12, lines 3 to 9"),
        ),
        Setting(
            "cite_transcripts_by",
            "witness",
            "what names a transcript without a hearing day: its witness's surname or its short title",
            choices=NAME_BY,
            label="Transcripts without a day",
            labels=("The witness's surname: McCaffrey 12:3-5", "The document's short title"),
        ),
        Setting(
            "export_format",
            "pdf",
            "the format the export dialog starts with",
            choices=EXPORT_FORMATS,
            label="Export as",
            labels=(
                "Evidence bundle (PDF)",
                "Table (CSV)",
                "Spreadsheet (XLSX)",
                "Excerpt table (DOCX)",
                "Complete data (JSON)",
                "REFI-QDA project (QDPX)",
            ),
        ),
        Setting(
            "export_order",
            "theme",
            "the order the export dialog starts with",
            choices=EXPORT_ORDERS,
            label="Export order",
            labels=("By theme, then chronology", "By document order", "By witness"),
        ),
        Setting(
            "export_numbering",
            "plain",
            "the page numbers the export dialog starts with",
            choices=EXPORT_NUMBERING,
            label="Page numbers",
            labels=("1, 2, 3 …", "Bundle letter prefix: C1, C2 …", "Tab and page: 2-1, 2-2 …"),
        ),
        Setting("export_notes", True, "exports include notes and their authors", label="Include notes"),
        Setting(
            "export_source_pages",
            False,
            "PDF bundles include the source pages, passages highlighted",
            label="Include source pages",
        ),
        Setting(
            "ocr_language",
            "eng",
            "Tesseract language(s) for text recognition of scans, e.g. eng or eng+fra",
            label="Text recognition language",
            check=_language,
        ),
        Setting("last_export", {}, shown=False),
        Setting("last_import_folder", "", shown=False),  # where the import dialogs open next time
        # ---- the person's, in the config folder ----
        Setting(
            "author",
            "",
            "your name, written on new passages, notes, links and team changes "
            "(empty: the workspace's own name, else your login name)",
            scope=USER,
            label="Your name",
            check=_stripped,
        ),
        Setting(
            "backup_every_minutes",
            10,
            "minutes between automatic backups (only after changes)",
            scope=USER,
            label="Back up every (minutes)",
            low=1,
            high=24 * 60,
        ),
        Setting(
            "backup_keep", 10, "backups kept per workspace", scope=USER, label="Backups kept", low=1, high=999
        ),
        Setting(
            "interface_scale",
            100,
            "size of text and controls, in percent (applies when Annotator next starts)",
            scope=USER,
            label="Interface scale (%)",
            low=50,
            high=300,
            restart=True,
        ),
        Setting(
            "appearance",
            "system",
            "system: follow the desktop; light or dark: always that",
            choices=("system", "light", "dark"),
            scope=USER,
            label="Appearance",
            labels=("Follow the system", "Light", "Dark"),
        ),
        Setting(
            "reopen_last",
            True,
            "open the last workspace again when Annotator starts",
            scope=USER,
            label="Reopen the last workspace",
        ),
    )
}
DEFAULTS: dict[str, object] = {k: s.default for k, s in SETTINGS.items()}


def info(key: str) -> Setting:
    if key not in SETTINGS:
        raise KeyError(key)
    return SETTINGS[key]


def _decoded(key: str, stored: object) -> Any:
    """A stored value, or the default when it no longer passes its declaration."""
    try:
        return info(key).coerce(stored)
    except InvalidInput:
        return info(key).default


def user_value(key: str) -> Any:
    """A user setting as stored in the config folder (its default when absent)."""
    stored = user_config.load()
    return _decoded(key, stored[key]) if key in stored else info(key).default


def read(conn: Any, key: str) -> Any:
    """A setting read through a plain sqlite3 connection (inside a query)."""
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    if row is None:
        return user_value(key) if info(key).scope == USER else info(key).default
    try:
        return json.loads(row[0])
    except ValueError:
        return info(key).default


def citation_style(conn: Any) -> Style:
    """How this workspace writes citations (see core.citations)."""
    form, name_by = read(conn, "citation_style"), read(conn, "cite_transcripts_by")
    return Style(
        form if isinstance(form, str) and form in STYLES else "short",
        name_by if isinstance(name_by, str) and name_by in NAME_BY else "witness",
    )


def check(values: dict[str, object]) -> dict[str, object]:
    """Every value as it would be stored; raises InvalidInput (naming the first refused one)."""
    return {key: info(key).coerce(value) for key, value in values.items()}


def apply(ws: "Workspace | None", values: dict[str, object]) -> dict[str, object]:
    """Check every value first, then store each in its home (the workspace's in one
    transaction); returns what was stored. Nothing is stored if one value is refused."""
    clean = check(values)
    mine = {k: v for k, v in clean.items() if info(k).scope == WORKSPACE}
    if mine and ws is None:
        raise InvalidInput(f"{', '.join(mine)}: open a workspace to change its settings.")
    if mine:
        assert ws is not None
        with ws.write("change settings", mine) as s:
            for key, value in mine.items():
                ws._set(s, key, value)
    theirs = {k: v for k, v in clean.items() if info(k).scope == USER}
    if theirs:
        user_config.save(theirs)
        if ws is not None:
            ws.forget_author()
    return clean


def current(ws: "Workspace | None", key: str) -> Any:
    """A setting's value in its home: the user's for a user setting, else the workspace's."""
    if info(key).scope == USER:
        return user_value(key)
    return ws.get(key) if ws is not None and ws.engine is not None else info(key).default


def shown(ws: "Workspace | None", scope: str | None = None) -> dict[str, Any]:
    """Every setting a person sets (of one scope, or both), with its current value."""
    return {
        key: current(ws, key)
        for key, s in SETTINGS.items()
        if s.shown and (scope is None or s.scope == scope) and (ws is not None or s.scope == USER)
    }
