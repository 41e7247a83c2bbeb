"""Raw PDF objects written through MuPDF's own calls.

PyMuPDF's xref helpers (get_new_xref, update_object, xref_set_key) look the
document up, print and re-parse whole objects on every call; a bundle makes
tens of thousands of objects, so this writer keeps one handle and parses
each batch of objects once.

This is the one module that calls MuPDF below PyMuPDF's public API (`mupdf.`,
`pymupdf._as_pdf_document`, objects whose references it drops by hand):
tests/core/test_pdfraw.py checks each of these calls against the installed
PyMuPDF, and compares every fast path here with the plain PyMuPDF way.
pyproject pins pymupdf-lite below its next minor release for them.
"""

import bisect
import zlib
from collections.abc import Iterable
from typing import Any

import pymupdf
from pymupdf import mupdf

# Our font keys as the standard Type 1 fonts every PDF reader carries; the
# layout measures text with MuPDF's metric-compatible versions of the same fonts.
BASE14 = {
    "sans": "Helvetica",
    "bold": "Helvetica-Bold",
    "italic": "Helvetica-Oblique",
    "serif": "Times-Roman",
    "serif-bold": "Times-Bold",
    "serif-italic": "Times-Italic",
    "mono": "Courier",
    "mono-bold": "Courier-Bold",
}
FONT_RES = {key: f"An{n}" for n, key in enumerate(BASE14)}  # resource names in our content
SMALL = 400  # bytes: streams this short are stored as they are (deflating saves little and costs more)


_ESCAPES = str.maketrans({"(": "\\(", ")": "\\)", "\\": "\\\\", "\r": "\\r", "\n": "\\n"})


def _escape(text: str) -> str:
    """Backslashes before what a PDF string cannot hold as it is (rarely needed)."""
    if "(" in text or ")" in text or "\\" in text or "\r" in text or "\n" in text:
        return text.translate(_ESCAPES)
    return text


def literal(text: str) -> str | None:
    """A PDF string in WinAnsi (cp1252), or None when the text needs other characters.

    The bytes are carried as Latin-1 characters: content streams are encoded
    with latin-1, which turns each back into its cp1252 byte."""
    if text.isascii():
        return "(" + _escape(text) + ")"
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return "(" + _escape(raw.decode("latin-1")) + ")"


def _deflate(data: bytes) -> bytes:
    """zlib's fastest level (the save would deflate harder for ~7 % less size at twice
    the time), with a window no larger than the data: the same output, and setting up
    a small window costs a tenth of the default 32 KB one (most of our streams are
    a few hundred bytes)."""
    wbits = min(15, max(9, len(data).bit_length()))
    z = zlib.compressobj(1, zlib.DEFLATED, wbits, max(1, wbits - 7))
    return z.compress(data) + z.flush()


def refs(xrefs: Iterable[int]) -> str:
    """A PDF array of references to these objects: "[12 0 R 13 0 R]"."""
    return "[" + " ".join(f"{x} 0 R" for x in xrefs) + "]"


def utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class Raw:
    """Adds objects to one PyMuPDF document.

    New objects get their number at once and are written together by
    flush(), from one parse: call it before PyMuPDF itself reads or saves
    the document."""

    def __init__(self, doc: pymupdf.Document):
        self.doc = doc
        self.pdf: mupdf.PdfDocument = pymupdf._as_pdf_document(doc)
        self.shared: dict[object, Any] = {}  # objects made once per document, by name
        self.edited = False  # PyMuPDF has edited pages itself (see hand_over)
        self._queue: list[tuple[int, str, bytes | None, bool]] = []
        self._puts: list[tuple[int, str, str]] = []  # (object, key, direct value)
        self._annots: dict[int, list[int]] = {}  # page -> annotations for a new /Annots

    def parse(self, src: str) -> mupdf.PdfObj:
        stm = mupdf.fz_open_buffer(mupdf.fz_new_buffer_from_copied_data(src.encode("latin-1")))
        return mupdf.pdf_parse_stm_obj(self.pdf, stm, mupdf.PdfLexbuf(mupdf.PDF_LEXBUF_SMALL))

    def later(self, src: str, data: bytes | None = None, xref: int | None = None) -> int:
        """The number of a new object (a stream of `data` when given) that flush()
        will write; `xref` fills a number taken earlier with reserve()."""
        if xref is None:
            xref = mupdf.pdf_create_object(self.pdf)
        packed = data is not None and len(data) > SMALL
        if data is not None and packed:
            data = _deflate(data)
            src = "<</Filter/FlateDecode" + src[2:]
        self._queue.append((xref, src, data, packed))
        return xref

    def put(self, xref: int, key: str, src: str) -> None:
        """Set a key (or a path of keys, "Resources/Font/F1") of an existing dictionary
        object to a direct value at flush(): one parse for all, and no object of its
        own to number and write for, say, an array of references."""
        self._puts.append((xref, key, src))

    def reserve(self) -> int:
        """A number for an object whose text needs numbers not taken yet (see later())."""
        return int(mupdf.pdf_create_object(self.pdf))

    def hand_over(self) -> None:
        """Flush before PyMuPDF edits a page itself; its edits (redaction above all)
        can leave replaced objects behind, so the save must then drop unused ones."""
        self.flush()
        self.edited = True

    def flush(self) -> None:
        for page, annots in self._annots.items():
            self.put(page, "Annots", refs(annots))
        self._annots = {}
        queue, self._queue = self._queue, []
        puts, self._puts = self._puts, []
        if not queue and not puts:
            return
        arr = self.parse("[" + "\n".join([item[1] for item in queue] + [item[2] for item in puts]) + "]")
        # MuPDF's low-level calls: the class wrappers cost more than the work here.
        # update_object/update_stream/dict_puts keep their own references to what they get.
        pdf, items = self.pdf.m_internal, arr.m_internal
        for k, (xref, _src, data, packed) in enumerate(queue):
            mupdf.ll_pdf_update_object(pdf, xref, mupdf.ll_pdf_array_get(items, k))
            if data is not None:
                ref = mupdf.ll_pdf_new_indirect(pdf, xref, 0)
                buf = mupdf.ll_fz_new_buffer_from_copied_data(data)
                mupdf.ll_pdf_update_stream(pdf, ref, buf, int(packed))
                mupdf.ll_fz_drop_buffer(buf)
                mupdf.ll_pdf_drop_obj(ref)
        for k, (xref, key, _src) in enumerate(puts, len(queue)):  # after: they may edit new objects too
            ref = mupdf.ll_pdf_new_indirect(pdf, xref, 0)
            mupdf.ll_pdf_dict_putp(ref, key, mupdf.ll_pdf_array_get(items, k))
            mupdf.ll_pdf_drop_obj(ref)

    def ref(self, xref: int) -> mupdf.PdfObj:
        return mupdf.pdf_new_indirect(self.pdf, xref, 0)

    def fonts(self) -> int:
        """One shared /Resources dictionary naming the standard fonts (made once)."""
        if "fonts" not in self.shared:
            for key, base in BASE14.items():
                self.shared["font", key] = self.later(
                    f"<</Type/Font/Subtype/Type1/BaseFont/{base}/Encoding/WinAnsiEncoding>>"
                )
            entries = "".join(f"/{FONT_RES[k]} {self.shared['font', k]} 0 R" for k in BASE14)
            self.shared["fonts"] = self.later(f"<</Font<<{entries}>>>>")
        return int(self.shared["fonts"])

    def font(self, key: str) -> int:
        """The font object behind one of our font keys."""
        self.fonts()
        return int(self.shared["font", key])

    def new_pages(self, n: int) -> None:
        """Append n empty A4 pages (what Document.new_page does, without loading each
        page back as a Page object), all pointing at the shared fonts as their
        resources: the pages we paint need nothing else."""
        box, res = mupdf.FzRect(0, 0, 595, 842), self.ref(self.fonts())
        for _ in range(n):
            mupdf.pdf_insert_page(self.pdf, -1, mupdf.pdf_add_page(self.pdf, box, 0, res, mupdf.FzBuffer()))

    def add_annots(self, page_xref: int, annots: list[int], existing: bool = True) -> None:
        """Add annotations to a page (`existing=False`: the caller knows it has none yet)."""
        if not annots:
            return
        if page_xref in self._annots:
            self._annots[page_xref] += annots
            return
        old = mupdf.pdf_dict_gets(self.ref(page_xref), "Annots") if existing else None
        if old is not None and mupdf.pdf_is_array(old):
            for a in annots:
                mupdf.pdf_array_push(old, self.ref(a))
            return
        self._annots[page_xref] = list(annots)  # written by flush() as a direct array

    def page_geometry(self, xref: int) -> tuple[float, float, list[int]] | None:
        """(width, height, content streams) of an unrotated page without annotations
        whose MediaBox starts at 0,0 (and CropBox, if any, is the same), with a
        resources dictionary; else None. Read key by key, without printing the page
        (2.4x as fast as Document.xref_get_key, which prints and parses per key)."""
        obj = self.ref(xref)
        if (
            mupdf.pdf_to_int(mupdf.pdf_dict_gets(obj, "Rotate")) % 360
            or mupdf.pdf_dict_gets(obj, "Annots").m_internal
        ):
            return None
        media = _numbers(mupdf.pdf_dict_gets(obj, "MediaBox"))
        crop = mupdf.pdf_dict_gets(obj, "CropBox")
        if (
            not media
            or media[0] != 0
            or media[1] != 0
            or (mupdf.pdf_is_array(crop) and _numbers(crop) != media)
        ):
            return None
        if not mupdf.pdf_is_dict(mupdf.pdf_dict_gets(obj, "Resources")):
            return None
        streams = self.content_streams(xref)
        return (media[2], media[3], streams) if streams else None

    def content_streams(self, xref: int) -> list[int] | None:
        """The object numbers of a page's content streams (its /Contents, resolved)."""
        contents = mupdf.pdf_dict_gets(self.ref(xref), "Contents")
        if mupdf.pdf_is_array(contents):
            return [
                mupdf.pdf_to_num(mupdf.pdf_array_get(contents, i))
                for i in range(mupdf.pdf_array_len(contents))
            ]
        if mupdf.pdf_is_stream(contents):
            return [mupdf.pdf_to_num(contents)]
        return None


def _numbers(obj: mupdf.PdfObj) -> list[float] | None:
    if not mupdf.pdf_is_array(obj) or mupdf.pdf_array_len(obj) != 4:
        return None
    return [mupdf.pdf_to_real(mupdf.pdf_array_get(obj, i)) for i in range(4)]


_LANG: int | None = None
_MONO: dict[str, bool] = {}


def show_string(
    tw: pymupdf.TextWriter, font: pymupdf.Font, size: float, x: float, y: float, text: str
) -> None:
    """TextWriter.append at (x, y) in PDF space (y up), without its per-call bounding
    box and point objects, which cost more than the text itself (4x as fast)."""
    global _LANG
    if _LANG is None:
        _LANG = mupdf.fz_text_language_from_string(None)
    trm = mupdf.fz_make_matrix(size, 0, 0, size, x, y)
    mupdf.fz_show_string(tw.this, font.this, trm, text, 0, 0, 0, _LANG)
    mono = _MONO.get(font.name)
    if mono is None:
        mono = _MONO[font.name] = font.flags["mono"] == 1
    if mono:
        tw.used_fonts.add(font)  # write_text repairs the widths of monospaced fonts


# PyMuPDF does not name this one: blank only the pixels under a redaction.
REDACT_IMAGE_PIXELS: int = mupdf.PDF_REDACT_IMAGE_PIXELS


def text_string(text: str) -> str:
    """A PDF text string (outline titles, annotation texts): plain ASCII or UTF-16."""
    return "(" + _escape(text) + ")" if text.isascii() else utf16(text)


def outline(raw: Raw, entries: list[tuple[int, str, str]]) -> None:
    """The bookmarks: (level, title, destination) in order, levels starting at 1 and
    going down one at a time. Top-level entries show; deeper ones start folded."""
    xrefs = [raw.reserve() for _ in range(len(entries) + 1)]  # 0: the root
    parent, kids = [0], {0: list[int]()}
    chain = [0]  # the open entry at each level
    for i, (level, _title, _dest) in enumerate(entries, 1):
        del chain[level:]
        parent.append(chain[-1])
        kids[chain[-1]].append(i)
        kids[i] = []
        chain.append(i)
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
        raw.later("<<" + "".join(bits) + ">>", xref=xrefs[i])
    root = mupdf.pdf_dict_gets(mupdf.pdf_trailer(raw.pdf), "Root")
    mupdf.pdf_dict_puts(root, "Outlines", raw.ref(xrefs[0]))


def link(rect: tuple[float, float, float, float], dest: str) -> str:
    """A GoTo link annotation (rect in PDF space), the source for Raw.later."""
    x0, y0, x1, y1 = rect
    return f"<</Type/Annot/Subtype/Link/Rect[{x0:g} {y0:g} {x1:g} {y1:g}]/Border[0 0 0]/F 4/Dest{dest}>>"


__all__ = [
    "Raw",
    "BASE14",
    "FONT_RES",
    "REDACT_IMAGE_PIXELS",
    "literal",
    "utf16",
    "text_string",
    "outline",
    "link",
    "refs",
    "show_string",
]
