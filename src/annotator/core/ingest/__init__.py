"""Import files into a workspace: PDF, plain text, DOCX (see importer.py).

Names are loaded on first use so that the PDF reader child process, which
imports `annotator.core.ingest.worker`, does not pay for the database
layers at start-up.
"""

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


def __getattr__(name: str):
    if name in _NAMES:
        from annotator.core.ingest import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
