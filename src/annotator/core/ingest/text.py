"""Plain text: decode, normalise line ends, split into pages."""

import codecs

FORM_FEED = "\f"


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: BOMs first, then UTF-8, UTF-16 without BOM,
    then Windows-1252 (a superset of Latin-1's printable range)."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) >= 4 and data.count(b"\x00") > len(data) // 4:
        even_zeros = data[0::2].count(0)
        odd_zeros = data[1::2].count(0)
        enc = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def normalise(text: str) -> str:
    """CRLF and CR to LF; a trailing DOS end-of-file byte dropped; nothing else."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\x1a") if text.endswith("\x1a") else text


def split_pages(text: str, lines_per_page: int = 60) -> list[str]:
    """Form feeds mark pages; text without them is cut every `lines_per_page` lines."""
    if FORM_FEED in text:
        pages = text.split(FORM_FEED)
        if pages and not pages[-1].strip():
            pages.pop()
        return pages or [""]
    lines = text.split("\n")
    return ["\n".join(lines[i:i + lines_per_page]) for i in range(0, max(1, len(lines)), lines_per_page)]
