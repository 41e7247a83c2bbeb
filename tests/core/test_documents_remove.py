"""Removing a document imported by mistake: refused while tags would be lost,
complete when done (pages, lines, index entries, deleted passages and their
links), and undone exactly."""

import pytest
from sqlmodel import select

from annotator.core.library import documents

from annotator.core.store import index

from annotator.core.evidence import passages, tagging
from annotator.core.util.errors import InvalidInput
from annotator.core.ingest import import_file
from annotator.core.store.models import Blob, Document
from annotator.core.search import search
from annotator.core.store.workspace import Workspace
from helpers import run_cli

TABLES = ("document", "page", "line", "passage", "passage_theme", "link", "blob")


def dump(ws) -> dict:
    with ws.session() as s:
        raw = s.connection().connection.driver_connection
        return {t: sorted(raw.execute(f'SELECT * FROM "{t}"').fetchall()) for t in TABLES}


def in_step(ws) -> list[str]:
    with ws.session() as s:
        return index.differences(s.connection())


def report_id(ws) -> int:
    with ws.session() as s:
        return documents.find(s, "MSF0000045").id


def test_a_document_with_live_passages_is_kept(demo_ws):
    before = dump(demo_ws)
    with pytest.raises(InvalidInput, match="passages? tagged on it"):
        documents.remove(demo_ws, report_id(demo_ws))
    assert dump(demo_ws) == before


def test_remove_then_undo_then_redo(demo_ws):
    doc = report_id(demo_ws)
    with demo_ws.session() as s:
        pids = [v.id for v in passages.views(s) if v.document_id == doc]
        other = next(v.id for v in passages.views(s) if v.document_id != doc)
    assert pids
    tagging.link(demo_ws, pids[0], other, "contradicts")  # a link from elsewhere into the document
    for pid in pids:
        tagging.delete_passage(demo_ws, pid)
    word = "Keogh"  # in the report's text and in the transcript
    hits_before = search(demo_ws, word).total
    before = dump(demo_ws)

    change = documents.remove(demo_ws, doc)
    after = dump(demo_ws)
    assert [r[0] for r in after["document"]] == [r[0] for r in before["document"] if r[0] != doc]
    assert not any(r for r in after["page"] if r[1] == doc) and not any(
        r for r in after["line"] if r[1] == doc
    )
    assert not set(pids) & {r[0] for r in after["passage"]}
    assert not any(set(r[1:3]) & set(pids) for r in after["link"])
    assert after["blob"] == before["blob"]  # the original's bytes stay
    assert search(demo_ws, word).total < hits_before
    assert in_step(demo_ws) == []

    change.command.undo(demo_ws)
    assert dump(demo_ws) == before
    assert search(demo_ws, word).total == hits_before
    assert in_step(demo_ws) == []

    change.command.redo(demo_ws)
    assert dump(demo_ws) == after and in_step(demo_ws) == []


def test_a_removed_file_can_be_imported_again(ws, tmp_path):
    f = tmp_path / "statement.txt"
    f.write_text("Witness statement of A. Nurse\n\nThe ward was short of staff.\n", encoding="utf-8")
    first = import_file(ws, str(f))
    documents.remove(ws, first.document_id)
    again = import_file(ws, str(f))
    assert again.status == "imported"
    with ws.session() as s:
        assert len(documents.all_documents(s)) == 1
        assert len(list(s.exec(select(Blob)))) == 1
        assert s.get(Document, again.document_id).title == first.title


def test_cli_remove(demo_ws, tmp_path):
    path = demo_ws.path
    doc = report_id(demo_ws)
    demo_ws.close()
    refused = run_cli("remove", path, "MSF0000045", check=False)
    assert refused.returncode != 0 and "tagged on it" in refused.stderr and "Traceback" not in refused.stderr
    with Workspace.open(path) as ws:
        with ws.session() as s:
            for v in passages.views(s):
                if v.document_id == doc:
                    tagging.delete_passage(ws, v.id)
    out = run_cli("remove", path, "MSF0000045", "--json")
    assert '"removed"' in out.stdout
    assert "MSF0000045" not in run_cli("docs", path).stdout
