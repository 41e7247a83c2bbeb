"""No active content: remove scripts, launch actions and embedded files.

Copied pages keep only their content (links, annotations and form fields
are not copied), so this is a last check over every object of the bundle.
"""

ACTIVE_KEYS = ("JS", "JavaScript", "Launch", "EmbeddedFile", "EmbeddedFiles", "AA", "OpenAction",
               "SubmitForm", "ImportData", "RichMedia")
MARKERS = tuple(f"/{k}" for k in ACTIVE_KEYS)


def active_objects(doc) -> list[int]:
    """xrefs whose dictionary mentions active content."""
    hits = []
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True)
        except Exception:
            continue
        if any(m in obj for m in MARKERS):
            hits.append(xref)
    return hits


def scrub(doc) -> int:
    """Null every active key in every object; returns how many objects changed."""
    changed = 0
    for xref in active_objects(doc):
        for key in doc.xref_get_keys(xref):
            if key in ACTIVE_KEYS:
                doc.xref_set_key(xref, key, "null")
                changed += 1
        kind, value = doc.xref_get_key(xref, "S")
        if kind == "name" and value.lstrip("/") in ACTIVE_KEYS:
            doc.xref_set_key(xref, "S", "/GoTo")
            changed += 1
    return changed
