"""Plain text: decode, normalise line ends, split into pages."""

import codecs
import re
from collections import Counter

FORM_FEED = "\f"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _wide_guess(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM, told apart by where the zero bytes fall."""
    sample = data[:4096]
    n = len(sample)
    if n < 4 or sample.count(0) < n // 4:
        return None
    by4 = [sample[i::4].count(0) for i in range(4)]
    quarter = n // 4
    if by4[1] >= quarter * 0.9 and by4[2] >= quarter * 0.9:
        return "utf-32-le" if by4[3] >= quarter * 0.9 else "utf-16-le"
    if by4[0] >= quarter * 0.9 and by4[1] >= quarter * 0.9 and by4[2] >= quarter * 0.9:
        return "utf-32-be"
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > n // 4 and odd > even * 2:
        return "utf-16-le"
    if even > n // 4 and even > odd * 2:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: BOMs first, then UTF-32/16 by zero-byte
    pattern, then UTF-8, then Windows-1252 (Latin-1 for its five unused bytes)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace"), enc
    wide = _wide_guess(data)
    if wide:
        return data.decode(wide, errors="replace"), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26, 27))


def looks_binary(data: bytes) -> bool:
    """Control bytes in more than a tenth of the start, and not UTF-16/32."""
    if any(data.startswith(bom) for bom, _ in _BOMS) or _wide_guess(data):
        return False
    head = data[:4096]
    return len(head) > 0 and sum(head.count(bytes([c])) for c in _CONTROL) > len(head) * 0.1


def normalise(text: str) -> str:
    """CRLF and CR to LF; NUL characters and a DOS end-of-file byte at the end
    dropped; nothing else, so quotations stay exact."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.rstrip("\x1a") if text.endswith("\x1a") else text


_MARGIN = re.compile(r"^\s{0,8}(\d{1,2})(?:\s|$)")


def split_pages(text: str, lines_per_page: int = 60) -> list[str]:
    """Form feeds mark pages. Without them, a transcript is cut where its margin
    numbering starts again at 1; other text every `lines_per_page` lines."""
    if FORM_FEED in text:
        pages = text.split(FORM_FEED)
        if len(pages) > 1 and not pages[-1].strip():
            pages.pop()
        return pages or [""]
    lines = text.split("\n")
    cuts = _numbering_restarts(lines)
    if cuts:
        bounds = [0] + cuts + [len(lines)]
        return ["\n".join(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    return ["\n".join(lines[i : i + lines_per_page]) for i in range(0, max(1, len(lines)), lines_per_page)]


def _numbering_restarts(lines: list[str]) -> list[int]:
    """Line indexes where a new 25-line page begins (just after the previous
    page's last numbered line), or [] when the text is not numbered so. Only
    numbers ending in the margin's usual column count: a row of text that
    merely begins with a number ("1 to 50, inclusive") is not a margin number."""
    found = [(i, m) for i, ln in enumerate(lines) if (m := _MARGIN.match(ln))]
    if len(found) < 20:
        return []
    column = Counter(m.end(1) for _i, m in found).most_common(1)[0][0]
    last_num, last_at, cuts = 0, -1, []
    for i, m in found:
        if abs(m.end(1) - column) > 1:
            continue
        n = int(m.group(1))
        if n == 1 and last_num >= 20:
            cuts.append(last_at + 1)
        last_num, last_at = n, i
    return cuts
