"""A plain reading view of a document's lines with their citation gutter."""

import html

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from annotator.core import documents


class SimpleReader(QWidget):
    def __init__(self, ctx, document_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.document_id = document_id
        with ctx.ws.session() as s:
            doc = s.get(documents.Document, document_id)
            self.title = doc.title
            lines = documents.lines(s, document_id)
        view = QTextBrowser()
        rows, last_page = [], None
        for ln in lines:
            if ln.tpage != last_page:
                head = f"Day {ln.day}, page {ln.tpage}" if ln.day is not None else f"Page {ln.tpage}"
                rows.append(f"<p style='color:#666;margin-top:12px'><b>{head}</b></p>")
                last_page = ln.tpage
            rows.append(f"<div style='white-space:pre'><span style='color:#999'>{ln.line:>3}  </span>"
                        f"{html.escape(ln.text)}</div>")
        view.setHtml("".join(rows))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(view)
