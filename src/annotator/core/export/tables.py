"""CSV, XLSX and DOCX tables of the selected passages (one row per extract)."""

import csv

from annotator.core.export.plan import Extract, Plan
from annotator.core.util.safetext import csv_row, xml_text

COLUMNS = (
    "Item",
    "Citation",
    "Document",
    "Reference",
    "Witness",
    "Date",
    "Quote",
    "Themes",
    "Note",
    "Author",
    "Important",
    "Links",
    "Passage id",
    "Area",
)
REDACTED = "[redacted]"


def area_text(e: Extract) -> str:
    """An area's rectangle as a table shows it: page 4: 72,600-300,700 pt (the PDF page,
    from 1; points from its top left). Empty for a passage of text."""
    if e.area is None:
        return ""
    page, x0, y0, x1, y1 = e.area
    return f"page {page + 1}: {x0:g},{y0:g}-{x1:g},{y1:g} pt"


def rows(plan: Plan) -> list[list[object]]:
    out: list[list[object]] = []
    for e in plan.extracts:
        links = "; ".join(
            f"{r.relation}{' (from)' if r.direction == 'in' else ''} {r.printed}"
            + ("" if r.status == "ok" else f" [{'deleted' if r.status == 'deleted' else 'not in selection'}]")
            for r in e.refs
        )
        out.append(
            [
                e.number,
                e.citation,
                e.doc.title,
                e.doc.urn,
                e.doc.witness,
                e.doc.date,
                REDACTED if e.redact or plan.hidden_in(e) else e.quote,
                ", ".join(t.name for t in e.themes),
                e.note if plan.selection.notes else "",
                e.author if plan.selection.notes else "",
                "yes" if e.important else "",
                links,
                e.id,
                area_text(e),
            ]
        )
    return out


def write_csv(plan: Plan, path: str) -> None:
    # UTF-8 with a BOM so Excel opens accented names and dashes correctly.
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        w.writerows(csv_row(r) for r in rows(plan))


def write_xlsx(plan: Plan, path: str, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    sh = wb.active
    sh.title = "Passages"
    sh.append(list(COLUMNS))
    for cell in sh[1]:
        cell.font = Font(bold=True)
    for r in rows(plan):
        sh.append([xml_text(v) for v in r])
        for cell in sh[sh.max_row]:
            if cell.data_type == "f":  # text that starts with "=": kept as text, never evaluated
                cell.data_type = "s"
    widths = (7, 22, 30, 14, 18, 11, 70, 24, 50, 16, 9, 40, 9, 26)
    for i, w in enumerate(widths):
        sh.column_dimensions[chr(65 + i)].width = w
    for row in sh.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sh.freeze_panes = "A2"
    sh.auto_filter.ref = sh.dimensions
    wb.properties.title = xml_text(title)
    wb.save(path)


def write_docx(plan: Plan, path: str, title: str) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.8))
    doc.add_heading(xml_text(title), level=1)
    if plan.inquiry:
        doc.add_paragraph(xml_text(plan.inquiry))
    cols = ["Item", "Citation", "Quotation", "Themes"] + (["Note"] if plan.selection.notes else [])
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, cols, strict=False):
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
    for e in plan.extracts:
        values = [
            e.number,
            f"{e.citation}\n{e.doc.title}" + (f"\nArea: {area_text(e)}" if e.area is not None else ""),
            REDACTED if e.redact or plan.hidden_in(e) else e.quote,
            ", ".join(t.name for t in e.themes),
        ]
        if plan.selection.notes:
            values.append(e.note + (f"\n— {e.author}" if e.note and e.author else ""))
        for cell, value in zip(table.add_row().cells, values, strict=False):
            cell.text = xml_text(value)
    widths = [Cm(1.4), Cm(4.5), Cm(12.5), Cm(3.2), Cm(5)]
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = w
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)
    doc.core_properties.title = xml_text(title)
    doc.save(path)
