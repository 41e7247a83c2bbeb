"""The results table: citation, document, snippet with hits in bold, themes."""

import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from annotator.core.search.hits import MARK_CLOSE, MARK_OPEN

COLUMNS = ("Citation", "Document", "Text", "Themes")
SNIPPET = 2


def snippet_html(snippet: str) -> str:
    """«marked» runs become bold on a highlight; everything else is escaped."""
    out = html.escape(snippet)
    return out.replace(html.escape(MARK_OPEN), "<b style='background:#FFE082;color:#000'>").replace(
        html.escape(MARK_CLOSE), "</b>"
    )


class ResultsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.hits = []

    def set_hits(self, hits: list) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        h = self.hits[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                score = f"{h.score:.2f}  " if h.score is not None else ""  # like: (Find similar)
                return score + h.citation + ("  ◆" if h.kind == "passage" else "")
            if col == 1:
                return h.document
            if col == 2:
                return h.snippet
            return ", ".join(h.themes)
        if role == Qt.ToolTipRole:
            kind = "Tagged passage" if h.kind == "passage" else "Line"
            return f"{kind} · {h.citation} · {h.document}\n{h.snippet}"
        if role == Qt.UserRole:
            return h
        return None


class SnippetDelegate(QStyledItemDelegate):
    """Paints the snippet column as rich text so the hits stand out."""

    def paint(self, painter, option, index) -> None:
        option = QStyleOptionViewItem(option)  # a copy: the view's own option is left alone
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, option, painter, widget)
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        colour = option.palette.color(
            QPalette.HighlightedText if option.state & QStyle.State_Selected else QPalette.Text
        )
        doc.setHtml(f"<span style='color:{colour.name()}'>{snippet_html(text)}</span>")
        painter.save()
        top = max(0, (option.rect.height() - doc.size().height()) / 2)
        painter.translate(option.rect.left(), option.rect.top() + top)
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(base.width(), option.fontMetrics.height() + 8)
