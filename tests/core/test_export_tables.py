"""CSV, XLSX, DOCX and JSON exports; JSON reads back into a workspace without loss."""

import csv
import json

import pytest
from sqlmodel import select

from annotator.core.evidence import passages as passage_views
from annotator.core.evidence import tagging
from annotator.core.util.errors import InvalidInput
from annotator.core.export import Selection, count, export
from annotator.core.export.jsonio import dump, import_json
from annotator.core.store.models import Blob
from annotator.core.store.workspace import Workspace
from helpers import run_cli


def test_counts_follow_the_selection(demo_ws):
    from annotator.core.evidence import themes

    assert count(demo_ws, Selection()) == (13, 4)
    with demo_ws.session() as s:
        safety, quality = themes.find(s, "Safety").id, themes.find(s, "Quality").id
    n_any, _ = count(demo_ws, Selection(themes=[safety, quality]))
    n_all, _ = count(demo_ws, Selection(themes=[safety, quality], theme_mode="all"))
    assert n_all < n_any <= 13
    assert count(demo_ws, Selection(important_only=True))[0] == 0
    with pytest.raises(InvalidInput):  # an empty bundle is refused, and no file appears
        export(demo_ws, Selection(important_only=True), str(demo_ws.path) + ".pdf")
    import os

    assert not os.path.exists(str(demo_ws.path) + ".pdf")
    assert count(demo_ws, Selection(day_from=45, day_to=45))[0] == 10
    assert count(demo_ws, Selection(witnesses=["Sir Bruce Keogh"]))[0] == 10


def test_csv_xlsx_docx_hold_every_selected_passage(demo_ws, tmp_path):
    from docx import Document as Docx
    from openpyxl import load_workbook

    with demo_ws.session() as s:
        views = passage_views.views(s)
    tagging.set_flags(demo_ws, views[0].id, redact=True)
    r = export(demo_ws, Selection(), str(tmp_path / "p.csv"), "csv")
    with open(r.path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 13
    by_id = {int(row["Passage id"]): row for row in rows}
    assert by_id[views[0].id]["Quote"] == "[redacted]"
    assert by_id[views[1].id]["Quote"] == views[1].quote
    assert by_id[views[1].id]["Citation"] == views[1].citation
    assert any("contradicts" in row["Links"] for row in rows)
    r = export(demo_ws, Selection(), str(tmp_path / "p.xlsx"), "xlsx")
    sheet = load_workbook(r.path).active
    assert sheet.max_row == 14 and sheet["B1"].value == "Citation"
    r = export(demo_ws, Selection(notes=False), str(tmp_path / "p.docx"), "docx")
    table = Docx(r.path).tables[0]
    assert len(table.rows) == 14 and len(table.columns) == 4  # no Note column without notes


def _comparable(ws) -> dict:
    data = dump(ws, Selection())
    data.pop("exported_at")
    return data


def test_json_round_trip_loses_nothing(demo_ws, tmp_path):
    with demo_ws.session() as s:
        views = passage_views.views(s)
    tagging.set_flags(demo_ws, views[2].id, important=True, redact=True)
    tagging.delete_passage(demo_ws, views[3].id)  # deleted passages travel too
    r = export(demo_ws, Selection(), str(tmp_path / "all.json"), "json")
    data = json.loads(open(r.path, encoding="utf-8").read())
    assert data["complete"] and data["documents"][0]["original"]["base64"]
    assert {"settings", "themes", "documents", "passages", "links"} <= set(data)
    with Workspace.create(str(tmp_path / "copy.annot")) as copy:
        counts = import_json(copy, r.path)
        assert counts["passages"] == 13 and counts["links"] == 3
        assert _comparable(copy) == _comparable(demo_ws)
        with copy.session() as s:
            for blob in s.exec(select(Blob)):
                import hashlib

                assert hashlib.sha256(blob.data).hexdigest() == blob.sha256
        with pytest.raises(InvalidInput):
            import_json(copy, r.path)  # only into an empty workspace
        # the rebuilt workspace exports the same bundle
        assert export(copy, Selection(), str(tmp_path / "copy.pdf")).passages == 12


def test_import_json_cli_creates_the_workspace(demo_file, tmp_path):
    out = tmp_path / "d.json"
    run_cli("export", demo_file, "--out", out, "--json")
    proc = run_cli("import-json", tmp_path / "new.annot", out, "--json")
    assert json.loads(proc.stdout)["passages"] == 13
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    proc = run_cli("import-json", tmp_path / "other.annot", bad, check=False)
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr
    assert not (tmp_path / "other.annot").exists()
    damaged = json.loads(out.read_text(encoding="utf-8"))  # valid JSON that fails half-way in
    damaged["passages"][0]["document_id"] = 999
    bad.write_text(json.dumps(damaged), encoding="utf-8")
    proc = run_cli("import-json", tmp_path / "third.annot", bad, check=False)
    assert proc.returncode == 2 and "nothing was imported" in proc.stderr
    assert not list(tmp_path.glob("third.annot*"))  # no empty workspace left behind


def test_export_cli_refuses_to_overwrite_and_reports_links(demo_file, tmp_path):
    out = tmp_path / "b.pdf"
    proc = run_cli("export", demo_file, "--out", out, "--theme", "Safety", "--no-notes", "--json")
    report = json.loads(proc.stdout)
    assert report["pages"] > 3 and report["unresolved_links"]
    proc = run_cli("export", demo_file, "--out", out, check=False)
    assert proc.returncode == 2 and "--force" in proc.stderr
    run_cli("export", demo_file, "--out", out, "--force", "--source-pages", "--letter", "C")


def test_qdpx_codes_every_passage_at_its_place(demo_ws, tmp_path):
    import xml.etree.ElementTree as ET
    import zipfile

    r = export(demo_ws, Selection(), str(tmp_path / "p.qdpx"), "qdpx")
    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(r.path) as z:
        root = ET.fromstring(z.read("project.qde"))
        codes = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
        assert set(codes.values()) == {"Targets", "Quality", "Safety", "Clinical leadership"}
        from annotator.core.export.qdpx import _guid

        quotes = {_guid("passage", v.id): v for v in passage_views.views(demo_ws.session())}
        seen = 0
        for src in root.findall("q:Sources/q:TextSource", ns):
            text = z.read("sources/" + src.get("plainTextPath").split("//")[1]).decode("utf-8")
            for sel in src.findall("q:PlainTextSelection", ns):
                piece = text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
                v = quotes[sel.get("guid")]
                assert sel.get("name") == v.citation
                assert set(v.quote.split()) <= set(piece.split())
                assert piece.split()[0] == v.quote.split()[0] and piece.split()[-1] == v.quote.split()[-1]
                refs = {codes[c.get("targetGUID")] for c in sel.iter("{urn:QDA-XML:project:1.0}CodeRef")}
                assert refs == set(v.themes)
                seen += 1
        assert seen == 13
        assert len(root.findall("q:Links/q:Link", ns)) == 3


def test_text_that_looks_like_a_formula_stays_text(demo_ws, tmp_path):
    """A note or quote starting with = + - @ is never a formula in the tables: XLSX keeps it
    verbatim as typed text; CSV (which has no types) marks it with a leading apostrophe."""
    import zipfile

    from openpyxl import load_workbook

    from annotator.core.search.export import all_hits, write_csv

    with demo_ws.session() as s:
        views = passage_views.views(s)
    notes = {
        views[0].id: '=HYPERLINK("http://example.invalid","click")',
        views[1].id: "-- see Day 46",
        views[2].id: "+44 20 7946 0000",
        views[3].id: "@witness",
    }
    for pid, note in notes.items():
        tagging.set_note(demo_ws, pid, note)
    r = export(demo_ws, Selection(), str(tmp_path / "p.xlsx"), "xlsx")
    sheet = load_workbook(r.path).active
    note_col = [c.value for c in sheet[1]].index("Note") + 1
    got = {
        sheet.cell(row, note_col + 4).value: (
            sheet.cell(row, note_col).value,
            sheet.cell(row, note_col).data_type,
        )
        for row in range(2, sheet.max_row + 1)
    }
    for pid, note in notes.items():
        assert got[pid] == (note, "s")
    assert b"<f>" not in zipfile.ZipFile(r.path).read("xl/worksheets/sheet1.xml")
    r = export(demo_ws, Selection(), str(tmp_path / "p.csv"), "csv")
    with open(r.path, encoding="utf-8-sig", newline="") as fh:
        by_id = {int(row["Passage id"]): row for row in csv.DictReader(fh)}
    for pid, note in notes.items():
        assert by_id[pid]["Note"] == "'" + note
    assert by_id[views[4].id]["Note"] == views[4].note  # other text untouched
    write_csv(str(tmp_path / "s.csv"), all_hits(demo_ws, "note:witness"))
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as fh:
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in csv.reader(fh) for cell in row)


def test_control_characters_never_break_docx_xlsx_or_qdpx(demo_ws, tmp_path):
    """Documents carry form feeds, DOS end-of-file bytes and worse; XML cannot hold them,
    and python-docx and openpyxl refused the whole export. Each becomes a space."""
    import zipfile
    import xml.dom.minidom

    from docx import Document as Docx
    from openpyxl import load_workbook

    with demo_ws.session() as s:
        views = passage_views.views(s)
    tagging.set_note(demo_ws, views[0].id, "bell\x07vt\x0besc\x1bnul\x00ff\x0cend\x1a")
    expected = "bell vt esc nul ff end "
    r = export(demo_ws, Selection(), str(tmp_path / "p.docx"), "docx")
    cells = [c.text for row in Docx(r.path).tables[0].rows for c in row.cells]
    assert any(c.startswith(expected) for c in cells)
    r = export(demo_ws, Selection(), str(tmp_path / "p.xlsx"), "xlsx")
    assert expected in [c.value for row in load_workbook(r.path).active.iter_rows() for c in row]
    r = export(demo_ws, Selection(), str(tmp_path / "p.qdpx"), "qdpx")
    project = zipfile.ZipFile(r.path).read("project.qde")
    xml.dom.minidom.parseString(project)  # well-formed
    assert expected.encode() in project
    r = export(demo_ws, Selection(), str(tmp_path / "p.json"), "json")  # JSON keeps them exactly
    with open(r.path, encoding="utf-8") as fh:
        assert "bell\x07vt\x0besc\x1bnul\x00ff\x0cend\x1a" in [p["note"] for p in json.load(fh)["passages"]]
