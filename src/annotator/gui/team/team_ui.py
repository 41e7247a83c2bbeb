"""Puts the team features into the main window: File > Team, the Sync toolbar, the status
indicator and the Conflicts dock. `install(window)` is the only call the window makes."""

import os

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QLineEdit, QMenu, QMessageBox, QToolBar

from annotator.core.util.errors import AnnotatorError
from annotator.gui.errors import show_error
from annotator.gui.tasks import run_with_progress
from annotator.gui.team import backend
from annotator.gui.team.conflicts_panel import ConflictsPanel
from annotator.gui.team.sync_service import SyncService
from annotator.gui.team.sync_status import SyncIndicator
from annotator.gui.team.team_dialogs import JoinDialog, PublishDialog
from annotator.gui.team.users_dialog import UsersDialog


class _CornerBar(QToolBar):
    """A toolbar in the menu bar's corner, which is placed by its size hint only once:
    the hint never shrinks below the room kept for the longest text."""

    def sizeHint(self):
        return super().sizeHint().expandedTo(self.minimumSize())


class TeamUI(QObject):
    def __init__(self, win):
        super().__init__(win)
        self.win = win
        self.service = SyncService(win.ctx, self)
        self.indicator = SyncIndicator()
        win.statusBar().addPermanentWidget(self.indicator)
        self.panel = ConflictsPanel()
        self.dock = QDockWidget("Conflicts", win)
        self.dock.setObjectName("Conflicts")
        self.dock.setWidget(self.panel)
        win.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        win.tabifyDockWidget(win.search_dock, self.dock)  # wide: both versions side by side
        win.search_dock.raise_()
        self.dock.hide()

        self.sync_action = QAction("&Sync now", win)
        self.sync_action.setShortcut(QKeySequence("F9"))
        self.sync_action.setToolTip("Send your changes to the team server and fetch everyone else's (F9)")
        self.sync_action.triggered.connect(self.sync_now)
        self.conflicts_action = QAction("&Review conflicts…", win)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.publish_action = QAction("&Publish this workspace to a team server…", win)
        self.publish_action.triggered.connect(self.publish)
        self.join_action = QAction("&Join a team workspace…", win)
        self.join_action.triggered.connect(self.join)
        self.users_action = QAction("&Users and teams…", win)
        self.users_action.triggered.connect(self.users)

        menu = self.menu = QMenu("&Team", win)
        actions = win.file_menu.actions()
        before = actions[max(actions.index(win.import_action) - 1, 0)]  # the separator above Import
        win.file_menu.insertMenu(before, menu)
        for act in (self.sync_action, self.conflicts_action):
            menu.addAction(act)
        menu.addSeparator()
        for act in (self.publish_action, self.join_action):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.users_action)
        self.toolbar = _CornerBar("Team")
        self.toolbar.setObjectName("TeamToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.toolbar.addAction(self.sync_action)
        self.toolbar.addAction(self.conflicts_action)
        # on the menu bar's line, at its right: no extra row taken from a laptop's screen
        self.toolbar.setMovable(False)
        self.toolbar.setStyleSheet("QToolBar { border: none; spacing: 4px; }")
        # the menu bar sizes its corner once: room for the longest text it will show
        self.conflicts_action.setText("&Review conflicts (999)…")
        self.toolbar.setMinimumWidth(self.toolbar.sizeHint().width())
        self.conflicts_action.setText("&Review conflicts…")
        win.menuBar().setCornerWidget(self.toolbar, Qt.TopRightCorner)
        win.view_menu.addAction(self.dock.toggleViewAction())

        self.indicator.clicked.connect(self.sync_now)
        self.service.state_changed.connect(self._state)
        self.service.conflicts_changed.connect(self._conflicts)
        self.service.message.connect(lambda text: win.statusBar().showMessage(text, 15000))
        self.panel.resolve_requested.connect(self._resolve)
        self.service.idle.connect(lambda: self.panel.set_busy(False))
        win.ctx.workspace_changed.connect(lambda: self._state(self.service.state))
        self._state(self.service.state)

    def _state(self, state) -> None:
        ws = self.win.ctx.ws
        team = state.mode != "off"
        self.indicator.show_state(state)
        self.toolbar.setVisible(team)
        self.sync_action.setEnabled(team and state.mode != "syncing")
        self.conflicts_action.setEnabled(team)
        self.conflicts_action.setText(
            f"&Review conflicts ({state.conflicts})…" if state.conflicts else "&Review conflicts…"
        )
        self.publish_action.setEnabled(ws is not None and not ws.readonly and not team)
        if not team:
            self.dock.hide()

    def sync_now(self) -> None:
        """Sync at once; after a refused password, ask for it first."""
        ws, service = self.win.ctx.ws, self.service
        if ws is not None and service.state.mode == "problem" and service.problem_kind == "password":
            password, ok = QInputDialog.getText(
                self.win,
                "Team server password",
                f"{service.state.problem}\n\nPassword for the team server:",
                QLineEdit.Password,
            )
            if not ok:
                return
            service.set_password(ws.path, password)
        service.sync_now()

    def _conflicts(self, rows: list) -> None:
        self.panel.set_conflicts(rows)

    def _resolve(self, conflict_id: int, keep: str) -> None:
        self.panel.set_busy(True)
        self.service.resolve(conflict_id, keep)

    def show_conflicts(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.view.setFocus()

    # ---- publish / join -------------------------------------------------
    def publish(self) -> None:
        ctx = self.win.ctx
        ws = ctx.ws
        if ws is None or ws.readonly:
            return
        dialog = PublishDialog(ws.get("title") or os.path.basename(ws.path), self.win)
        if dialog.exec() != PublishDialog.Accepted:
            return
        server = dialog.server()
        self.service.stop()

        def done(summary: str) -> None:
            self.service.set_password(ws.path, server.password)
            self.win.statusBar().showMessage(summary, 15000)
            self.service.restart()  # now a replica: the service starts syncing

        run_with_progress(
            self.win,
            "Publishing to the team server",
            lambda progress, cancelled: backend.publish(ws, server, progress, cancelled),
            done,
            lambda err: self._refused("The workspace was not published", err),
            lane="write",
        )

    def join(self) -> None:
        dialog = JoinDialog(self.win.start_dir(), self.win)
        if dialog.exec() != JoinDialog.Accepted:
            return
        server, path = dialog.server(), dialog.target()

        def done(_path: str) -> None:
            self.service.set_password(path, server.password)
            self.win.open_path(path)

        run_with_progress(
            self.win,
            "Joining the team workspace",
            lambda progress, cancelled: backend.join(server, path, progress, cancelled),
            done,
            lambda err: self._refused("The team workspace was not joined", err),
            lane="write",
        )

    def users(self) -> UsersDialog:
        """Users and teams of this workspace's server (or of any server, typed in)."""
        info = backend.server_of(self.win.ctx.ws)
        self.users_dialog = UsersDialog(self.win.ctx.tasks, *info, parent=self.win)
        self.users_dialog.open()
        return self.users_dialog

    def _refused(self, what: str, err: BaseException) -> None:
        if isinstance(err, AnnotatorError):
            QMessageBox.warning(self.win, "Annotator", f"{what}: {err}")
        else:
            show_error(self.win, err)


def install(win) -> TeamUI:
    return TeamUI(win)
