"""New versions of a document: every passage carried from a draft to its final."""

import pytest
from helpers import CORPUS
from sqlmodel import select
from versions_pairs import corpus_turns, run_pair, script_pair, script_turns

from annotator.core.versions import drafts as sv
from annotator.core import search, versions
from annotator.core.evidence import tagging
from annotator.core.util.errors import InvalidInput
from annotator.core.ingest import import_file
from annotator.core.store.models import Audit, Line, Page, Passage

PAIRS = [
    ("transcripts/us-district-court-text/US-v-Guo-23cr118-22-05-2024.txt", "txt", 3),
    ("transcripts/us-district-court-hearings-pdf/gov.uscourts.cand.290385.532.0.pdf", "pdf", 4),
    ("transcripts/uk-covid19-inquiry/module-2_2023-11-21.rst", "pdf", 5),
    ("transcripts/ny-senate-hearings/1-30-20_Human_Services_Test.txt", "txt", 6),
]


@pytest.mark.parametrize("name,fmt,seed", PAIRS)
def test_passages_follow_their_words_from_the_draft_to_the_final(ws, tmp_path, name, fmt, seed):
    turns = corpus_turns(CORPUS / name, 5000)
    out = run_pair(ws, tmp_path, turns, fmt, 250, seed)
    assert out.unchanged >= 100 and out.touched >= 30, out
    assert out.exact_right >= 0.995 * out.unchanged, out
    assert out.touched_ok == out.touched, out.wrong[:5]
    assert out.wrong == []
    assert set(out.statuses) <= set(versions.STATUSES)


def test_heavy_corrections_orphan_what_cannot_be_found_and_place_nothing_wrongly(ws, tmp_path, monkeypatch):
    """Four times the edits, and the final at a wider wrap: whole turns go, so some
    passages have no words left; they are orphaned, never put somewhere else."""
    turns = corpus_turns(CORPUS / PAIRS[0][0], 4000)
    real_edit = sv.edit
    monkeypatch.setattr(sv, "edit", lambda t, seed: real_edit(t, seed, rate=4.0))
    out = run_pair(ws, tmp_path, turns, "txt", 250, 11, widths=(56, 70))
    assert out.wrong == []
    assert out.exact_right >= 0.97 * out.unchanged  # short runs amid many edits may be orphaned
    assert out.statuses.get("orphaned", 0) >= 1, out.statuses


def _snapshot(ws, doc_id):
    with ws.session() as s:
        pages = [(p.index, p.text) for p in s.exec(select(Page).where(Page.document_id == doc_id))]
        lines = [
            (ln.seq, ln.tpage, ln.line, ln.text, ln.char_start)
            for ln in s.exec(select(Line).where(Line.document_id == doc_id).order_by(Line.seq))
        ]
        ps = [p.model_dump() for p in s.exec(select(Passage).where(Passage.document_id == doc_id))]
    return pages, lines, ps


def _hits(ws, query):
    return search.search(ws, query).lines


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_replace_reports_each_status_and_undo_puts_everything_back(ws, tmp_path, fmt):
    doc_id, pids, link, path, (final_at, kept) = script_pair(ws, tmp_path, fmt)
    before = _snapshot(ws, doc_id)
    inaudible = _hits(ws, "inaudible")
    assert _hits(ws, "tonight") == 0 and inaudible == 6
    ch = versions.replace(ws, doc_id, path)
    report = ch.result
    assert report["counts"]["orphaned"] == 1 and report["counts"]["changed"] == 1
    assert sum(report["counts"].values()) == 3
    by_id = {e["passage"]: e for e in report["passages"]}
    assert by_id[pids[0]]["status"] == "orphaned" and "Mrs Smith, you were" in by_id[pids[0]]["old_quote"]
    assert by_id[pids[1]]["status"] == "changed" and "tonight?" in by_id[pids[1]]["quote"]
    assert "[inaudible]" in by_id[pids[1]]["old_quote"]
    with ws.session() as s:
        rows = {p.id: p for p in s.exec(select(Passage).where(Passage.document_id == doc_id))}
        assert rows[pids[2]].anchor in ("exact", "moved")
        assert rows[pids[1]].note == "asked twice" and rows[pids[1]].old_quote.endswith("[inaudible]?")
        # citations follow the final's page:line
        at = sv.Located(s.exec(select(Line).where(Line.document_id == doc_id)).all())
        page, line, _k = final_at[kept[0][0]]
        assert (rows[pids[2]].tpage_from, rows[pids[2]].line_from) == (page, line)
        assert rows[pids[2]].start_char == at.word(final_at[kept[0][0]])[1]
        listed = versions.versions(s, doc_id)
        assert [v["number"] for v in listed] == [1, 2] and listed[-1]["current"]
        assert s.exec(select(Audit).where(Audit.action == "replace document")).first() is not None
    # search follows: the new words are found, lines of the draft are gone
    assert _hits(ws, "tonight") == 1 and _hits(ws, "inaudible") == inaudible - 1
    ch.command.undo(ws)
    assert _snapshot(ws, doc_id) == before
    assert _hits(ws, "tonight") == 0 and _hits(ws, "inaudible") == inaudible
    with ws.session() as s:
        assert len(versions.versions(s, doc_id)) == 1
    ch.command.redo(ws)
    with ws.session() as s:
        assert s.get(Passage, pids[1]).anchor == "changed"
    assert _hits(ws, "tonight") == 1
    ch.command.undo(ws)
    assert _snapshot(ws, doc_id) == before


def test_the_report_cites_the_new_places_in_the_workspace_style(ws, tmp_path):
    ws.set("citation_style", "long")
    doc_id, pids, _link, path, _ = script_pair(ws, tmp_path)
    report = versions.replace(ws, doc_id, path).result
    changed = next(e for e in report["passages"] if e["passage"] == pids[1])
    assert changed["status"] == "changed"
    assert ", page " in changed["old_citation"] and ", page " in changed["citation"]
    with ws.session() as s:
        from annotator.core.evidence import passages

        assert changed["citation"] == passages.views(s, ids=[pids[1]])[0].citation


def test_an_orphan_is_placed_by_hand_at_its_candidate_and_links_and_themes_stay(ws, tmp_path):
    doc_id, pids, link, path, _ = script_pair(ws, tmp_path)
    versions.replace(ws, doc_id, path)
    with ws.session() as s:
        from annotator.core.evidence import anchors, passages

        view = passages.views(s, ids=[pids[0]])[0]
        assert view.anchor == "orphaned" and view.citation.endswith("(not found in the current version)")
        assert view.as_dict()["anchor"] == "orphaned"
        linked = passages.views(s, ids=[pids[1]])[0]
        assert linked.links and linked.links[0]["id"] == link and linked.themes
        report = versions.latest_report(s, doc_id)
        entry = next(e for e in report["passages"] if e["passage"] == pids[0])
        anchor = anchors.from_quote(s, doc_id, "Could we have the rota for March")
    ch = versions.place(ws, pids[0], anchor)
    with ws.session() as s:
        p = s.get(Passage, pids[0])
        assert (
            p.anchor == "changed" and p.quote.startswith("Could we") and p.old_quote.startswith("Mrs Smith")
        )
    ch.command.undo(ws)
    with ws.session() as s:
        assert s.get(Passage, pids[0]).anchor == "orphaned"
    assert "candidate" in entry


def test_other_documents_are_carried_too(ws, tmp_path):
    """A witness statement re-served with corrections: plain paragraphs, re-wrapped."""
    turns = script_turns()
    for t in turns:
        t.role, t.speaker = "text", ""
    draft, draft_at = sv.lay_out(turns, 70, day=0)
    final_turns, _ = sv.edit(turns, seed=9, rate=2.0)
    final, final_at = sv.lay_out(final_turns, 60, day=0)

    def statement(lines):
        return "\n".join(ln.text for ln in lines) + "\n"

    d, f = tmp_path / "statement-draft.txt", tmp_path / "statement-final.txt"
    d.write_text(statement(draft))
    f.write_text(statement(final))
    res = import_file(ws, str(d), kind="witness statement")
    with ws.session() as s:
        lines = s.exec(select(Line).where(Line.document_id == res.document_id).order_by(Line.seq)).all()
    text = [ln for ln in lines if ln.text.strip()]
    first = text[3]
    pid = tagging.tag(
        ws,
        res.document_id,
        start=(first.page_index, first.char_start),
        end=(first.page_index, first.char_end),
    ).result
    ch = versions.replace(ws, res.document_id, str(f))
    with ws.session() as s:
        p = s.get(Passage, pid)
        assert p.anchor in versions.STATUSES
        if p.anchor != "orphaned":
            page = s.exec(
                select(Page).where(Page.document_id == res.document_id, Page.index == p.start_page)
            ).one()
            assert (
                page.text[p.start_char : p.end_char].split()[0] == first.text.split()[0]
                or p.anchor == "changed"
            )
    assert sum(ch.result["counts"].values()) == 1


def test_bad_new_versions_are_refused_and_change_nothing(ws, tmp_path):
    doc_id, _pids, _link, _path, _ = script_pair(ws, tmp_path)
    before = _snapshot(ws, doc_id)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"this is not a pdf at all")
    with pytest.raises(InvalidInput, match="empty"):
        versions.replace(ws, doc_id, str(empty))
    with pytest.raises(InvalidInput, match="cannot be read"):
        versions.replace(ws, doc_id, str(broken))
    with pytest.raises(InvalidInput, match="already the current version"):
        versions.replace(ws, doc_id, str(tmp_path / "draft.txt"))
    with pytest.raises(InvalidInput, match="Cannot read"):
        versions.replace(ws, doc_id, str(tmp_path / "missing.txt"))
    assert _snapshot(ws, doc_id) == before


def test_a_prepared_version_is_not_written_over_passages_changed_meanwhile(ws, tmp_path):
    doc_id, pids, _link, path, _ = script_pair(ws, tmp_path)
    rep = versions.prepare(ws, doc_id, path)
    tagging.delete_passage(ws, pids[2])
    with pytest.raises(InvalidInput, match="changed while"):
        versions.apply(ws, rep)
    with ws.session() as s:
        assert len(versions.versions(s, doc_id)) == 1


def test_a_json_export_keeps_versions_and_anchors(ws, tmp_path):
    from annotator.core.export import jsonio
    from annotator.core.export.selection import Selection
    from annotator.core.store.workspace import Workspace

    doc_id, pids, _link, path, _ = script_pair(ws, tmp_path)
    versions.replace(ws, doc_id, path)
    out = tmp_path / "all.json"
    jsonio.write(ws, Selection(), str(out))
    copy = Workspace.create(str(tmp_path / "copy.annot"), title="copy")
    try:
        jsonio.import_json(copy, str(out))
        with copy.session() as s:
            listed = versions.versions(s, doc_id)
            assert [v["filename"] for v in listed] == ["draft.txt", "final.txt"]
            assert listed[-1]["report"]["counts"]["orphaned"] == 1
            assert s.get(Passage, pids[0]).anchor == "orphaned"
            assert s.get(Passage, pids[1]).old_quote.endswith("[inaudible]?")
            from annotator.core.store.models import Blob

            assert s.get(Blob, listed[0]["sha256"]) is not None  # the draft's bytes came too
    finally:
        copy.close()


def test_a_version_2_workspace_is_upgraded_and_can_take_new_versions(ws, tmp_path):
    import sqlite3

    from annotator.core.store.workspace import Workspace

    doc_id, pids, _link, path, _ = script_pair(ws, tmp_path)
    ws_path = ws.path
    ws.close()
    con = sqlite3.connect(ws_path)
    con.executescript(
        """
        DROP TABLE document_version;
        ALTER TABLE passage DROP COLUMN anchor;
        ALTER TABLE passage DROP COLUMN old_quote;
        PRAGMA user_version = 2;
        """
    )
    con.commit()
    con.close()
    with Workspace.open(ws_path, backup_dir=str(tmp_path)) as w:
        assert w.upgraded_from[0] == 2
        with w.session() as s:
            assert s.get(Passage, pids[2]).anchor == ""
        report = versions.replace(w, doc_id, path).result
        assert report["counts"]["orphaned"] == 1


def test_a_replaced_document_can_still_be_removed_and_the_removal_undone(ws, tmp_path):
    from annotator.core.library import documents

    doc_id, pids, _link, path, _ = script_pair(ws, tmp_path)
    versions.replace(ws, doc_id, path)
    for pid in pids:
        tagging.delete_passage(ws, pid)
    ch = documents.remove(ws, doc_id)
    with ws.session() as s:
        assert s.exec(select(Passage).where(Passage.document_id == doc_id)).first() is None
    ch.command.undo(ws)
    with ws.session() as s:
        assert [v["filename"] for v in versions.versions(s, doc_id)] == ["draft.txt", "final.txt"]


def test_a_paragraph_moved_elsewhere_takes_its_passages_with_it(ws, tmp_path):
    """A statement re-served with a paragraph moved to the end: the passage in it is found
    by its words (nothing else of the old text went there); the others stay in place."""
    turns = corpus_turns(CORPUS / PAIRS[2][0], 1500)
    for t in turns:
        t.role, t.speaker = "text", ""
    moved = max(turns[3:-3], key=lambda t: len(t.words))
    final_turns = [t for t in turns if t is not moved] + [moved]

    def statement(ts, width):
        lines, _ = sv.lay_out(ts, width, day=0)
        return "\n".join(ln.text for ln in lines) + "\n"

    d, f = tmp_path / "statement-draft.txt", tmp_path / "statement-final.txt"
    d.write_text(statement(turns, 72))
    f.write_text(statement(final_turns, 64))
    res = import_file(ws, str(d), kind="witness statement")
    with ws.session() as s:
        from annotator.core.evidence import anchors

        quote = " ".join(w for _, w in moved.words[2:14])
        a = anchors.from_quote(s, res.document_id, quote)
        other = " ".join(w for _, w in turns[1].words[:10])
        b = anchors.from_quote(s, res.document_id, other)
    pid = tagging.tag(ws, res.document_id, a).result
    kept = tagging.tag(ws, res.document_id, b).result
    versions.replace(ws, res.document_id, str(f))
    with ws.session() as s:
        for p_id, words in ((pid, quote), (kept, other)):
            p = s.get(Passage, p_id)
            assert p.anchor in ("moved", "exact"), (p.anchor, p.quote)
            page = s.exec(
                select(Page).where(Page.document_id == res.document_id, Page.index == p.start_page)
            ).one()
            assert page.text[p.start_char : p.end_char].split() == words.split() or p.end_page != p.start_page
            assert p.quote.split() == words.split()
