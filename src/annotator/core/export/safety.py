"""No active content: remove scripts, launch actions and embedded files.

Copied pages keep only their content (links, annotations and form fields
are not copied), so this is a last check over every object of the bundle.
"""

from collections.abc import Iterable

import pymupdf

ACTIVE_KEYS = (
    "JS",
    "JavaScript",
    "Launch",
    "EmbeddedFile",
    "EmbeddedFiles",
    "AA",
    "OpenAction",
    "SubmitForm",
    "ImportData",
    "RichMedia",
)
MARKERS = tuple(f"/{k}" for k in ACTIVE_KEYS)


def active_objects(doc: pymupdf.Document, xrefs: Iterable[int] | None = None) -> list[int]:
    """xrefs (all, or the given ones) whose dictionary mentions active content."""
    hits = []
    for xref in xrefs if xrefs is not None else range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True)
        except Exception:
            continue
        if any(m in obj for m in MARKERS):
            hits.append(xref)
    return hits


def scrub(doc: pymupdf.Document, xrefs: Iterable[int] | None = None) -> int:
    """Null every active key in every object (or in the given ones, e.g. only the objects
    copied from originals: the rest we wrote ourselves); returns how many objects changed."""
    changed = 0
    for xref in active_objects(doc, xrefs):
        for key in doc.xref_get_keys(xref):
            if key in ACTIVE_KEYS:
                doc.xref_set_key(xref, key, "null")
                changed += 1
        kind, value = doc.xref_get_key(xref, "S")
        if kind == "name" and value.lstrip("/") in ACTIVE_KEYS:
            doc.xref_set_key(xref, "S", "/GoTo")
            changed += 1
    return changed
