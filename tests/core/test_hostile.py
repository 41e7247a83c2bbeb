"""No code from documents ever runs; a crash inside the PDF library is contained;
files we create are readable by their owner only."""

import os
import stat
import sys

from sqlmodel import select

from annotator.core.store import backups
from annotator.core.ingest import import_file, worker
from annotator.core.store.models import Blob, Document, Line, Page
from annotator.core.store.workspace import Workspace
from safety_checks import integrity


def _active_pdf(tmp_path) -> bytes:
    """A PDF whose opening runs JavaScript, whose link launches a program, with a file inside."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Statement of the ward manager about staffing levels.", fontsize=11)
    doc.embfile_add("payload.sh", b"#!/bin/sh\ntouch EMBEDDEDPAYLOADRAN\n", filename="payload.sh")
    js = doc.get_new_xref()
    doc.update_object(
        js,
        "<< /S /JavaScript /JS (app.alert('JSMARKERRAN'); "
        "this.exportDataObject({cName: 'payload.sh', nLaunch: 2});) >>",
    )
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
    launch = doc.get_new_xref()
    target = tmp_path / "launched.sh"
    doc.update_object(launch, f"<< /S /Launch /F ({target}) /NewWindow true >>")
    annot = doc.get_new_xref()
    doc.update_object(annot, f"<< /Type /Annot /Subtype /Link /Rect [72 80 300 110] /A {launch} 0 R >>")
    doc.xref_set_key(page.xref, "Annots", f"[{annot} 0 R]")
    doc.xref_set_key(page.xref, "AA", f"<< /O {js} 0 R >>")
    data = doc.tobytes()
    doc.close()
    return data


def test_scripts_launch_actions_and_embedded_files_are_never_acted_on(ws, tmp_path, monkeypatch):
    data = _active_pdf(tmp_path)
    assert b"/JavaScript" in data and b"/Launch" in data and b"/EmbeddedFile" in data
    src = tmp_path / "hostile.pdf"
    src.write_bytes(data)
    monkeypatch.chdir(tmp_path)  # where the payload would appear if it ran
    res = import_file(ws, str(src))
    assert res.status == "imported", res.reason
    with ws.session() as s:
        doc = s.get(Document, res.document_id)
        blobs = list(s.exec(select(Blob)))
        texts = [p.text for p in s.exec(select(Page).where(Page.document_id == doc.id))]
        texts += [ln.text for ln in s.exec(select(Line).where(Line.document_id == doc.id))]
    assert [b.data for b in blobs] == [data]  # the original bytes, and nothing taken out of them
    assert "staffing levels" in " ".join(texts)
    for marker in ("JSMARKERRAN", "EMBEDDEDPAYLOADRAN", "payload", "launched"):
        assert all(marker not in t for t in texts)
    # the viewer renders and reads the page without acting on any of it
    from annotator.core.library.render import PageRenderer, load_pdf_bytes

    renderer = PageRenderer(load_pdf_bytes(ws, res.document_id))
    renderer.render(0, 1.0)
    renderer.words(0)
    renderer.close()
    assert not (tmp_path / "launched.sh").exists()
    assert not [f for f in os.listdir(tmp_path) if "RAN" in f]


def test_a_crash_inside_the_pdf_library_is_contained_and_reported(ws, tmp_path, monkeypatch):
    """The real reader process, made to die of SIGSEGV inside MuPDF's open call."""
    from safety_checks import integrity as check

    good = tmp_path / "plain.txt"
    good.write_text("A note that imports normally.\n", encoding="utf-8")
    crash = (
        "import os, signal, pymupdf\n"
        "pymupdf.open = lambda *a, **k: os.kill(os.getpid(), signal.SIGSEGV)\n"
        "from annotator.core.ingest import worker\n"
        "worker.serve()\n"
    )
    monkeypatch.setattr(worker, "COMMAND", [sys.executable, "-c", crash])
    worker.shutdown()
    src = tmp_path / "bomb.pdf"
    src.write_bytes(_active_pdf(tmp_path))
    res = import_file(ws, str(src))
    assert res.status == "failed" and "crashed" in res.reason
    monkeypatch.setattr(worker, "COMMAND", None)
    worker.shutdown()
    assert import_file(ws, str(good)).status == "imported"  # this process carries on
    assert import_file(ws, str(src)).status == "imported"  # and a fresh reader works
    path = ws.path
    ws.close()
    assert check(path)["documents"] == 2


def test_workspace_lock_and_backup_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        ws = Workspace.create(str(tmp_path / "private.annot"))
        ws.set("inquiry", "Test inquiry")
        info = backups.make(ws)
        names = [ws.path, ws.path + ".lock", ws.path + "-wal", ws.path + "-shm", info.path]
        modes = {os.path.basename(p): stat.S_IMODE(os.stat(p).st_mode) for p in names if os.path.exists(p)}
        ws.close()
    finally:
        os.umask(old)
    assert {n: m for n, m in modes.items() if m & 0o077} == {}, modes
    assert stat.S_IMODE(os.stat(os.path.dirname(info.path)).st_mode) == 0o700
    assert integrity(tmp_path / "private.annot")["integrity"] == "ok"


def test_a_bundle_with_source_pages_of_a_hostile_pdf_carries_nothing_active(ws, tmp_path):
    import pymupdf

    from annotator.core.evidence import tagging
    from annotator.core.export import Selection, export
    from annotator.core.export.safety import active_objects

    src = tmp_path / "hostile.pdf"
    src.write_bytes(_active_pdf(tmp_path))
    res = import_file(ws, str(src))
    with ws.session() as s:
        first = s.exec(select(Line).where(Line.document_id == res.document_id).order_by(Line.seq)).first()
    tagging.tag(ws, res.document_id, start=(0, first.char_start), end=(0, first.char_end), theme_ids=[1])
    out = tmp_path / "bundle.pdf"
    export(ws, Selection(source_pages=True), str(out), "pdf")
    bundle = pymupdf.open(str(out))
    try:
        assert active_objects(bundle) == []
        assert bundle.embfile_count() == 0
    finally:
        bundle.close()
    raw = out.read_bytes()
    for key in (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/OpenAction"):
        assert key not in raw
