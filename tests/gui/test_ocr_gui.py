"""A scanned transcript in the window: Documents > Recognise text, then select and tag words on the page."""

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from sqlmodel import select
from test_reader import _open, drag

from annotator.core.ingest import import_file
from annotator.core.store.models import Passage
from annotator.core.store.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ocr"))
from scans import scan, transcript  # noqa: E402


def test_recognise_text_then_select_and_tag_on_the_scanned_page(qtbot, tmp_path):
    path = tmp_path / "w.annot"
    ws = Workspace.create(str(path), title="Scans")
    scan_path = tmp_path / "Day 12 scanned.pdf"
    scan_path.write_bytes(scan(transcript(pages=1), skews=(1.0,)))
    res = import_file(ws, str(scan_path))
    assert res.ocr_pages == 1
    ws.close()
    win = _open(qtbot, path)
    win.recognise_text()
    assert win.ocr_job is not None  # under way in the background: the window is free meanwhile
    qtbot.waitUntil(lambda: win.ocr_job is None, timeout=120000)
    assert "Text recognised on 1 scanned pages" in win.statusBar().currentMessage()
    reader = win.open_document(res.document_id)
    reader.show_view("pdf")
    view = reader.pdf_view
    qtbot.waitUntil(
        lambda: bool(view.service.words.get(0)) and view.service.image(0, view.render_zoom()) is not None,
        timeout=15000,
    )
    text = reader.model.page_text(0)
    words = view.service.words[0]
    first = next(w for w in words if text[w.start : w.end] == "Targets")
    last = next(w for w in words if text[w.start : w.end] == "item.")
    view.go_to((0, first.start), align_top=True)
    r, z = view.page_rect(0), view.zoom
    a = QPointF(r.x() + (first.x0 + 1) * z, r.y() + (first.y0 + first.y1) / 2 * z)
    b = QPointF(r.x() + (last.x1 - 1) * z, r.y() + (last.y0 + last.y1) / 2 * z)
    drag(view.viewport(), a, b)
    assert reader.model.selected_text() == "Targets were a standing item."
    view.setFocus()
    QTest.keyClick(view, Qt.Key_3)
    with win.ctx.ws.session() as s:
        new = s.exec(select(Passage).where(Passage.deleted_at.is_(None))).one()
    assert new.quote == "Targets were a standing item."
    assert (new.day, new.tpage_from, new.line_from) == (12, 1, 3)
