"""Page and line numbers as printed in a transcript's margin, read without
the importer: pdftotext (poppler) for PDFs, the raw bytes for text files,
and a few plain regular expressions."""

import re
import shutil
import subprocess

MARGIN = re.compile(r"^\s{0,8}[·•]?(\d{1,2})[·•]?(?=\s|$)")
PAGE_WORD = re.compile(r"\bPage\s+(\d{1,5})\b(?!\s*(?:of|ID)\b)")
BARE = re.compile(r"^\s{20,}(\d{1,5})\s*$")
TRAIL = re.compile(r"\S\s{3,}(\d{1,5})\s*$")


def raw_pages(path) -> list[str]:
    path = str(path)
    if path.lower().endswith(".pdf"):
        exe = shutil.which("pdftotext")
        assert exe, "pdftotext (poppler-utils) is needed: see packaging/sysdeps.sh"
        out = subprocess.run([exe, "-layout", path, "-"], capture_output=True, check=True).stdout
        text = out.decode("utf-8", errors="replace")
    else:
        data = open(path, "rb").read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages


def printed_numbers(path) -> list[list[tuple[int, int, str]]]:
    """Per file page: [(printed page, printed line, text after the number)];
    [] for pages without at least five margin numbers."""
    out, prev_page = [], 0
    for page in raw_pages(path):
        rows = page.split("\n")
        numbered, last, where = [], 0, []
        for i, r in enumerate(rows):
            m = MARGIN.match(r)
            if m and last < int(m.group(1)) <= 25:
                last = int(m.group(1))
                numbered.append((last, r[m.end() :].strip(" ·\t")))
                where.append(i)
        if where:  # page numbers are printed above or below the numbered lines
            rows = rows[: where[0]] + rows[where[-1] + 1 :]
        page_no = None
        for r in rows:
            m = PAGE_WORD.search(r)
            if m:
                page_no = int(m.group(1))
                break
        if page_no is None:
            bare = [int(m.group(1)) for r in rows if (m := BARE.match(r))]
            first = next((r for r in rows if r.strip()), "")
            trail = TRAIL.search(first)
            page_no = bare[0] if bare else int(trail.group(1)) if trail else prev_page + 1
        prev_page = page_no
        out.append([(page_no, n, t) for n, t in numbered] if len(numbered) >= 5 else [])
    return out
