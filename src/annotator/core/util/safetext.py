"""Text bound for other programs: spreadsheets and XML files.

A CSV cell that starts with = + - @ (or a tab or carriage return) is read
by Excel and LibreOffice as a formula: a quotation such as "-- and then"
shows as an error, and a hostile document could plant a formula that runs
when counsel open the file. Such cells get a leading apostrophe, which
spreadsheets take as "this is text". XLSX needs no such mark: its cells are
typed, and ours are written as text.

XML (DOCX, XLSX, REFI-QDA) cannot hold most control characters at all,
and documents do carry them (form feeds, a DOS end-of-file byte, bells in
old PDF metadata): each becomes a space, so words stay apart.
"""

import re
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def csv_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_text(v) for v in values]


def xml_text(value: T) -> T | str:
    """The text with every character XML 1.0 forbids replaced by a space."""
    if isinstance(value, str) and _NOT_XML.search(value):
        return _NOT_XML.sub(" ", value)
    return value
