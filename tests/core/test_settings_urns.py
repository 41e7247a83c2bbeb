"""Workspace settings (typed, declared once) and URNs: the default pattern,
the file name winning, and re-reading URNs after the pattern changes."""

import json
import re

import pytest

from annotator.core.library import documents

from annotator.core.store import settings
from annotator.core.util.errors import InvalidInput
from annotator.core.ingest import guess_urn, import_file
from helpers import CORPUS, run_cli

STATEMENTS = CORPUS / "transcripts" / "uk-post-office-horizon-inquiry" / "witness-statements"


@pytest.mark.parametrize("urn", ["INQ000123456", "WITN06080100", "POL00012345", "MSF0000045"])
def test_the_default_pattern_reads_common_inquiry_references(urn):
    assert re.fullmatch(settings.DEFAULT_URN_PATTERN, urn)
    assert guess_urn(settings.DEFAULT_URN_PATTERN, f"{urn} - exhibit.pdf") == urn


@pytest.mark.parametrize(
    "text", ["AB1234567", "INQ123456", "INQUIRY0001234", "ABCDE12345678", "inq000123456"]
)
def test_the_default_pattern_leaves_other_words(text):
    assert guess_urn(settings.DEFAULT_URN_PATTERN, f"see {text} here") == ""


def test_a_urn_in_the_file_name_wins_over_one_on_the_first_page(ws, tmp_path):
    named = tmp_path / "POL00012345 letter to the board.txt"
    named.write_text("Letter\n\nAs set out in INQ000123456, the board met.\n", encoding="utf-8")
    plain = tmp_path / "letter.txt"
    plain.write_text("Letter INQ000654321\n\nThe board met again.\n", encoding="utf-8")
    first, second = import_file(ws, str(named)), import_file(ws, str(plain))
    with ws.session() as s:
        urns = {d.id: d.urn for d in documents.all_documents(s)}
    assert urns[first.document_id] == "POL00012345"
    assert urns[second.document_id] == "INQ000654321"


def test_real_witness_statements_take_the_urn_of_their_file_name(ws):
    # Anne Chambers' statement is OCR text whose header reads "WITNO0170100"
    # (a letter O); Anthony Blair's mentions other references (INQ000248853).
    got = {}
    for path in sorted(STATEMENTS.glob("*.txt")):
        res = import_file(ws, str(path))
        assert res.status == "imported", res.reason
        with ws.session() as s:
            got[path.name[:12]] = documents.find(s, res.document_id).urn
    assert got == {"WITN00170100": "WITN00170100", "WITN06080100": "WITN06080100"}


def test_settings_are_checked_and_stored_together(ws):
    with pytest.raises(InvalidInput, match="not a regular expression"):
        settings.apply(ws, {"author": "A. Counsel", "urn_pattern": "[A-Z"})
    assert ws.get("author") == ""  # nothing stored when one value is refused
    with pytest.raises(InvalidInput, match="one of: short, long"):
        settings.apply(ws, {"citation_style": "medium"})
    with pytest.raises(InvalidInput, match="matches empty text"):
        settings.apply(ws, {"urn_pattern": r"\d*"})
    settings.apply(ws, {"author": "A. Counsel", "citation_style": "long", "backup_keep": "3"})
    assert (ws.get("author"), ws.get("citation_style"), ws.get("backup_keep")) == ("A. Counsel", "long", 3)
    assert ws.author == "A. Counsel"


def test_changing_the_pattern_rereads_urns_undoably(ws, tmp_path):
    f = tmp_path / "CAB12345 minutes.txt"
    f.write_text("Cabinet minutes\n\nReferring to INQ000123456.\n", encoding="utf-8")
    doc = import_file(ws, str(f)).document_id
    with ws.session() as s:
        assert documents.find(s, doc).urn == "INQ000123456"  # the name's CAB12345 is too short
        assert documents.urn_proposals(s, r"CAB\d{5}") == [
            {"id": doc, "title": "CAB12345 minutes", "old": "INQ000123456", "new": "CAB12345"}
        ]
    change = documents.reread_urns(ws, r"CAB\d{5}")
    with ws.session() as s:
        assert documents.find(s, doc).urn == "CAB12345"
    change.command.undo(ws)
    with ws.session() as s:
        assert documents.find(s, doc).urn == "INQ000123456"


def test_settings_on_the_command_line(tmp_path):
    path = tmp_path / "w.annot"
    run_cli("new", path)
    f = tmp_path / "CAB12345 minutes.txt"
    f.write_text("Cabinet minutes\n", encoding="utf-8")
    run_cli("import", path, f)
    shown = json.loads(run_cli("settings", path, "--json").stdout)
    assert shown["urn_pattern"] == settings.DEFAULT_URN_PATTERN
    assert set(settings.SETTINGS) <= set(shown)
    out = run_cli(
        "settings", path, "--urn-pattern", r"CAB\d{5}", "--citation-style", "long", "--author", "KC"
    )
    assert "--reread-urns" in out.stderr and "CAB12345" in out.stderr
    assert json.loads(run_cli("docs", path, "--json").stdout)[0]["urn"] == ""
    done = json.loads(run_cli("settings", path, "--reread-urns", "--json").stdout)
    assert done["reread_urns"][0]["new"] == "CAB12345"
    assert (done["citation_style"], done["author"]) == ("long", "KC")
    assert json.loads(run_cli("docs", path, "--json").stdout)[0]["urn"] == "CAB12345"
    bad = run_cli("settings", path, "--urn-pattern", "(", check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "regular expression" in bad.stderr
