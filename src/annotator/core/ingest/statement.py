"""Witness statements: printed `Page N of M` numbers, the header block
(Witness Name, Statement No., Dated, Exhibits) and numbered paragraphs.

Statements reach inquiries scanned and read by OCR, so the patterns allow
its usual slips (`0f` for `of`, `WITNO017` for `WITN0017`). A paragraph
number the OCR lost is not guessed: lines whose paragraph cannot be told
carry none, and are cited by page alone.
"""

import re

from annotator.core.ingest import people
from annotator.core.ingest.rows import Facts, ParsedLine, Row

PAGE_OF = re.compile(r"^\s*Page\s+(\d{1,4})\s+[oO0][fF]\s+(\d{1,4})\s*$", re.IGNORECASE)
_FIELD = re.compile(
    r"^\s*(Witness\s+Name|Statement\s+No\.?|Dated|Date|Exhibits?)\s*:\s*(.*?)\s*$", re.IGNORECASE
)
_NUMBERED = re.compile(r"^\s{0,6}(\d{1,3})\.\s+\S")
_LOST_NUMBER = re.compile(r"^\s{0,6}\.\s+\S")  # ". Whilst reviewing": the number went in the scan
_REF = re.compile(r"\b[A-Z]{3,5}[0-9O]{2,}[0-9O_/]*[0-9]\b")
MAX_GAP = 15  # numbers the OCR may lose between two it kept


def split_pages(text: str) -> list[tuple[str, str]] | None:
    """(printed page number, text) per page of a text statement cut at its
    `Page N of M` markers, or None if it has no such run of markers. A marker
    printed at the foot ends its page; one printed at the head starts it."""
    lines = text.split("\n")
    marks = [(i, int(m.group(1))) for i, ln in enumerate(lines) if (m := PAGE_OF.match(ln))]
    if len(marks) < 2 or [n for _i, n in marks] != list(range(marks[0][1], marks[0][1] + len(marks))):
        return None
    at = [i for i, _n in marks]
    head = sum(1 for ln in lines[: at[0]] if ln.strip()) <= 2
    if head:
        bounds = [0] + at[1:] + [len(lines)]
    else:
        bounds = [0] + [i + 1 for i in at]
        if any(ln.strip() for ln in lines[bounds[-1] :]):
            bounds[-1] = len(lines)  # what follows the last footer belongs to that page
    chunks = ["\n".join(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [(str(marks[0][1] + k), c) for k, c in enumerate(chunks)]


def printed_page(rows: list[Row]) -> str:
    """The N of a `Page N of M` printed on a page, or ""."""
    for r in rows:
        m = PAGE_OF.match(r.text)
        if m:
            return m.group(1)
    return ""


def header(pages: list[list[Row]]) -> Facts:
    """Witness, statement number, date and exhibits from the header block."""
    found: dict[str, str] = {}
    for r in [r for rows in pages[:2] for r in rows][:80]:
        m = _FIELD.match(r.text)
        if m:
            key = next(
                k for k in ("witness", "statement", "date", "exhibit") if m.group(1).lower().startswith(k)
            )
            found.setdefault(key, m[2])
    if len(found) < 2:
        return {}
    info: Facts = {"kind": "witness statement", "witness": found.get("witness", "")}
    info["date"] = people.find_date(found.get("date", ""))
    info["statement_no"] = _ocr_ref(found.get("statement", ""))
    info["exhibits"] = [_ocr_ref(x) for x in _REF.findall(found.get("exhibit", ""))]
    return info


def _ocr_ref(ref: str) -> str:
    """WITNO017_01 -> WITN0017_01: a letter O among the digits is a zero."""
    m = re.match(r"^([A-Z]{3,5}?)([0-9O][0-9O_/]*)$", ref.strip())
    return m.group(1) + m.group(2).replace("O", "0") if m else ref.strip()


def paragraphs(pages: list[list[Row]], lines: list[ParsedLine]) -> None:
    """Numbered paragraphs: each line gets the number of the paragraph it is
    in; page headers and footers, and lines in a stretch where numbers were
    lost and the paragraph cannot be told, get none."""
    repeated = _repeated(pages)
    numbered = []
    last = 0
    for k, ln in enumerate(lines):
        text = pages[ln.page_index][ln.row].text
        if PAGE_OF.match(text) or text.strip() in repeated:
            ln.role = "header"
            continue
        m = _NUMBERED.match(text)
        if m and last < int(m.group(1)) <= last + MAX_GAP:
            last = int(m.group(1))
            numbered.append((k, last))
    for j, (k, n) in enumerate(numbered):
        stop = numbered[j + 1][0] if j + 1 < len(numbered) else len(lines)
        gap = j + 1 < len(numbered) and numbered[j + 1][1] > n + 1
        for i in range(k, stop):
            ln = lines[i]
            if ln.role == "header":
                continue
            text = pages[ln.page_index][ln.row].text
            if gap and i > k and (_LOST_NUMBER.match(text) or _after_break(pages, ln)):
                break  # the paragraphs whose numbers were lost start here
            ln.para = n


def _after_break(pages: list[list[Row]], ln: ParsedLine) -> bool:
    """A new paragraph may start here: a capital (or the `|` OCR makes of
    `I`) after a blank row; a lower-case word carries on the one above."""
    rows = pages[ln.page_index]
    text = rows[ln.row].text.lstrip()
    if not text[:1].isupper() and not text.startswith(("|", "“", '"')):
        return False
    return ln.row == 0 or not rows[ln.row - 1].text.strip()


def _repeated(pages: list[list[Row]]) -> set[str]:
    """References printed at the head or foot of most pages (the URN)."""
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for rows in pages:
        texts = [r.text.strip() for r in rows if r.text.strip()]
        for t in set(texts[:3] + texts[-3:]):
            seen[t] = seen.get(t, 0) + 1
    return {t for t, n in seen.items() if n >= len(pages) * 0.6 and len(t) < 40 and re.search(r"\d", t)}
