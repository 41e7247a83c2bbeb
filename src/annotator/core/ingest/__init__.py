"""Import files into a workspace: PDF, plain text, DOCX (see importer.py).

Names are loaded on first use so that the PDF reader child process, which
imports `annotator.core.ingest.worker`, does not pay for the database
layers at start-up.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what __getattr__ hands out, for the type checker
    from annotator.core.ingest.importer import (
        NO_TEXT as NO_TEXT,
        NO_TEXT_MESSAGE as NO_TEXT_MESSAGE,
        SUPPORTED as SUPPORTED,
        ImportResult as ImportResult,
        Parsed as Parsed,
        expand_paths as expand_paths,
        guess_urn as guess_urn,
        import_file as import_file,
        parse_bytes as parse_bytes,
        sniff as sniff,
        store as store,
    )

_NAMES = {
    "import_file",
    "ImportResult",
    "Parsed",
    "parse_bytes",
    "store",
    "sniff",
    "guess_urn",
    "expand_paths",
    "SUPPORTED",
    "NO_TEXT",
    "NO_TEXT_MESSAGE",
}


def __getattr__(name: str) -> object:
    if name in _NAMES:
        from annotator.core.ingest import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
