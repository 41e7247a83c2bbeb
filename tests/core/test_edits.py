"""An edit changes only what it was asked to, and undo/redo restore exactly."""

import pytest

from annotator.core.library import documents

from annotator.core.evidence import passages, tagging, theme_ops, themes
from annotator.core.util.errors import InvalidInput
from annotator.core.store.models import Document, Theme
from annotator.core.search import search
from helpers import run_cli


def _transcript(ws) -> Document:
    with ws.session() as s:
        return next(d for d in documents.all_documents(s) if d.kind == "transcript")


def test_renaming_a_transcript_keeps_its_day_and_day_searches(demo_ws):
    doc = _transcript(demo_ws)
    found = search(demo_ws, "day:45").total
    assert doc.day == 45 and found > 0
    documents.update_metadata(demo_ws, doc.id, title="Day 45, morning session")
    after = _transcript(demo_ws)
    assert (after.title, after.day, after.witness, after.date, after.urn) == (
        "Day 45, morning session",
        45,
        doc.witness,
        doc.date,
        doc.urn,
    )
    assert search(demo_ws, "day:45").total == found


def test_meta_title_on_the_command_line_keeps_the_day(demo_ws):
    doc = _transcript(demo_ws)
    path = demo_ws.path
    demo_ws.close()
    run_cli("meta", path, str(doc.id), "--title", "Renamed")
    out = run_cli("meta", path, str(doc.id), "--json").stdout
    assert '"day": 45' in out and '"title": "Renamed"' in out
    bad = run_cli("meta", path, str(doc.id), "--date", "12/05/2011", check=False)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_a_new_day_follows_into_lines_passages_and_citations(demo_ws):
    doc = _transcript(demo_ws)
    change = documents.update_metadata(demo_ws, doc.id, day="46")
    assert search(demo_ws, "day:46").total > 0 and search(demo_ws, "day:45").total == 0
    with demo_ws.session() as s:
        cites = [v.citation for v in passages.views(s, document_ids=[doc.id])]
    assert cites and all(c.startswith("Day 46/") for c in cites)
    change.command.undo(demo_ws)
    assert search(demo_ws, "day:45").total > 0 and search(demo_ws, "day:46").total == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "  "}, "needs a title"),
        ({"date": "2011-13-01"}, "YYYY-MM-DD"),
        ({"day": "forty"}, "whole number"),
        ({"day": 0}, "whole number"),
        ({"kind": "memo"}, "Kind must be"),
        ({"urn": "MSF 45/2"}, "cannot be a reference"),
        ({"sha256": "x"}, "Cannot edit"),
    ],
)
def test_details_are_checked_in_one_place(fields, message):
    with pytest.raises(InvalidInput, match=message):
        documents.check_fields(fields)


def test_check_fields_tidies_what_it_keeps():
    assert documents.check_fields({"title": " Day  45 ", "day": " 7 ", "urn": "INQ000123456"}) == {
        "title": "Day 45",
        "day": 7,
        "urn": "INQ000123456",
    }
    assert documents.check_fields({"day": ""}) == {"day": None}


def test_merge_undo_redo_merges_again(demo_ws):
    with demo_ws.session() as s:
        quality = themes.find(s, "Quality").id
        targets = themes.find(s, "Targets").id
    sub = theme_ops.add(demo_ws, "Ward staffing", "#123456", quality).result
    with demo_ws.session() as s:
        on_quality = {v.id for v in passages.views(s, theme_ids=[quality])}
    assert on_quality
    change = theme_ops.merge(demo_ws, quality, targets)
    change.command.undo(demo_ws)
    with demo_ws.session() as s:
        assert s.get(Theme, quality) is not None and s.get(Theme, sub).parent_id == quality
    change.command.redo(demo_ws)
    with demo_ws.session() as s:
        assert s.get(Theme, quality) is None
        assert s.get(Theme, sub).parent_id == targets  # not moved to the top
        now_targets = {v.id for v in passages.views(s, theme_ids=[targets])}
    assert on_quality <= now_targets


def test_editing_a_note_leaves_flags_and_themes(demo_ws):
    with demo_ws.session() as s:
        v = passages.views(s)[0]
    tagging.set_flags(demo_ws, v.id, important=True)
    tagging.set_note(demo_ws, v.id, "New note")
    with demo_ws.session() as s:
        w = passages.views(s, ids=[v.id])[0]
    assert (w.note, w.important, w.redact, w.theme_ids, w.quote) == (
        "New note",
        True,
        v.redact,
        v.theme_ids,
        v.quote,
    )


def test_import_checks_the_details_it_is_given_as_meta_does(tmp_path):
    path = tmp_path / "w.annot"
    run_cli("new", path)
    f = tmp_path / "note.txt"
    f.write_text("A note\n", encoding="utf-8")
    bad = run_cli("import", path, f, "--urn", "MSF 45/2", check=False)
    assert bad.returncode == 2 and "cannot be a reference" in bad.stderr
    assert run_cli("docs", path, "--json").stdout.strip() == "[]"  # nothing was imported
    run_cli("import", path, f, "--title", "  A   note ", "--day", "3")
    assert '"title": "A note"' in run_cli("docs", path, "--json").stdout


def test_deleting_a_sub_theme_to_its_parent_undoes_exactly(demo_ws):
    """The passages moved to the parent lose it again on undo (the deleted theme no
    longer names its parent after the action: the undo data must not depend on it)."""
    with demo_ws.session() as s:
        targets = themes.find(s, "Targets").id
    sub = theme_ops.add(demo_ws, "Ward staffing", "#123456", targets).result
    with demo_ws.session() as s:
        pid = next(v.id for v in passages.views(s) if targets not in v.theme_ids)
    tagging.set_themes(demo_ws, pid, [sub])

    def rows():
        with demo_ws.session() as s:
            return sorted(s.connection().exec_driver_sql("SELECT * FROM passage_theme").fetchall())

    before = rows()
    change = theme_ops.delete(demo_ws, sub, reassign_to_parent=True)
    assert (pid, targets) in rows()
    change.command.undo(demo_ws)
    assert rows() == before
    change.command.redo(demo_ws)
    assert (pid, targets) in rows() and all(t != sub for _p, t in rows())
