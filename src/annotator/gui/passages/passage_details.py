"""Details of the selected passage, all editable through undoable core operations."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.evidence import passages, tagging, themes
from annotator.core.util.errors import NotFound
from annotator.gui.errors import show_error
from annotator.core.util.dates import readable
from annotator.gui.passages.note_links import NoteReferences, linked_html
from annotator.gui.reader.links import PressModifiers
from annotator.gui.themes.themes_panel import swatch


class PassageDetails(QWidget):
    follow = Signal(int)  # passage id to jump to
    follow_aside = Signal(int)  # ... in the other side of a split view

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.pid: int | None = None
        self._filling = False
        self.refs = None  # ReferenceLinks, once the window gives them
        self._quote, self._quote_refs, self._doc = "", [], None
        self.citation = QLabel()
        self.citation.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = self.citation.font()
        font.setBold(True)
        self.citation.setFont(font)
        self.document = QLabel()
        self.document.setWordWrap(True)
        self.quote = QLabel()
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.RichText)  # references in the quoted words are links
        self.quote.setTextInteractionFlags(Qt.TextBrowserInteraction)
        self.quote.setStyleSheet(
            "QLabel { background: palette(alternate-base); color: palette(text); padding: 4px; }"
        )
        self.themes = QListWidget()
        self.themes.setMaximumHeight(170)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Note (saved when you click Save note or leave the box)")
        self.note.setMaximumHeight(90)
        self.note_refs = NoteReferences(self.note)  # references in the note: underlined, Ctrl+click
        self.save_note = QPushButton("Save note")
        self.important = QCheckBox("Important")
        self.redact = QCheckBox("Redact in bundles")
        self.redact.setToolTip(
            "Bundles withhold this passage's words: the extract says it is redacted, and "
            "its text is removed from the source page (not just covered)"
        )
        self.links = QListWidget()
        self.links.setMaximumHeight(100)
        self.links.setToolTip(
            "Click a link to follow it (Back: Alt+Left), Shift+click to open it in the other side; "
            "right-click to remove it"
        )
        self.links.setContextMenuPolicy(Qt.CustomContextMenu)
        self.link_btn = QPushButton("Link to…")
        self.unlink_btn = QPushButton("Remove link")
        self.go_btn = QPushButton("Show in document")
        self.copy_btn = QPushButton("Copy citation")
        self.delete_btn = QPushButton("Delete passage")
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.meta.setStyleSheet("color: #666")
        self._layout()
        self._wire()
        self.show_passage(None)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.citation)
        form.addRow(self.document)
        form.addRow(self.quote)
        form.addRow("Themes", self.themes)
        form.addRow("Note", self.note)
        row = QHBoxLayout()
        row.addWidget(self.save_note)
        row.addWidget(self.important)
        row.addWidget(self.redact)
        row.addStretch(1)
        form.addRow(row)
        from annotator.gui.team.audience_box import AudienceBox

        self.audience = AudienceBox(self.ctx)  # team workspaces only
        form.addRow(self.audience)
        form.addRow("Links", self.links)
        row = QHBoxLayout()
        row.addWidget(self.link_btn)
        row.addWidget(self.unlink_btn)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(self.meta)
        row = QHBoxLayout()
        for b in (self.go_btn, self.copy_btn, self.delete_btn):
            row.addWidget(b)
        form.addRow(row)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(form)
        lay.addStretch(1)

    def _wire(self) -> None:
        self.save_note.clicked.connect(self._save_note)
        self.note.installEventFilter(self)
        self.important.toggled.connect(
            lambda on: self._filling or self._run(tagging.set_flags, self.pid, important=on)
        )
        self.redact.toggled.connect(
            lambda on: self._filling or self._run(tagging.set_flags, self.pid, redact=on)
        )
        self.themes.itemChanged.connect(self._themes_ticked)
        self.links.itemClicked.connect(self._link_clicked)
        self._quote_keys = PressModifiers(self.quote)
        self._link_keys = PressModifiers(self.links.viewport())
        self.quote.linkActivated.connect(self._quote_link)
        self.links.customContextMenuRequested.connect(self._links_menu)
        self.link_btn.clicked.connect(self._link)
        self.unlink_btn.clicked.connect(self._unlink)
        self.go_btn.clicked.connect(lambda: self.pid and self.follow.emit(self.pid))
        self.copy_btn.clicked.connect(lambda: QApplication.clipboard().setText(self.citation.text()))
        self.delete_btn.clicked.connect(lambda: self._run(tagging.delete_passage, self.pid))
        self.ctx.changed.connect(self._on_change)
        self.ctx.workspace_changed.connect(lambda: self.show_passage(None))

    def eventFilter(self, obj, event) -> bool:
        if obj is self.note and event.type() == event.Type.FocusOut:
            self._save_note()
        return False

    def _run(self, op, *args, **kwargs) -> None:
        if self.pid is None:
            return
        try:
            self.ctx.run(op, *args, **kwargs)
        except Exception as err:
            show_error(self, err)

    def _on_change(self, change) -> None:
        if self.pid is not None and (self.pid in change.passages or change.themes or change.links):
            self.show_passage(self.pid)

    def show_passage(self, pid: int | None) -> None:
        self._filling = True
        try:
            self._fill(pid)
        finally:
            self._filling = False

    def _fill(self, pid: int | None) -> None:
        view = None
        if pid is not None and self.ctx.ws is not None:
            ws = self.ctx.ws
            found = passages.listed(ws, ids=[pid])
            view = found[0] if found else None
            all_t = themes.listed(ws)
            by_id = {t.id: t for t in all_t}
            targets = {}
            if view and view.links:
                for v in passages.listed(ws, ids=[ln["to"] for ln in view.links]):
                    targets[v.id] = v
        self.pid = view.id if view else None
        for w in (
            self.themes,
            self.note,
            self.save_note,
            self.important,
            self.redact,
            self.links,
            self.link_btn,
            self.unlink_btn,
            self.go_btn,
            self.copy_btn,
            self.delete_btn,
        ):
            w.setEnabled(view is not None)
        self.themes.clear()
        self.links.clear()
        if view is None:
            self.audience.show_passage(None)
            self.citation.setText("No passage selected")
            self.document.setText("Click a highlight or a row in Passages to see it here.")
            self._quote = ""
            self.quote.setText("")
            self.note.setPlainText("")
            self.meta.setText("")
            return
        self.citation.setText(view.citation)
        self.document.setText(view.document + (f" — {view.witness}" if view.witness else ""))
        q = " ".join(view.quote.split())
        self._quote = q if len(q) < 600 else q[:599] + "…"
        self._doc = view.document_id
        self._show_quote()
        order = themes.tree_order(all_t)  # as in the Themes panel: parents first
        for t in sorted(all_t, key=lambda t: order.get(t.id, 0)):
            item = QListWidgetItem(swatch(t.colour), themes.path_name(t, by_id))
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if t.id in view.theme_ids else Qt.Unchecked)
            item.setData(Qt.UserRole, t.id)
            self.themes.addItem(item)
        # tall enough for the default four themes and a fifth without scrolling
        rows = min(max(self.themes.count(), 1), 5)
        row = self.themes.sizeHintForRow(0) + self.themes.spacing()
        self.themes.setMinimumHeight(rows * row + 2 * self.themes.frameWidth() + 6)
        if not self.note.hasFocus() or self.note.toPlainText() == view.note:
            self.note.setPlainText(view.note)
        self.important.setChecked(view.important)
        self.redact.setChecked(view.redact)
        self.audience.show_passage(view.id)
        for ln in view.links:
            other = targets.get(ln["to"])
            arrow = "→" if ln["direction"] == "out" else "←"
            label = f"{arrow} {ln['relation']}: {other.citation if other else ln['to']}"
            if other:
                label += f"  “{' '.join(other.quote.split())[:60]}”"
            item = QListWidgetItem(label)
            item.setData(Qt.UserRole, ln["id"])
            item.setData(Qt.UserRole + 1, ln["to"])
            self.links.addItem(item)
        self.meta.setText(
            f"By {view.author or 'unknown'} · created {readable(view.created_at)} · "
            f"changed {readable(view.modified_at)} · passage {view.id}" + anchor_note(view)
        )

    # ---- references: in the quote (links) and in the note (Ctrl+click) ----------
    def set_links(self, links) -> None:
        """The window's ReferenceLinks: finds references and follows them."""
        self.refs = links
        self.note_refs.set_links(links)
        self.note_refs.activated.connect(lambda ref, aside: links.follow(ref, self._doc, aside))
        links.finder_changed.connect(self._show_quote)

    def _show_quote(self) -> None:
        found = self.refs.find(self._quote) if self.refs is not None and self._quote else []
        self._quote_refs = found
        self.quote.setText(linked_html(self._quote, found))

    def _quote_link(self, href: str) -> None:
        k = int(href.removeprefix("ref:"))
        if self.refs is not None and 0 <= k < len(self._quote_refs):
            self.refs.follow(self._quote_refs[k], self._doc, self._quote_keys.shift)

    def _link_clicked(self, item) -> None:
        (self.follow_aside if self._link_keys.shift else self.follow).emit(item.data(Qt.UserRole + 1))

    def follow_at_caret(self, other_side: bool = False) -> bool:
        """The reference at the note's caret (Go > Follow reference while editing it)."""
        ref = self.note_refs.at_caret()
        if ref is None or self.refs is None:
            if self.refs is not None:
                self.refs.say("The caret is not on a reference in this note.")
            return False
        return self.refs.follow(ref, self._doc, other_side)

    def _save_note(self) -> None:
        if self.pid is None or self._filling:
            return
        found = passages.listed(self.ctx.ws, ids=[self.pid])
        if found and found[0].note != self.note.toPlainText():
            self._run(tagging.set_note, self.pid, self.note.toPlainText())

    def _themes_ticked(self, _item) -> None:
        if self._filling or self.pid is None:
            return
        ids = [
            self.themes.item(i).data(Qt.UserRole)
            for i in range(self.themes.count())
            if self.themes.item(i).checkState() == Qt.Checked
        ]
        self._run(tagging.set_themes, self.pid, ids)

    def _link(self) -> None:
        from annotator.gui.passages.link_dialog import LinkDialog

        if self.pid is None:
            return
        dlg = LinkDialog(self.ctx, self.pid, self)
        if dlg.exec():
            target, relation = dlg.choice()
            self._run(tagging.link, self.pid, target, relation)

    def _links_menu(self, pos) -> None:
        from PySide6.QtWidgets import QMenu

        item = self.links.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        menu.addAction("Follow").triggered.connect(lambda: self.follow.emit(item.data(Qt.UserRole + 1)))
        menu.addAction("Open in other side").triggered.connect(
            lambda: self.follow_aside.emit(item.data(Qt.UserRole + 1))
        )
        menu.addAction("Remove link").triggered.connect(
            lambda: self._run(tagging.unlink, item.data(Qt.UserRole))
        )
        menu.exec(self.links.viewport().mapToGlobal(pos))

    def _unlink(self) -> None:
        item = self.links.currentItem()
        if item is None:
            show_error(self, NotFound("Choose a link in the list first (arrow keys, or right-click it)."))
            return
        self._run(tagging.unlink, item.data(Qt.UserRole))


ANCHOR_NOTES = {
    "exact": "Same words at the same place in the new version.",
    "moved": "Same words, moved in the new version.",
    "changed": "Its words changed in the new version; before: «{old}»",
    "orphaned": "Not found in the new version (Documents > Re-anchoring report… to place it); its words: «{old}»",
}


def anchor_note(view) -> str:
    """What the last new version of its document did to the passage ('' if none came)."""
    text = ANCHOR_NOTES.get(view.anchor)
    if not text:
        return ""
    old = " ".join((view.old_quote or view.quote).split())
    return "\n" + text.format(old=old if len(old) < 300 else old[:299] + "…")
