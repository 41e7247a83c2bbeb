"""Main window: menus, documents list, themes list, status bar.

Layout only; feature panels (reader, search, export) attach here.
"""

import os

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator import APP_NAME
from annotator.core.util.errors import AnnotatorError, WorkspaceLocked
from annotator.core.store.workspace import Workspace
from annotator.gui.context import AppContext
from annotator.gui.errors import show_error
from annotator.gui.documents.documents_panel import DocumentsPanel
from annotator.gui.themes.themes_panel import ThemesPanel


class MainWindow(QMainWindow):
    dialog_opened = Signal(object)  # a window-modal dialog or message it opened (tests wait on it)

    def __init__(self, ctx: AppContext | None = None):
        super().__init__()
        self.ctx = ctx or AppContext(self)
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.center = QTabWidget()
        self.center.setDocumentMode(True)
        self.center.setElideMode(Qt.ElideMiddle)  # long titles keep both ends; the tooltip has all
        self.center.setTabsClosable(True)
        self.center.tabCloseRequested.connect(self.center.removeTab)
        self.banner = QLabel()  # says why the workspace is read-only
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #FFF3C4; color: #5D4200; padding: 6px 10px;border-bottom: 1px solid #E0C060;"
        )
        self.banner.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        from annotator.gui.reader.sides import Sides

        self.sides = Sides(self.center, self)  # View > Split view adds a second side
        column.addWidget(self.sides.splitter, 1)
        self.setCentralWidget(central)
        self.documents = DocumentsPanel(self.ctx)
        self.themes = ThemesPanel(self.ctx)
        self.documents_dock = self._dock("Documents", self.documents, Qt.LeftDockWidgetArea)
        self.themes_dock = self._dock("Themes", self.themes, Qt.RightDockWidgetArea)
        from annotator.gui.search.search_panel import SearchPanel

        self.search = SearchPanel(self.ctx)
        self.search_dock = self._dock("Search", self.search, Qt.BottomDockWidgetArea)
        # room for a page of results, once every panel has taken its place
        self._search_size = QTimer(self, singleShot=True, interval=0)
        self._search_size.timeout.connect(self._size_search_dock)
        self._search_size.start()
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        from annotator.gui.dialogs.backup_ui import BackupService

        self.backup_service = BackupService(self.ctx, self)
        self.backup_service.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        from annotator.gui.reader.reading_controller import ReadingController

        self.reading = ReadingController(self)
        from annotator.gui.team.team_ui import install as install_team

        self.team = install_team(self)  # File > Team, Sync, status indicator, Conflicts dock
        from annotator.gui import start_page
        from annotator.gui.readonly_watch import ReadOnlyWatch

        self.start_page = start_page.install(self)  # the central area while no workspace is open
        self.read_only_watch = ReadOnlyWatch(self)  # a read-only window shows the writer's work
        self.ctx.workspace_changed.connect(self._refresh_title)
        self.ctx.changed.connect(lambda _c: self._refresh_title())
        self.ctx.failed.connect(lambda err: show_error(self, err))
        self.documents.open_requested.connect(self.open_document)
        self.documents.details_requested.connect(self.edit_document_details)
        self.documents.remove_requested.connect(self.remove_document)
        self.documents.replace_requested.connect(self.replace_document)
        self._refresh_title()
        self._keyboard_and_layout()

    def _keyboard_and_layout(self) -> None:
        from annotator.gui import keyboard, window_layout

        window_layout.settle_docks(self)
        for dock in self.findChildren(QDockWidget):
            if not dock.widget().accessibleName():
                dock.widget().setAccessibleName(f"{dock.windowTitle()} panel")
        self.center.setAccessibleName("Open documents")
        keyboard.tab_leaves_tables(self)
        self.panel_cycle = keyboard.PanelCycle(self, self.panels)
        self._default_state = self.saveState(window_layout.STATE_VERSION)
        self.reading_mode = window_layout.ReadingMode(self)
        self.view_menu.addSeparator()  # after every panel's own toggle
        self.reading_mode_action = self._action(
            self.view_menu, "&Reading mode", self.toggle_reading_mode, "F11"
        )
        self.reading_mode_action.setCheckable(True)
        self._action(self.view_menu, "Reset &layout", self.reset_layout)
        self._appearance_menu()
        if not window_layout.restore(self, self.ctx.settings):
            self._default_dock_sizes()

    def _default_dock_sizes(self) -> None:
        """Room for theme names and document titles once the window has its first size."""
        self.resizeDocks([self.documents_dock, self.themes_dock], [250, 330], Qt.Horizontal)

    def _appearance_menu(self) -> None:
        from PySide6.QtGui import QActionGroup

        from annotator.gui import appearance

        menu = self.view_menu.addMenu("&Appearance")
        group = QActionGroup(self)
        choice = appearance.chosen()
        self.appearance_actions = {}
        for name in appearance.CHOICES:
            act = menu.addAction({"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}[name])
            act.setCheckable(True)
            act.setChecked(name == choice)
            act.triggered.connect(lambda _=False, n=name: self.set_appearance(n))
            group.addAction(act)
            self.appearance_actions[name] = act
        if choice != "system":
            appearance.apply(choice)

    def set_appearance(self, choice: str) -> None:
        from annotator.gui import appearance

        appearance.choose(choice)
        appearance.apply(choice)
        self.appearance_actions[choice].setChecked(True)

    def panels(self) -> list:
        """The panels in F6 order: documents, reader (both sides when split), themes, passage,
        search, passages."""
        docks = [self.documents_dock, None, self.themes_dock, self.reading.details_dock]
        docks += [self.search_dock, self.reading.passages_dock]
        out = [self.center if d is None else d.widget() for d in docks]
        if self.sides.split:  # the second side comes right after the first
            out.insert(2, self.sides.second)
        return out

    def toggle_reading_mode(self) -> None:
        self.reading_mode.toggle()
        self.reading_mode_action.setChecked(self.reading_mode.on)

    def reset_layout(self) -> None:
        from annotator.gui import window_layout

        self.reading_mode.hidden = []
        self.reading_mode_action.setChecked(False)
        window_layout.reset(self, self._default_state, self.ctx.settings)
        self._default_dock_sizes()

    def show_shortcuts(self) -> None:
        from annotator.gui.keyboard import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        self.dialog_opened.emit(dialog)
        dialog.open()

    # ---- layout --------------------------------------------------------
    def _dock(self, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = m = bar.addMenu("&File")
        self._action(m, "&New workspace…", self.new_workspace, QKeySequence.New)
        self._action(m, "&Open workspace…", self.open_workspace, QKeySequence.Open)
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(m, "Open &demo workspace", self.open_demo)
        m.addSeparator()
        self.import_action = self._action(m, "&Import documents…", self.import_files, "Ctrl+I")
        self._action(m, "Import a &folder…", self.import_folder, "Ctrl+Shift+I")
        self.export_action = self._action(m, "&Export bundle…", self.export_bundle, "Ctrl+E")
        self.reissue_action = self._action(m, "Re-i&ssue bundle…", self.reissue_bundle)
        self.restore_action = self._action(m, "Restore from &backup…", self.restore_backup)
        m.addSeparator()
        self._action(m, "&Quit", self.close, QKeySequence.Quit)
        self.edit_menu = m = bar.addMenu("&Edit")
        undo = self.ctx.undo.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.ctx.undo.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        m.addAction(undo)
        m.addAction(redo)
        m.addSeparator()
        self.find_action = self._action(m, "&Find…", self.find, QKeySequence.Find)
        m.addSeparator()
        self.settings_action = self._action(m, "&Settings…", self.open_settings, "Ctrl+,")
        self.documents_menu = m = bar.addMenu("&Documents")
        self.replace_action = self._action(m, "&Replace with new version…", lambda: self.replace_document())
        self._action(m, "Re-anchoring &report…", self.reanchoring_report)
        m.addSeparator()
        self.ocr_action = self._action(m, "Recognise &text (OCR)", self.recognise_text)
        self.view_menu = bar.addMenu("&View")
        for dock in (self.documents_dock, self.themes_dock, self.search_dock):
            self.view_menu.addAction(dock.toggleViewAction())
        self.help_menu = m = bar.addMenu("&Help")
        self._action(m, "&Keyboard shortcuts", self.show_shortcuts, QKeySequence.HelpContents)
        self._action(m, "&About Annotator", self.about)

    def open_settings(self):
        from annotator.gui.dialogs import settings_dialog

        return settings_dialog.open_dialog(self)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.ctx.recent():
            act = self.recent_menu.addAction(path)
            act.setEnabled(os.path.exists(path))
            act.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _refresh_title(self) -> None:
        ws = self.ctx.ws
        self._refresh_banner()
        if ws is None:
            self.setWindowTitle(APP_NAME)
            self.status_label.setText("No workspace open: File > New or Open")
            return
        title = ws.get("title")
        flag = " [read-only]" if ws.readonly else ""
        self.setWindowTitle(f"{title}{flag} — {APP_NAME}")
        n_docs = self.documents.count()
        self.status_label.setText(
            f"{os.path.basename(ws.path)}{flag} · {n_docs} documents · "
            f"{self.themes.total_passages()} passages"
        )

    # ---- workspaces ----------------------------------------------------
    def open_path(self, path: str) -> bool:
        try:
            ws = Workspace.open(path)
        except WorkspaceLocked as err:
            answer = QMessageBox.question(self, "Workspace in use", f"{err}\n\nOpen it read-only?")
            if answer != QMessageBox.Yes:
                return False
            try:
                ws = Workspace.open(path, readonly=True)
            except AnnotatorError as err2:
                show_error(self, err2)
                return False
            holder = err.holder
            ws.read_only_reason = (
                f"{holder.get('user') or 'someone'} on {holder.get('host') or 'this computer'} "
                f"(process {holder.get('pid', '?')}) has it open for writing."
            )
        except AnnotatorError as err:
            show_error(self, err)
            return False
        self.adopt(ws)
        return True

    def adopt(self, ws: Workspace) -> None:
        """Make an opened workspace the window's (readers of the one before close)."""
        self.reading.close_all()
        self.ctx.set_workspace(ws)
        if ws.upgraded_from:
            found, backup = ws.upgraded_from
            self.statusBar().showMessage(f"Upgraded from format {found}; a copy was kept at {backup}", 15000)
        if ws.readonly:
            self.statusBar().showMessage(ws.read_only_reason or "Opened read-only: changes cannot be saved.")

    def _refresh_banner(self) -> None:
        ws = self.ctx.ws
        self.restore_action.setEnabled(ws is not None and not ws.readonly)
        if ws is None or not ws.readonly:
            self.banner.hide()
            return
        why = ws.read_only_reason or "Another window or process is writing to this workspace."
        self.banner.setText(f"Read-only: {why} You can read, search and export; changes cannot be saved.")
        self.banner.show()

    def restore_backup(self) -> None:
        from annotator.gui.dialogs.backup_ui import RestoreDialog

        if self.ctx.ws is None:
            return
        self.backup_service.wait()
        self.reading.close_all()  # open readers belong to the state being replaced
        RestoreDialog(self.ctx, self).exec()

    def start_dir(self) -> str:
        """Where file dialogs open: beside the open workspace, else the home folder."""
        return os.path.dirname(self.ctx.ws.path) if self.ctx.ws is not None else os.path.expanduser("~")

    def new_workspace(self) -> None:
        # The dialog's own "replace?" is off: an existing workspace is never replaced from here.
        path, _ = QFileDialog.getSaveFileName(
            self,
            "New workspace",
            self.start_dir(),
            "Annotator workspace (*.annot)",
            "",
            QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        if not path.endswith(".annot"):
            path += ".annot"
        if os.path.exists(path):
            show_error(
                self,
                AnnotatorError(
                    f"{os.path.basename(path)} already exists: open it with File > "
                    "Open workspace…, or choose another name. Nothing was changed."
                ),
            )
            return
        try:
            ws = Workspace.create(path)
        except (AnnotatorError, OSError) as err:
            show_error(self, err)
            return
        self.reading.close_all()
        self.ctx.set_workspace(ws)

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", self.start_dir(), "Annotator workspace (*.annot)"
        )
        if path:
            self.open_path(path)

    def open_demo(self) -> None:
        """Open the demo workspace, building it first (on the PyMuPDF lane: it draws a PDF)."""
        from annotator.core import demo
        from annotator.gui.tasks import run_with_progress

        path = demo.default_path()
        if os.path.exists(path):
            self._open_demo_at(path)
            return
        run_with_progress(
            self,
            "Building the demo workspace",
            lambda _progress, _cancelled: demo.build(path).close(),
            lambda _r: self._open_demo_at(path),
            lambda err: show_error(self, err, "The demo workspace could not be built"),
            lane="pdf",
        )

    def _open_demo_at(self, path: str) -> None:
        if self.open_path(path) and self.center.count() == 0:
            self.open_document(1)  # a new user sees the transcript, not an empty pane

    # ---- features (filled in by the reader, import and export modules) --
    def open_document(
        self,
        doc_id: int,
        page_index: int | None = None,
        char_start: int | None = None,
        char_end: int | None = None,
    ):
        """Open (or focus) the reader on a document, optionally at a place (page, chars)."""
        try:
            return self.reading.open_document(doc_id, page_index, char_start, char_end)
        except AnnotatorError as err:
            show_error(self, err)
            return None

    def recognise_text(self) -> None:
        """OCR of the open document's scanned pages, or of every document's when none is open."""
        from annotator.gui.documents import ocr_flow

        reader = self.reading.current_reader()
        ocr_flow.start(self, [reader.document_id] if reader else None)

    def import_files(self) -> None:
        from annotator.gui.dialogs.import_flow import choose_and_import

        choose_and_import(self)

    def import_folder(self) -> None:
        from annotator.gui.dialogs.import_flow import choose_folder_and_import

        choose_folder_and_import(self)

    def edit_document_details(self, document_id: int) -> None:
        from annotator.gui.documents.document_details import edit_details

        edit_details(self, document_id)

    def remove_document(self, document_id: int) -> None:
        from annotator.gui.documents.document_details import remove_document

        remove_document(self, document_id)

    def replace_document(self, document_id: int | None = None) -> None:
        from annotator.gui.documents.replace_flow import replace_document

        replace_document(self, document_id)

    def reanchoring_report(self) -> None:
        from annotator.gui.documents.replace_flow import show_latest_report

        show_latest_report(self)

    def export_bundle(self) -> None:
        from annotator.gui.dialogs.export_dialog import open_export_dialog

        open_export_dialog(self)

    def reissue_bundle(self) -> None:
        from annotator.gui.dialogs.reissue import reissue_bundle

        reissue_bundle(self)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and self.ctx.ws is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        from annotator.gui.dialogs.import_flow import import_paths

        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            import_paths(self, paths)

    def about(self) -> None:
        from annotator.gui.dialogs.about import AboutDialog

        AboutDialog(self).exec()

    def _size_search_dock(self) -> None:
        self.resizeDocks([self.search_dock], [270], Qt.Vertical)

    def find(self) -> None:
        """Ctrl+F: show the search panel and put the cursor in its box."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_search()

    def closeEvent(self, event) -> None:
        from annotator.gui import window_layout

        if self.reading_mode.on:
            self.reading_mode.toggle()  # the layout saved is the one with its panels
        window_layout.save(self, self.ctx.settings)
        self.reading.close_all()
        self.ctx.shutdown()  # cancels and waits for every background job, then closes
        super().closeEvent(event)
