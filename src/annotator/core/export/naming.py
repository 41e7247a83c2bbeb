"""Bundle file names and safe writing (temporary file, then an atomic replace)."""

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from annotator.core.util.errors import AnnotatorError

FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
SWAP = {'"': "'", ":": " -", "/": "-", "\\": "-", "|": "-", "?": "", "*": "", "<": "", ">": ""}
RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
EXTENSIONS = {
    "pdf": ".pdf",
    "csv": ".csv",
    "xlsx": ".xlsx",
    "docx": ".docx",
    "json": ".json",
    "qdpx": ".qdpx",
}


class FileExists(AnnotatorError):
    pass


def safe_name(name: str) -> str:
    """A file name Windows accepts: forbidden characters become '-', no trailing dots or spaces."""
    name = FORBIDDEN.sub(lambda m: SWAP.get(m.group(0), ""), name).strip().rstrip(". ")
    name = re.sub(r"\s+", " ", name)
    stem = name.split(".")[0].upper()
    if stem in RESERVED:
        name = "_" + name
    return name[:200] or "Bundle"


def bundle_name(inquiry: str, title: str, letter: str, fmt: str = "pdf", edition: int = 1) -> str:
    """'<Inquiry> - <Title> - Bundle <Letter>.pdf' (parts that are empty are left out;
    ' - Edition 2' is added for a re-issue)."""
    parts = [p.strip() for p in (inquiry, title or "Bundle") if p and p.strip()]
    if letter.strip():
        parts.append(f"Bundle {letter.strip()}")
    if edition > 1:
        parts.append(f"Edition {edition}")
    return safe_name(" - ".join(parts)) + EXTENSIONS.get(fmt, "." + fmt)


def target_path(out: str, inquiry: str, title: str, letter: str, fmt: str, edition: int = 1) -> str:
    """A folder gets the standard name inside it; a file name is cleaned of forbidden characters."""
    out = os.path.abspath(os.path.expanduser(out))
    if os.path.isdir(out):
        return os.path.join(out, bundle_name(inquiry, title, letter, fmt, edition))
    folder, base = os.path.split(out)
    if not os.path.isdir(folder):
        raise AnnotatorError(f"The folder {folder} does not exist.")
    return os.path.join(folder, safe_name(base))


@contextmanager
def atomic(path: str, overwrite: bool = False) -> Iterator[str]:
    """Yield a temporary path beside `path`; it replaces `path` only if the block succeeds."""
    if os.path.exists(path) and not overwrite:
        raise FileExists(f"{path} already exists; choose another name or allow replacing it (--force).")
    folder = os.path.dirname(path) or "."
    if not os.access(folder, os.W_OK):
        raise AnnotatorError(f"Cannot write to the folder {folder}.")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".annotator-", suffix=".part")
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
