"""Raw PDF objects written through MuPDF's own calls.

PyMuPDF's xref helpers (get_new_xref, update_object, xref_set_key) look the
document up, print and re-parse whole objects on every call; a bundle makes
tens of thousands of objects, so this writer keeps one handle and parses
each batch of objects once.
"""

import bisect

import pymupdf
from pymupdf import mupdf

# Our font keys as the standard Type 1 fonts every PDF reader carries; the
# layout measures text with MuPDF's metric-compatible versions of the same fonts.
BASE14 = {"sans": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique",
          "serif": "Times-Roman", "serif-bold": "Times-Bold", "serif-italic": "Times-Italic",
          "mono": "Courier", "mono-bold": "Courier-Bold"}
FONT_RES = {key: f"An{n}" for n, key in enumerate(BASE14)}  # resource names in our content


_ESCAPES = str.maketrans({"(": "\\(", ")": "\\)", "\\": "\\\\", "\r": "\\r", "\n": "\\n"})


def literal(text: str) -> str | None:
    """A PDF string in WinAnsi (cp1252), or None when the text needs other characters.

    The bytes are carried as Latin-1 characters: content streams are encoded
    with latin-1, which turns each back into its cp1252 byte."""
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return "(" + raw.decode("latin-1").translate(_ESCAPES) + ")"


def utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class Raw:
    """Adds objects to one PyMuPDF document."""

    def __init__(self, doc):
        self.doc = doc
        self.pdf = pymupdf._as_pdf_document(doc)
        self._fonts = None
        self.shared: dict = {}  # other objects made once per document, by name

    def parse(self, src: str):
        stm = mupdf.fz_open_buffer(mupdf.fz_new_buffer_from_copied_data(src.encode("latin-1")))
        return mupdf.pdf_parse_stm_obj(self.pdf, stm, mupdf.PdfLexbuf(mupdf.PDF_LEXBUF_SMALL))

    def add(self, src: str) -> int:
        return mupdf.pdf_to_num(mupdf.pdf_add_object(self.pdf, self.parse(src)))

    def add_all(self, sources: list[str]) -> list[int]:
        """Several objects from one parse."""
        arr = self.parse("[" + "\n".join(sources) + "]")
        return [mupdf.pdf_to_num(mupdf.pdf_add_object(self.pdf, mupdf.pdf_array_get(arr, i)))
                for i in range(mupdf.pdf_array_len(arr))]

    def stream(self, data: bytes, head: str = "") -> int:
        """A new stream object (left uncompressed here: the save deflates it)."""
        buf = mupdf.fz_new_buffer_from_copied_data(data)
        return mupdf.pdf_to_num(mupdf.pdf_add_stream(self.pdf, buf, self.parse(f"<<{head}>>"), 0))

    def ref(self, xref: int):
        return mupdf.pdf_new_indirect(self.pdf, xref, 0)

    def fonts(self) -> int:
        """One shared /Resources dictionary naming the standard fonts (made once)."""
        if self._fonts is None:
            names = [f"<</Type/Font/Subtype/Type1/BaseFont/{b}/Encoding/WinAnsiEncoding>>" for b in BASE14.values()]
            xrefs = self.add_all(names)
            entries = "".join(f"/{FONT_RES[k]} {x} 0 R" for k, x in zip(BASE14, xrefs))
            self._fonts = self.add(f"<</Font<<{entries}>>>>")
        return self._fonts

    def append_annots(self, page_xref: int, annots: list[int]) -> None:
        if not annots:
            return
        obj = self.ref(page_xref)
        arr = mupdf.pdf_dict_gets(obj, "Annots")
        if not mupdf.pdf_is_array(arr):
            arr = mupdf.pdf_new_array(self.pdf, len(annots))
            mupdf.pdf_dict_puts(obj, "Annots", arr)
        for a in annots:
            mupdf.pdf_array_push(arr, self.ref(a))

    def set_contents(self, page_xref: int, streams: list[int], keep: bool = True) -> None:
        """The page draws its old contents (when `keep`) and then `streams`."""
        obj = self.ref(page_xref)
        old = mupdf.pdf_dict_gets(obj, "Contents")
        arr = mupdf.pdf_new_array(self.pdf, len(streams) + 1)
        if keep and mupdf.pdf_is_array(old):
            for i in range(mupdf.pdf_array_len(old)):
                mupdf.pdf_array_push(arr, mupdf.pdf_array_get(old, i))
        elif keep and mupdf.pdf_is_stream(old):
            mupdf.pdf_array_push(arr, old)
        for x in streams:
            mupdf.pdf_array_push(arr, self.ref(x))
        mupdf.pdf_dict_puts(obj, "Contents", arr)


def text_string(text: str) -> str:
    """A PDF text string (outline titles, annotation texts): plain ASCII or UTF-16."""
    return "(" + text.translate(_ESCAPES) + ")" if text.isascii() else utf16(text)


def outline(raw: Raw, entries: list[tuple[int, str, str]]) -> None:
    """The bookmarks: (level, title, destination) in order, levels starting at 1 and
    going down one at a time. Top-level entries show; deeper ones start folded."""
    pdf = raw.pdf
    xrefs = [mupdf.pdf_create_object(pdf) for _ in range(len(entries) + 1)]  # 0: the root
    parent, kids = [0], {0: []}
    chain = [0]  # the open entry at each level
    for i, (level, _title, _dest) in enumerate(entries, 1):
        del chain[level:]
        parent.append(chain[-1])
        kids[chain[-1]].append(i)
        kids[i] = []
        chain.append(i)
    objs = []
    for i in range(len(entries) + 1):
        bits = []
        children = kids[i]
        if children:
            count = len(children) if i == 0 else -len(children)
            bits.append(f"/Count {count}/First {xrefs[children[0]]} 0 R/Last {xrefs[children[-1]]} 0 R")
        if i == 0:
            bits.append("/Type/Outlines")
        else:
            _level, title, dest = entries[i - 1]
            siblings = kids[parent[i]]
            k = bisect.bisect_left(siblings, i)  # entries are numbered in order
            if k:
                bits.append(f"/Prev {xrefs[siblings[k - 1]]} 0 R")
            if k + 1 < len(siblings):
                bits.append(f"/Next {xrefs[siblings[k + 1]]} 0 R")
            bits.append(f"/Parent {xrefs[parent[i]]} 0 R/Title{text_string(title)}/Dest{dest}")
        objs.append("<<" + "".join(bits) + ">>")
    arr = raw.parse("[" + "\n".join(objs) + "]")
    for i, x in enumerate(xrefs):
        mupdf.pdf_update_object(pdf, x, mupdf.pdf_array_get(arr, i))
    root = mupdf.pdf_dict_gets(mupdf.pdf_trailer(pdf), "Root")
    mupdf.pdf_dict_puts(root, "Outlines", raw.ref(xrefs[0]))


def link(rect: tuple[float, float, float, float], dest: str) -> str:
    """A GoTo link annotation (rect in PDF space), for Raw.add_all."""
    x0, y0, x1, y1 = rect
    return f"<</Type/Annot/Subtype/Link/Rect[{x0:g} {y0:g} {x1:g} {y1:g}]/Border[0 0 0]/F 4/Dest{dest}>>"


__all__ = ["Raw", "BASE14", "FONT_RES", "literal", "utf16", "text_string", "outline", "link"]
