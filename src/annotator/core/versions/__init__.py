"""New versions of a document: the new file replaces the text, the old file is
kept (by SHA-256) and listed, and every passage is carried across.

`prepare` reads the new file and works out where every passage goes without
writing anything (it can run in the background); `apply` writes it all in one
transaction as one command (core.changes) whose undo puts back the previous
version's pages, lines and every passage's anchor exactly as they were.

Modules: placing (read the new file and place every passage: `prepare`),
reanchor (the alignment of two versions' words), store (the undoable writes,
the versions listed), drafts (draft/final pairs for tests and benchmarks).
"""

from annotator.core.versions.placing import (
    STATUSES,
    Placement,
    Replacement,
    Report,
    carry,
    prepare,
    stored_layout,
)
from annotator.core.versions.store import (
    PlacePassage,
    ReplaceDocument,
    VersionInfo,
    apply,
    earlier_files,
    latest_report,
    place,
    replace,
    report_of,
    versions,
)

__all__ = [
    "STATUSES",
    "PlacePassage",
    "Placement",
    "ReplaceDocument",
    "Replacement",
    "Report",
    "VersionInfo",
    "apply",
    "carry",
    "earlier_files",
    "latest_report",
    "place",
    "prepare",
    "replace",
    "report_of",
    "stored_layout",
    "versions",
]
