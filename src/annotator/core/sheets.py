"""Text bound for spreadsheets.

A CSV cell that starts with = + - @ (or a tab or carriage return) is read
by Excel and LibreOffice as a formula: a quotation such as "-- and then"
shows as an error, and a hostile document could plant a formula that runs
when counsel open the file. Such cells get a leading apostrophe, which
spreadsheets take as "this is text". XLSX needs no such mark: its cells are
typed, and ours are written as text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [csv_text(v) for v in values]
